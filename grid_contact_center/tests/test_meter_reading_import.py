import base64
import csv
import io
from datetime import datetime

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import users

from .meter_reading_common import MeterReadingCase


class TestMeterReadingImport(MeterReadingCase):
    """The import wizard on CSV and XLSX files, as a supervisor."""

    def run_import(self, content, filename, source="import"):
        wizard = self.env["grid.meter.reading.import"].create(
            {
                "file": base64.b64encode(content),
                "filename": filename,
                "source": source,
            }
        )
        wizard.action_import()
        return wizard

    def result_csv(self, wizard):
        text = base64.b64decode(wizard.result_file).decode("utf-8-sig")
        delimiter = ";" if ";" in text.splitlines()[0] else ","
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))

    @users("cc_supervisor")
    def test_csv_result_line_per_input_line(self):
        content = (
            "Прибор учёта;Дата;Т1;Т2\n"
            "T-0000001;06.03.2026;1510,0;\n"
            "T-0000001;2026-03-08;1400;\n"
            "\n"
            "T-0000002;2026-03-06;12,5;7\n"
            "T-0000002;2026-03-06;12,5;7\n"
            "T-9999999;2026-03-06;1;\n"
            "T-0000001;2026-13-01;1;\n"
            "T-0000003;2026-03-06;abc;\n"
            "T-0000001;2026-03-09;1700;\n"
        ).encode("cp1251")
        wizard = self.run_import(content, "показания.csv")
        lines = self.result_csv(wizard)
        self.assertEqual(len(lines), 10)
        self.assertEqual(lines[0][:4], ["Прибор учёта", "Дата", "Т1", "Т2"])
        self.assertEqual(lines[0][4], "Result")
        results = [line[4] for line in lines[1:]]
        self.assertEqual(
            results,
            [
                "Accepted",
                "Rejected",
                "Empty line",
                "Accepted",
                "Duplicate",
                "Error",
                "Error",
                "Error",
                "Needs Review",
            ],
        )
        self.assertEqual(lines[1][7], "2026-03")
        self.assertIn("No meter with serial number T-9999999", lines[6][8])
        self.assertIn("2026-13-01 is not a date", lines[7][8])
        self.assertIn("abc is not a number", lines[8][8])
        self.assertEqual(wizard.state, "done")
        self.assertEqual(wizard.line_count, 9)
        self.assertEqual(wizard.accepted_count, 2)
        self.assertEqual(wizard.review_count, 1)
        self.assertEqual(wizard.rejected_count, 1)
        self.assertEqual(wizard.duplicate_count, 1)
        self.assertEqual(wizard.error_count, 3)
        self.assertEqual(wizard.skipped_count, 1)
        self.assertEqual(wizard.result_filename, "показания - result.csv")
        imported = self.env["grid.meter.reading"].search(
            [("source", "=", "import"), ("meter_id.name", "like", "T-")]
        )
        self.assertEqual(len(imported), 4)

    @users("cc_supervisor")
    def test_xlsx_import(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["meter", "date", "t1", "t2", "note"])
        sheet.append(["T-0000001", datetime(2026, 3, 6), 1510, None, "вход"])
        sheet.append(["T-0000002", "2026-03-06", 12.5, 7, None])
        sheet.append([1234567, "2026-03-06", 1, None, None])
        sheet.append(["T-0000001", datetime(2026, 3, 7), -1, None, None])
        buffer = io.BytesIO()
        workbook.save(buffer)
        wizard = self.run_import(buffer.getvalue(), "readings.xlsx", source="remote")
        result = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(wizard.result_file)), read_only=True
        )
        rows = list(result.worksheets[0].iter_rows(values_only=True))
        self.assertEqual(len(rows), 5)
        self.assertEqual(rows[0][5], "Result")
        self.assertEqual(
            [row[5] for row in rows[1:]], ["Accepted", "Accepted", "Error", "Error"]
        )
        self.assertEqual(rows[1][4], "вход")
        self.assertIn("1234567", rows[3][9])
        self.assertEqual(wizard.result_filename, "readings - result.xlsx")
        readings = self.env["grid.meter.reading"].search(
            [("source", "=", "remote"), ("meter_id.name", "like", "T-")]
        )
        self.assertEqual(len(readings), 2)

    @users("cc_supervisor")
    def test_comma_separated_csv_with_bom(self):
        content = "\ufeffmeter,date,t1\nT-0000001,2026-03-06,1510\n".encode()
        wizard = self.run_import(content, "readings.csv")
        self.assertEqual(wizard.accepted_count, 1)
        self.assertEqual(self.result_csv(wizard)[1][3], "Accepted")

    @users("cc_supervisor")
    def test_csv_encodings(self):
        text = "meter;date;t1;comment\nT-0000001;2026-03-06;1510;ШУМ\n"
        for encoding in ("utf-8", "utf-8-sig", "utf-16", "cp1251"):
            with self.subTest(encoding=encoding):
                wizard = self.run_import(text.encode(encoding), "readings.csv")
                self.assertEqual(wizard.error_count, 0)
                self.assertEqual(wizard.line_count, 1)
                self.assertEqual(self.result_csv(wizard)[1][3], "ШУМ")

    @users("cc_supervisor")
    def test_unknown_encoding_rejected(self):
        # "Ш" is byte 0x98 in CP866, which Windows-1251 does not define.
        cases = [
            "meter;date;t1;comment\nT-0000001;2026-03-06;1510;ШУМ\n".encode("cp866"),
            "meter;date;t1\n".encode("utf-16-le"),
        ]
        for content in cases:
            with self.subTest(content=content[:8]):
                with self.assertRaisesRegex(UserError, "neither UTF-8, UTF-16"):
                    self.run_import(content, "readings.csv")

    @users("cc_supervisor")
    def test_file_level_errors(self):
        cases = [
            (b"\n", "readings.csv", "empty"),
            (b"serial;value\nT-0000001;10\n", "readings.csv", "lacks the columns date"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old.xls", "old Excel"),
            (b"PK\x03\x04broken", "broken.xlsx", "cannot be read"),
            (b"%PDF-1.4", "scan.pdf", "neither a CSV nor an XLSX"),
        ]
        for content, filename, message in cases:
            with self.subTest(filename=filename):
                with self.assertRaisesRegex(UserError, message):
                    self.run_import(content, filename)
        self.assertFalse(
            self.env["grid.meter.reading"].search([("source", "=", "import")])
        )

    @users("cc_operator")
    def test_operator_cannot_import(self):
        with self.assertRaises(AccessError):
            self.run_import(b"meter;date;t1\n", "readings.csv")
