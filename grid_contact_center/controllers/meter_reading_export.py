import tempfile

from werkzeug.exceptions import NotFound
from werkzeug.wsgi import wrap_file

from odoo import http
from odoo.http import content_disposition, request

from ..wizards.grid_meter_reading_export import MIMETYPES

# Bytes sent per chunk of a download.
CHUNK_SIZE = 64 * 1024


class MeterReadingExport(http.Controller):
    @http.route(
        "/grid_contact_center/meter_readings/export/<int:wizard_id>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def export_meter_readings(self, wizard_id):
        """Send the file of an export wizard. The file is written batch by
        batch into a temporary file on disk and sent from there in chunks,
        so memory does not grow with the size of the period."""
        wizard = request.env["grid.meter.reading.export"].browse(wizard_id).exists()
        if not wizard:
            raise NotFound()
        wizard.check_access("read")
        # Deleted when the response closes it, or on error.
        spool = tempfile.TemporaryFile()  # pylint: disable=consider-using-with
        try:
            wizard._grid_write(spool)
            size = spool.tell()
            spool.seek(0)
        except Exception:
            spool.close()
            raise
        response = http.Response(
            wrap_file(request.httprequest.environ, spool, CHUNK_SIZE),
            mimetype=MIMETYPES[wizard.file_format],
            direct_passthrough=True,
        )
        response.headers["Content-Length"] = str(size)
        response.headers["Content-Disposition"] = content_disposition(
            wizard._grid_filename()
        )
        return response
