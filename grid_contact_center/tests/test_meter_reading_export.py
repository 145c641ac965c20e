import csv
import io
from unittest.mock import patch

import openpyxl

from odoo.tests import HttpCase, new_test_user, tagged

from ..wizards import grid_meter_reading_export


@tagged("post_install", "-at_install")
class TestMeterReadingExport(HttpCase):
    """The billing export of a period, downloaded through Odoo's HTTP server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.resource_calendar_id.tz = "Europe/Moscow"
        groups = "grid_contact_center.group_%s"
        cls.supervisor = new_test_user(
            cls.env, "cc_export_supervisor", groups=groups % "supervisor"
        )
        new_test_user(cls.env, "cc_export_operator", groups=groups % "operator")
        consumer = cls.env["res.partner"].create(
            {
                "name": "Орлова Нина Ивановна",
                "consumer_category": "household",
                "account_number": "390099001",
            }
        )
        point = cls.env["grid.service.point"].create(
            {"name": "SP-EXPORT-1", "partner_id": consumer.id, "street": "ул. Мира"}
        )
        meter = cls.env["grid.meter"].create(
            {
                "name": "EXP-0000001",
                "service_point_id": point.id,
                "zone_count": 2,
                "multiplier": 2,
                "installation_date": "2018-01-15",
            }
        )
        Reading = cls.env["grid.meter.reading"]
        points = [
            ("2018-12-20", 1000.0, 500.0, "2018-12-20 07:00:00"),
            ("2019-01-20", 1100.0, 540.0, "2019-01-20 07:00:00"),
            # Below the previous value: rejected, not exported.
            ("2019-01-21", 900.0, 540.0, "2019-01-21 07:00:00"),
            # Received on the 27th: counts toward February.
            ("2019-01-27", 1130.0, 550.0, "2019-01-27 07:00:00"),
        ]
        cls.readings = Reading.browse()
        for reading_date, value_t1, value_t2, received_at in points:
            cls.readings |= Reading.create(
                {
                    "meter_id": meter.id,
                    "reading_date": reading_date,
                    "received_at": received_at,
                    "value_t1": value_t1,
                    "value_t2": value_t2,
                }
            )
        other_point = cls.env["grid.service.point"].create({"name": "SP-EXPORT-2"})
        for number in range(5):
            other = cls.env["grid.meter"].create(
                {"name": f"EXP-100000{number}", "service_point_id": other_point.id}
            )
            cls.readings |= Reading.create(
                {
                    "meter_id": other.id,
                    "reading_date": "2019-01-22",
                    "received_at": "2019-01-22 07:00:00",
                    "value_t1": 10.0 + number,
                }
            )

    def download(self, file_format, period="2019-01-15"):
        self.authenticate("cc_export_supervisor", "cc_export_supervisor")
        wizard = (
            self.env["grid.meter.reading.export"]
            .with_user(self.supervisor)
            .create({"period": period, "file_format": file_format})
        )
        self.assertEqual(wizard.reading_count, 6)
        action = wizard.action_export()
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        return response

    def test_csv_holds_accepted_readings_of_period(self):
        with patch.object(grid_meter_reading_export, "BATCH_SIZE", 2):
            response = self.download("csv")
        self.assertEqual(response.headers["Content-Type"].split(";")[0], "text/csv")
        self.assertIn(
            "meter%20readings%202019-01.csv", response.headers["Content-Disposition"]
        )
        rows = list(
            csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
        )
        header, body = rows[0], rows[1:]
        self.assertEqual(header[0], "Reading ID")
        self.assertEqual(len(body), 6)
        exported = {int(row[0]) for row in body}
        accepted_january = self.readings.filtered(
            lambda reading: (
                reading.state == "accepted"
                and str(reading.period_start) == "2019-01-01"
            )
        )
        self.assertEqual(exported, set(accepted_january.ids))
        first = next(row for row in body if row[5] == "EXP-0000001")
        column = {title: index for index, title in enumerate(header)}
        self.assertEqual(first[column["Account Number"]], "390099001")
        self.assertEqual(first[column["Reading Date"]], "2019-01-20")
        self.assertEqual(float(first[column["Previous T1"]]), 1000.0)
        self.assertEqual(float(first[column["Consumption T1 (kWh)"]]), 200.0)
        self.assertEqual(float(first[column["Consumption T2 (kWh)"]]), 80.0)
        self.assertEqual(float(first[column["Consumption (kWh)"]]), 280.0)
        self.assertEqual(first[column["Source"]], "Operator")

    def test_xlsx_export(self):
        response = self.download("xlsx")
        workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "Reading ID")
        self.assertEqual(len(rows), 7)
        self.assertEqual(
            {row[0] for row in rows[1:]} & set(self.readings.ids),
            {row[0] for row in rows[1:]},
        )

    def test_late_reading_in_next_period(self):
        self.authenticate("cc_export_supervisor", "cc_export_supervisor")
        wizard = (
            self.env["grid.meter.reading.export"]
            .with_user(self.supervisor)
            .create({"period": "2019-02-03", "file_format": "csv"})
        )
        self.assertEqual(wizard.reading_count, 1)

    def test_operator_cannot_download(self):
        wizard = (
            self.env["grid.meter.reading.export"]
            .with_user(self.supervisor)
            .create({"period": "2019-01-15", "file_format": "csv"})
        )
        self.authenticate("cc_export_operator", "cc_export_operator")
        response = self.url_open(wizard.action_export()["url"])
        self.assertEqual(response.status_code, 403)
