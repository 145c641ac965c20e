import base64
import csv
import io
import logging
from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError

from ..tools import topology_csv
from ..tools.topology_csv import SERVICE_POINT, TopologyFileError

_logger = logging.getLogger(__name__)

RESULTS = [
    ("created", "Created"),
    ("updated", "Updated"),
    ("unchanged", "Unchanged"),
    ("attached", "Attached"),
    ("error", "Error"),
]
# Codes looked up with one query each.
LOOKUP_CHUNK = 10000


class GridElementImport(models.TransientModel):
    """Import the grid topology and the place of service points in it from a
    CSV file, with a result for every line of the file."""

    _name = "grid.element.import"
    _description = "Import Grid Topology"

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    file = fields.Binary(string="CSV File", required=True)
    filename = fields.Char()
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
    created_count = fields.Integer(string="Elements Created", readonly=True)
    updated_count = fields.Integer(string="Elements Updated", readonly=True)
    attached_count = fields.Integer(string="Service Points Attached", readonly=True)
    error_count = fields.Integer(string="Lines with Errors", readonly=True)
    line_ids = fields.One2many(
        "grid.element.import.line",
        "import_id",
        string="Errors",
        readonly=True,
    )
    result_file = fields.Binary(string="Result of Every Line", readonly=True)
    result_filename = fields.Char()

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_import(self):
        self.ensure_one()
        try:
            rows = topology_csv.read_rows(base64.b64decode(self.file or b""))
        except TopologyFileError as error:
            raise UserError(self._file_error_message(error)) from error
        results = self._import_rows(rows)
        self._store_results(rows, results)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "new",
        }

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _file_error_message(self, error):
        if error.code == topology_csv.ERROR_ENCODING:
            return self.env._(
                "The file is neither UTF-8, UTF-16 with a byte order mark nor "
                "Windows-1251 text. Save it as CSV in one of these encodings."
            )
        if error.code == topology_csv.ERROR_EMPTY_FILE:
            return self.env._("The file is empty.")
        return self.env._(
            "The header row lacks the columns %(missing)s. The file needs the "
            "columns kind, code, name and parent_code.",
            missing=error.detail,
        )

    def _row_error_message(self, row):
        if row.error == topology_csv.ERROR_UNKNOWN_KIND:
            return self.env._(
                "Unknown kind %(kind)s: use substation, feeder, "
                "transformer_substation, line or service_point.",
                kind=repr(row.raw_kind),
            )
        return self.env._("The code is empty.")

    def _import_rows(self, rows):
        """Import the rows and return ``{line: (result, message)}``.

        Elements are created or updated first, then linked to their parents
        in groups of the same parent, so that a parent may come after its
        children in the file. Lines whose parent is missing, in error or would
        close a loop are reported and leave their element untouched.
        """
        results = {}
        for row in rows:
            if row.error:
                results[row.line] = ("error", self._row_error_message(row))
        element_rows = self._unique_rows(
            [r for r in rows if not r.error and r.kind != SERVICE_POINT], results
        )
        point_rows = self._unique_rows(
            [r for r in rows if not r.error and r.kind == SERVICE_POINT], results
        )
        elements_model = self.env["grid.element"].with_context(active_test=False)
        existing = self._find_by_code(
            elements_model, "code", {row.code for row in element_rows}
        )
        parents = self._find_by_code(
            elements_model,
            "code",
            {row.parent_code for row in rows if row.parent_code} - existing.keys(),
        )
        parent_of = self._check_parents(element_rows, existing, parents, results)
        element_rows = [row for row in element_rows if row.line not in results]
        elements = self._save_elements(element_rows, existing, results)
        self._link_parents(element_rows, elements, parents, parent_of, results)
        known = {**parents, **elements}
        self._attach_service_points(point_rows, known, results)
        _logger.info(
            "Grid topology import by user %s: %s lines, %s with errors",
            self.env.uid,
            len(rows),
            sum(1 for result, _message in results.values() if result == "error"),
        )
        return results

    def _unique_rows(self, rows, results):
        first_line = {}
        unique = []
        for row in rows:
            if row.code in first_line:
                results[row.line] = (
                    "error",
                    self.env._(
                        "Code %(code)s already appears on line %(line)s.",
                        code=row.code,
                        line=first_line[row.code],
                    ),
                )
                continue
            first_line[row.code] = row.line
            unique.append(row)
        return unique

    def _find_by_code(self, model, field_name, codes):
        """Return ``{code: record}`` of the company's records with the given
        codes, looked up in chunks."""
        found = {}
        codes = sorted(code for code in codes if code)
        for start in range(0, len(codes), LOOKUP_CHUNK):
            chunk = codes[start : start + LOOKUP_CHUNK]
            records = model.search(
                [(field_name, "in", chunk), ("company_id", "=", self.company_id.id)]
            )
            found.update({record[field_name]: record for record in records})
        return found

    def _check_parents(self, element_rows, existing, parents, results):
        """Report the rows whose parent cannot be found or whose chain of
        parents loops, and return ``{code: parent code}`` of the file."""
        in_file = {row.code: row for row in element_rows}
        parent_of = {row.code: row.parent_code for row in element_rows}
        for row in element_rows:
            if not row.parent_code:
                continue
            if row.parent_code == row.code:
                results[row.line] = (
                    "error",
                    self.env._("Element %(code)s cannot supply itself.", code=row.code),
                )
            elif (
                row.parent_code not in in_file
                and row.parent_code not in existing
                and row.parent_code not in parents
            ):
                results[row.line] = (
                    "error",
                    self.env._(
                        "Parent %(parent)s of %(code)s is neither in the file nor "
                        "in the grid.",
                        parent=row.parent_code,
                        code=row.code,
                    ),
                )
        for row in element_rows:
            if row.line in results:
                continue
            seen = {row.code}
            code = parent_of.get(row.code)
            while code:
                if code in seen:
                    results[row.line] = (
                        "error",
                        self.env._(
                            "The parents of %(code)s form a loop through %(loop)s.",
                            code=row.code,
                            loop=code,
                        ),
                    )
                    break
                seen.add(code)
                if code in parent_of:
                    code = parent_of[code]
                else:
                    record = existing.get(code) or parents.get(code)
                    code = record.parent_id.code if record else False
        # A child of a rejected element is rejected too.
        rejected = {row.code: row.line for row in element_rows if row.line in results}
        changed = True
        while changed:
            changed = False
            for row in element_rows:
                if row.line in results or row.parent_code not in rejected:
                    continue
                results[row.line] = (
                    "error",
                    self.env._(
                        "Parent %(parent)s was not imported: see line %(line)s.",
                        parent=row.parent_code,
                        line=rejected[row.parent_code],
                    ),
                )
                rejected[row.code] = row.line
                changed = True
        return parent_of

    def _save_elements(self, element_rows, existing, results):
        """Create the new elements and update changed ones; return
        ``{code: element}`` of the rows."""
        elements_model = self.env["grid.element"]
        to_create = [row for row in element_rows if row.code not in existing]
        created = elements_model.create(
            [
                {
                    "code": row.code,
                    "name": row.name or row.code,
                    "kind": row.kind,
                    "company_id": self.company_id.id,
                }
                for row in to_create
            ]
        )
        elements = dict(zip((row.code for row in to_create), created, strict=True))
        for row in to_create:
            results[row.line] = ("created", "")
        for row in element_rows:
            if row.code not in existing:
                continue
            element = existing[row.code]
            elements[row.code] = element
            values = {}
            if row.name and row.name != element.name:
                values["name"] = row.name
            if row.kind != element.kind:
                values["kind"] = row.kind
            if not element.active:
                values["active"] = True
            if values:
                element.write(values)
                results[row.line] = ("updated", "")
            else:
                results[row.line] = ("unchanged", "")
        return elements

    def _link_parents(self, element_rows, elements, parents, parent_of, results):
        by_parent = defaultdict(lambda: self.env["grid.element"])
        for row in element_rows:
            parent_code = parent_of.get(row.code)
            parent = (
                (elements.get(parent_code) or parents.get(parent_code))
                if parent_code
                else self.env["grid.element"]
            )
            element = elements[row.code]
            if element.parent_id != parent:
                by_parent[parent] |= element
                if results[row.line][0] == "unchanged":
                    results[row.line] = ("updated", "")
        for parent, children in by_parent.items():
            children.write({"parent_id": parent.id})

    def _attach_service_points(self, point_rows, elements, results):
        points = self._find_by_code(
            self.env["grid.service.point"].with_context(active_test=False),
            "name",
            {row.code for row in point_rows},
        )
        by_element = defaultdict(lambda: self.env["grid.service.point"])
        for row in point_rows:
            point = points.get(row.code)
            element = elements.get(row.parent_code)
            if not point:
                results[row.line] = (
                    "error",
                    self.env._("Service point %(code)s not found.", code=row.code),
                )
            elif not element:
                results[row.line] = (
                    "error",
                    self.env._(
                        "Grid element %(parent)s of service point %(code)s is "
                        "neither in the file nor in the grid.",
                        parent=row.parent_code or "-",
                        code=row.code,
                    ),
                )
            elif point.grid_element_id == element:
                results[row.line] = ("unchanged", "")
            else:
                by_element[element] |= point
                results[row.line] = ("attached", "")
        # Dispatchers maintain the topology, including the element that
        # supplies each service point, but not the rest of the point. The
        # points were found with the user's rights, so only this link is
        # written as superuser.
        for element, attached in by_element.items():
            attached.sudo().write({"grid_element_id": element.id})

    def _store_results(self, rows, results):
        labels = dict(
            self.env["grid.element.import.line"]
            ._fields["result"]
            ._description_selection(self.env)
        )
        output = io.StringIO()
        writer = csv.writer(output, delimiter=";")
        writer.writerow(["line", "kind", "code", "result", "message"])
        errors = []
        counts = defaultdict(int)
        for row in rows:
            result, message = results.get(row.line, ("error", ""))
            counts[result] += 1
            writer.writerow([row.line, row.raw_kind, row.code, labels[result], message])
            if result == "error":
                errors.append(
                    {
                        "line": row.line,
                        "code": row.code,
                        "kind": row.raw_kind,
                        "message": message,
                    }
                )
        self.line_ids.unlink()
        stem = (self.filename or "topology").rsplit(".", 1)[0]
        self.write(
            {
                "state": "done",
                "created_count": counts["created"],
                "updated_count": counts["updated"],
                "attached_count": counts["attached"],
                "error_count": counts["error"],
                "line_ids": [fields.Command.create(values) for values in errors],
                "result_file": base64.b64encode(output.getvalue().encode("utf-8-sig")),
                "result_filename": f"{stem}-result.csv",
            }
        )


class GridElementImportLine(models.TransientModel):
    _name = "grid.element.import.line"
    _description = "Grid Topology Import Line"
    _order = "line"

    import_id = fields.Many2one(
        "grid.element.import", required=True, ondelete="cascade"
    )
    line = fields.Integer()
    kind = fields.Char()
    code = fields.Char()
    result = fields.Selection(RESULTS, default="error")
    message = fields.Char()
