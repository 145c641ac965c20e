import csv
import io

import xlsxwriter

from odoo import api, fields, models
from odoo.tools import SQL

# Readings read and written per batch; memory does not grow with the period.
BATCH_SIZE = 5000
# Columns of the export, in order: (key, SQL expression). The headers are in
# GridMeterReadingExport._grid_header().
EXPORT_COLUMNS = [
    ("id", "r.id"),
    ("account_number", "p.account_number"),
    ("consumer", "p.name"),
    ("service_point", "sp.name"),
    ("address", "sp.full_address"),
    ("meter", "m.name"),
    ("multiplier", "m.multiplier"),
    ("reading_date", "r.reading_date"),
    ("received_at", "r.received_at"),
    ("source", "r.source"),
    ("value_t1", "r.value_t1"),
    ("value_t2", "r.value_t2"),
    ("value_t3", "r.value_t3"),
    ("previous_date", "r.previous_date"),
    ("previous_value_t1", "r.previous_value_t1"),
    ("previous_value_t2", "r.previous_value_t2"),
    ("previous_value_t3", "r.previous_value_t3"),
    ("consumption_t1", "r.consumption_t1"),
    ("consumption_t2", "r.consumption_t2"),
    ("consumption_t3", "r.consumption_t3"),
    ("consumption_total", "r.consumption_total"),
]
SOURCE_COLUMN = [key for key, _expression in EXPORT_COLUMNS].index("source")
FILE_FORMATS = [("csv", "CSV"), ("xlsx", "XLSX")]
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class GridMeterReadingExport(models.TransientModel):
    """Export the accepted readings of a billing period for billing."""

    _name = "grid.meter.reading.export"
    _description = "Export Meter Readings for Billing"

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    period = fields.Date(
        string="Billing Period",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        help="Any day of the billing month; the export holds the month's "
        "accepted readings.",
    )
    file_format = fields.Selection(FILE_FORMATS, required=True, default="xlsx")
    reading_count = fields.Integer(
        string="Accepted Readings", compute="_compute_reading_count"
    )

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("company_id", "period")
    def _compute_reading_count(self):
        for wizard in self:
            wizard.reading_count = (
                self.env["grid.meter.reading"].search_count(wizard._grid_domain())
                if wizard.period and wizard.company_id
                else 0
            )

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_export(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/grid_contact_center/meter_readings/export/{self.id}",
            "target": "download",
        }

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _grid_domain(self):
        self.ensure_one()
        return [
            ("company_id", "=", self.company_id.id),
            ("period_start", "=", self.period.replace(day=1)),
            ("state", "=", "accepted"),
        ]

    def _grid_filename(self):
        self.ensure_one()
        return self.env._(
            "meter readings %(period)s.%(extension)s",
            period=self.period.strftime("%Y-%m"),
            extension=self.file_format,
        )

    def _grid_write(self, fileobj):
        """Write the export into the binary file ``fileobj`` and return the
        number of readings. Readings are read in batches by id, so that the
        memory used does not depend on the size of the period."""
        self.ensure_one()
        Reading = self.env["grid.meter.reading"]
        Reading.check_access("read")
        header = self._grid_header()
        sources = dict(Reading._fields["source"]._description_selection(self.env))
        writer = (
            _XlsxWriter(fileobj, header)
            if self.file_format == "xlsx"
            else _CsvWriter(fileobj, header)
        )
        domain = self._grid_domain()
        last_id = count = 0
        while True:
            # _search applies the record rules; the query below only joins
            # the names of the records it returned.
            ids = list(
                Reading._search(
                    [*domain, ("id", ">", last_id)], order="id", limit=BATCH_SIZE
                )
            )
            if not ids:
                break
            for row in self._grid_rows(ids):
                row = list(row)
                row[SOURCE_COLUMN] = sources.get(row[SOURCE_COLUMN])
                writer.add_row(row)
            count += len(ids)
            last_id = ids[-1]
        writer.close()
        return count

    def _grid_header(self):
        titles = {
            "id": self.env._("Reading ID"),
            "account_number": self.env._("Account Number"),
            "consumer": self.env._("Consumer"),
            "service_point": self.env._("Service Point"),
            "address": self.env._("Address"),
            "meter": self.env._("Meter"),
            "multiplier": self.env._("Multiplier"),
            "reading_date": self.env._("Reading Date"),
            "received_at": self.env._("Received At (UTC)"),
            "source": self.env._("Source"),
            "value_t1": self.env._("T1"),
            "value_t2": self.env._("T2"),
            "value_t3": self.env._("T3"),
            "previous_date": self.env._("Previous Date"),
            "previous_value_t1": self.env._("Previous T1"),
            "previous_value_t2": self.env._("Previous T2"),
            "previous_value_t3": self.env._("Previous T3"),
            "consumption_t1": self.env._("Consumption T1 (kWh)"),
            "consumption_t2": self.env._("Consumption T2 (kWh)"),
            "consumption_t3": self.env._("Consumption T3 (kWh)"),
            "consumption_total": self.env._("Consumption (kWh)"),
        }
        return [titles[key] for key, _expression in EXPORT_COLUMNS]

    def _grid_rows(self, ids):
        columns = SQL(", ").join(SQL(expression) for _key, expression in EXPORT_COLUMNS)
        return self.env.execute_query(
            SQL(
                """
                SELECT %s
                  FROM grid_meter_reading r
                  JOIN grid_meter m ON m.id = r.meter_id
                  JOIN grid_service_point sp ON sp.id = r.service_point_id
                  LEFT JOIN res_partner p ON p.id = r.partner_id
                 WHERE r.id = ANY(%s)
                 ORDER BY r.id
                """,
                columns,
                ids,
            )
        )


class _CsvWriter:
    def __init__(self, fileobj, header):
        self.text = io.TextIOWrapper(fileobj, encoding="utf-8-sig", newline="")
        self.csv = csv.writer(self.text, delimiter=";")
        self.csv.writerow(header)

    def add_row(self, row):
        self.csv.writerow(["" if value is None else _csv_value(value) for value in row])

    def close(self):
        self.text.flush()
        # Leaves the binary file open for the caller.
        self.text.detach()


def _csv_value(value):
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return value


class _XlsxWriter:
    def __init__(self, fileobj, header):
        # constant_memory flushes each row to a temporary file once the next
        # row starts, so the workbook does not hold the sheet in memory.
        self.workbook = xlsxwriter.Workbook(fileobj, {"constant_memory": True})
        self.sheet = self.workbook.add_worksheet()
        bold = self.workbook.add_format({"bold": True})
        self.date_format = self.workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime_format = self.workbook.add_format(
            {"num_format": "yyyy-mm-dd hh:mm:ss"}
        )
        self.sheet.write_row(0, 0, header, bold)
        self.row = 1

    def add_row(self, row):
        for column, value in enumerate(row):
            if value is None:
                continue
            if hasattr(value, "hour"):
                self.sheet.write_datetime(self.row, column, value, self.datetime_format)
            elif hasattr(value, "isoformat"):
                self.sheet.write_datetime(self.row, column, value, self.date_format)
            else:
                self.sheet.write(self.row, column, value)
        self.row += 1

    def close(self):
        self.workbook.close()
