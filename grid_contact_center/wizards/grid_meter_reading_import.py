import base64
import csv
import io
import logging
import os
import zipfile
from collections import Counter

import openpyxl
import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.grid_meter_reading import DUPLICATE, ERROR
from ..tools.text_files import TextEncodingError, decode_text

_logger = logging.getLogger(__name__)

# Rows validated and stored together: one set of queries per batch.
BATCH_SIZE = 1000
SKIPPED = "skipped"
# Header names recognised for each input column, compared in lower case with
# spaces collapsed. English and Russian names, Latin and Cyrillic "T".
COLUMN_NAMES = {
    "meter": {
        "meter",
        "serial",
        "serial number",
        "meter serial number",
        "прибор учета",
        "прибор учёта",
        "заводской номер",
        "номер пу",
        "пу",
    },
    "date": {"date", "reading date", "дата", "дата показаний"},
    "t1": {"t1", "т1", "value", "reading", "показания", "показание"},
    "t2": {"t2", "т2"},
    "t3": {"t3", "т3"},
    "interaction": {"interaction", "обращение", "номер обращения"},
}
REQUIRED_COLUMNS = ("meter", "date", "t1")
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


class GridMeterReadingImport(models.TransientModel):
    """Import meter readings from a CSV or XLSX file, with the same rules as
    every other channel, and return a result file with one line per input
    line."""

    _name = "grid.meter.reading.import"
    _description = "Import Meter Readings"

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    file = fields.Binary(attachment=False, help="CSV or XLSX file of readings.")
    filename = fields.Char()
    source = fields.Selection(
        [("import", "File Import"), ("remote", "Remote Reading")],
        required=True,
        default="import",
        help="Source recorded on the imported readings: a file of readings "
        "collected by people, or an export of a remote reading system.",
    )
    state = fields.Selection(
        [("upload", "Upload"), ("done", "Done")], default="upload", required=True
    )
    line_count = fields.Integer(string="Lines", readonly=True)
    accepted_count = fields.Integer(string="Accepted", readonly=True)
    review_count = fields.Integer(string="Need Review", readonly=True)
    rejected_count = fields.Integer(string="Rejected", readonly=True)
    duplicate_count = fields.Integer(string="Duplicates", readonly=True)
    error_count = fields.Integer(string="Errors", readonly=True)
    skipped_count = fields.Integer(string="Empty Lines", readonly=True)
    result_file = fields.Binary(attachment=False, readonly=True)
    result_filename = fields.Char(readonly=True)

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_import(self):
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose a CSV or XLSX file of readings."))
        content = base64.b64decode(self.file)
        kind = self._grid_file_kind(content, self.filename)
        header, rows = (
            self._grid_read_xlsx(content)
            if kind == "xlsx"
            else self._grid_read_csv(content)
        )
        columns = self._grid_map_columns(header)
        delimiter = getattr(getattr(rows, "dialect", None), "delimiter", ";")
        writer = _ResultWriter(kind, header, self._grid_result_header(), delimiter)
        counts = self._grid_import_rows(rows, columns, writer)
        stem = os.path.splitext(self.filename or "readings")[0]
        self.write(
            {
                "state": "done",
                "line_count": sum(counts.values()),
                "accepted_count": counts["accepted"],
                "review_count": counts["review"],
                "rejected_count": counts["rejected"],
                "duplicate_count": counts[DUPLICATE],
                "error_count": counts[ERROR],
                "skipped_count": counts[SKIPPED],
                "result_file": base64.b64encode(writer.close()),
                "result_filename": self.env._(
                    "%(name)s - result.%(extension)s", name=stem, extension=kind
                ),
                "file": False,
            }
        )
        _logger.info(
            "Imported meter readings from %s for %s: %s",
            self.filename,
            self.company_id.name,
            dict(counts),
        )
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

    def _grid_import_rows(self, rows, columns, writer):
        """Register ``rows`` in batches, write one result line per row and
        return the count of each result."""
        counts = Counter()
        batch = []
        for raw in rows:
            batch.append(raw)
            if len(batch) >= BATCH_SIZE:
                self._grid_import_batch(batch, columns, writer, counts)
                batch = []
        if batch:
            self._grid_import_batch(batch, columns, writer, counts)
        return counts

    def _grid_import_batch(self, batch, columns, writer, counts):
        Reading = self.env["grid.meter.reading"].with_company(self.company_id)
        registered = []
        for raw in batch:
            if not any(_cell_text(cell) for cell in raw):
                continue
            registered.append(_row_from_cells(raw, columns))
        results = iter(Reading._grid_register(registered, self.source, self.company_id))
        labels = self._grid_status_labels()
        for raw in batch:
            if not any(_cell_text(cell) for cell in raw):
                counts[SKIPPED] += 1
                writer.add_row(raw, [labels[SKIPPED], "", "", "", ""])
                continue
            result = next(results)
            counts[result["status"]] += 1
            writer.add_row(raw, self._grid_result_cells(Reading, result, labels))
        # Frees the records of the batch, so that memory does not grow with
        # the size of the file.
        self.env.flush_all()
        self.env.invalidate_all()

    def _grid_result_cells(self, Reading, result, labels):
        messages = "; ".join(
            Reading._grid_finding_message(finding)
            for finding in result.get("findings") or []
        )
        if not result.get("reading"):
            return [labels[result["status"]], "", "", "", messages]
        values = result["values"]
        consumption = (
            values["consumption_total"]
            if values["state"] != "rejected" and values["days"]
            else ""
        )
        period = values["period_start"]
        return [
            labels[result["status"]],
            result["reading"].id,
            consumption,
            period.strftime("%Y-%m") if period else "",
            messages,
        ]

    def _grid_result_header(self):
        return [
            self.env._("Result"),
            self.env._("Reading"),
            self.env._("Consumption (kWh)"),
            self.env._("Billing Period"),
            self.env._("Messages"),
        ]

    def _grid_status_labels(self):
        states = dict(
            self.env["grid.meter.reading"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        return {
            **states,
            DUPLICATE: self.env._("Duplicate"),
            ERROR: self.env._("Error"),
            SKIPPED: self.env._("Empty line"),
        }

    @api.model
    def _grid_file_kind(self, content, filename):
        extension = os.path.splitext(filename or "")[1].lower()
        if content.startswith(XLS_MAGIC) or extension == ".xls":
            raise UserError(
                self.env._(
                    "%(name)s is an old Excel (.xls) file: save it as XLSX or CSV.",
                    name=filename,
                )
            )
        if content.startswith(XLSX_MAGIC):
            return "xlsx"
        if extension in ("", ".csv", ".txt"):
            return "csv"
        raise UserError(
            self.env._(
                "%(name)s is neither a CSV nor an XLSX file.", name=filename or ""
            )
        )

    @api.model
    def _grid_read_csv(self, content):
        """Return the header and an iterator over the rows of a CSV file in
        UTF-8, UTF-16 or Windows-1251, separated by commas, semicolons or
        tabs."""
        try:
            text = decode_text(content)
        except TextEncodingError as error:
            raise UserError(
                self.env._(
                    "The file is neither UTF-8, UTF-16 with a byte order mark nor "
                    "Windows-1251 text. Save it as CSV in one of these encodings."
                )
            ) from error
        # The header line contains no decimal commas, so the separator it uses
        # most is the file's separator.
        first_line = text.split("\n", 1)[0]
        delimiter = max((";", "\t", ","), key=first_line.count)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = next(reader, None)
        if not header:
            raise UserError(self.env._("The file is empty."))
        return header, reader

    @api.model
    def _grid_read_xlsx(self, content):
        """Return the header and an iterator over the rows of the first sheet
        of an XLSX file, read in read-only mode to keep memory low."""
        try:
            workbook = openpyxl.load_workbook(
                io.BytesIO(content), read_only=True, data_only=True
            )
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise UserError(
                self.env._("The XLSX file cannot be read: %(error)s", error=error)
            ) from error
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if not header or not any(_cell_text(cell) for cell in header):
            raise UserError(self.env._("The first sheet has no header line."))
        return [_cell_text(cell) for cell in header], rows

    @api.model
    def _grid_map_columns(self, header):
        """Return ``{column key: index}`` for the recognised header names."""
        columns = {}
        for index, name in enumerate(header):
            normalized = " ".join(str(name or "").lower().split())
            for key, names in COLUMN_NAMES.items():
                if normalized in names and key not in columns:
                    columns[key] = index
        missing = [key for key in REQUIRED_COLUMNS if key not in columns]
        if missing:
            raise UserError(
                self.env._(
                    "The header line lacks the columns %(missing)s. Name them "
                    "meter, date, t1 and, for multi-zone meters, t2 and t3 "
                    "(found: %(found)s).",
                    missing=", ".join(missing),
                    found=", ".join(str(name) for name in header if name) or "-",
                )
            )
        return columns


def _cell_text(cell):
    if cell is None:
        return ""
    return str(cell).strip()


def _row_from_cells(cells, columns):
    def cell(key):
        index = columns.get(key)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    return {
        "meter": cell("meter"),
        "date": cell("date"),
        "values": {zone: cell(zone) for zone in ("t1", "t2", "t3")},
        "interaction": cell("interaction"),
    }


class _ResultWriter:
    """The result file: each input line with the result columns after it, in
    the format of the input file."""

    def __init__(self, kind, header, result_header, delimiter):
        self.kind = kind
        self.width = len(header)
        if kind == "xlsx":
            self.buffer = io.BytesIO()
            self.workbook = xlsxwriter.Workbook(
                self.buffer, {"constant_memory": True, "strings_to_numbers": False}
            )
            self.sheet = self.workbook.add_worksheet()
            self.date_format = self.workbook.add_format({"num_format": "yyyy-mm-dd"})
            self.row = 0
        else:
            self.buffer = io.StringIO()
            self.csv = csv.writer(self.buffer, delimiter=delimiter)
        self.add_row(header, result_header)

    def add_row(self, cells, result_cells):
        cells = list(cells) + [""] * (self.width - len(cells))
        line = [*cells, *result_cells]
        if self.kind == "xlsx":
            for column, value in enumerate(line):
                if hasattr(value, "isoformat"):
                    self.sheet.write_datetime(self.row, column, value, self.date_format)
                elif value is not None and value != "":
                    self.sheet.write(self.row, column, value)
            self.row += 1
        else:
            self.csv.writerow(["" if value is None else value for value in line])

    def close(self):
        if self.kind == "xlsx":
            self.workbook.close()
            return self.buffer.getvalue()
        return self.buffer.getvalue().encode("utf-8-sig")
