import os
import tempfile

from werkzeug.exceptions import NotFound
from werkzeug.wsgi import wrap_file

from odoo import http
from odoo.http import content_disposition, request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class GridContactCenterReports(http.Controller):
    @http.route(
        "/grid_contact_center/service_quality/<int:report_id>/xlsx",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def service_quality_xlsx(self, report_id):
        report = self._own_record("grid.service.quality.report", report_id)
        content = report._render_xlsx()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(report._xlsx_filename())),
            ],
        )

    @http.route(
        "/grid_contact_center/register/<int:export_id>/xlsx",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def register_xlsx(self, export_id):
        """Write the register to a temporary file and stream the file back.

        The file is unlinked as soon as it is open, so that it disappears
        when the response is done or the client goes away.
        """
        export = self._own_record("grid.interaction.register.export", export_id)
        descriptor, path = tempfile.mkstemp(prefix="grid-register-", suffix=".xlsx")
        os.close(descriptor)
        try:
            export._write_xlsx(path)
            file = open(path, "rb")
        finally:
            os.unlink(path)
        size = os.fstat(file.fileno()).st_size
        response = request.make_response(
            wrap_file(request.httprequest.environ, file),
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Length", size),
                ("Content-Disposition", content_disposition(export._xlsx_filename())),
            ],
        )
        response.direct_passthrough = True
        return response

    def _own_record(self, model, record_id):
        """Return the current user's transient record, or raise NotFound:
        transient records are readable by their creator only."""
        record = request.env[model].browse(record_id).exists()
        if not record or record.create_uid != request.env.user:
            raise NotFound()
        return record
