import io
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time
from lxml import html

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, users

from .common import GridContactCenterCase

ROWS = ("all", "complaint", "service_request", "contract", "resolved")
COLUMNS = ("in_person", "telephone", "internet", "post", "other")
# Every cell of the main company's table for 2026: (2025, 2026, change in %
# or None where the change from zero is not defined), from the dataset of
# setUpClass.
EXPECTED_2026 = {
    "all": {
        "in_person": (3, 4, 33.33),
        "telephone": (6, 3, -50.0),
        "internet": (4, 2, -50.0),
        "post": (0, 3, None),
        "other": (0, 1, None),
    },
    "complaint": {
        "in_person": (1, 1, 0.0),
        "telephone": (0, 0, 0.0),
        "internet": (2, 2, 0.0),
        "post": (0, 2, None),
        "other": (0, 0, 0.0),
    },
    "service_request": {
        "in_person": (0, 0, 0.0),
        "telephone": (1, 0, -100.0),
        "internet": (1, 0, -100.0),
        "post": (0, 1, None),
        "other": (0, 0, 0.0),
    },
    "contract": {
        "in_person": (0, 0, 0.0),
        "telephone": (1, 1, 0.0),
        "internet": (0, 0, 0.0),
        "post": (0, 0, 0.0),
        "other": (0, 1, None),
    },
    "resolved": {
        "in_person": (1, 0, -100.0),
        "telephone": (0, 0, 0.0),
        "internet": (1, 2, 100.0),
        "post": (0, 1, None),
        "other": (0, 0, 0.0),
    },
}


class TestServiceQualityReport(GridContactCenterCase):
    """The yearly service-quality report on a dataset with fixed dates over
    2024 to 2027, every channel, two companies in different time zones."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic_request = cls.env.ref("grid_contact_center.topic_3")
        # Companies of their own, so that demo data does not count.
        cls.report_company = cls.env["res.company"].create({"name": "Западные сети"})
        cls.report_company.resource_calendar_id.tz = "Europe/Moscow"
        cls.company_east = cls.env["res.company"].create(
            {"name": "Восточные сети", "grid_default_area_code": "343"}
        )
        cls.company_east.resource_calendar_id.tz = "Asia/Yekaterinburg"
        cls.manager.company_ids |= cls.report_company | cls.company_east
        cls.interactions = cls.env["grid.interaction"]
        info, complaint, request = (
            cls.topic_info,
            cls.topic_complaint,
            cls.topic_request,
        )
        # 2024 in Moscow (23:00 on 31 December): outside both years.
        cls._make("phone_in", datetime(2024, 12, 31, 20, 0), info)
        # 2025, the previous year.
        cls._make("office", datetime(2025, 2, 3, 9, 0), info)
        cls._make("office", datetime(2025, 3, 3, 9, 0), info)
        cls._make("office", datetime(2025, 4, 1, 9, 0), complaint, "answered")
        cls._make("office", datetime(2025, 4, 2, 9, 0), info, "cancelled")
        for day in (5, 6, 7, 8):
            cls._make("phone_in", datetime(2025, 5, day, 9, 0), info)
        cls._make("phone_in", datetime(2025, 6, 1, 9, 0), request)
        cls._make(
            "phone_in", datetime(2025, 6, 2, 9, 0), info, contract="grid_connection"
        )
        cls._make("website", datetime(2025, 7, 1, 9, 0), complaint, "closed")
        cls._make("website", datetime(2025, 7, 2, 9, 0), complaint)
        cls._make("email", datetime(2025, 8, 1, 9, 0), request)
        cls._make("messenger", datetime(2025, 9, 1, 9, 0), info)
        # 2026, the report's year. 21:30 UTC on 31 December 2025 is already
        # 1 January 2026 in Moscow; 20:30 UTC on 31 December 2026 is still
        # 2026 there.
        cls._make("office", datetime(2026, 2, 2, 9, 0), info)
        cls._make("office", datetime(2026, 3, 2, 9, 0), info)
        cls._make("office", datetime(2026, 12, 31, 20, 30), info)
        cls._make("office", datetime(2026, 4, 1, 9, 0), complaint)
        cls._make("phone_in", datetime(2025, 12, 31, 21, 30), info)
        cls._make("phone_in", datetime(2026, 5, 5, 9, 0), info)
        cls._make("phone_in", datetime(2026, 6, 2, 9, 0), info, contract="transmission")
        # Calls that the company makes are not requests of consumers: an
        # outage notice, an outgoing call on an ordinary topic, and a notice
        # topic recorded on another channel count in no row.
        notice = cls.env.ref("grid_contact_center.topic_6")
        cls._make("phone_out", datetime(2026, 6, 3, 9, 0), notice, "answered")
        cls._make(
            "phone_out", datetime(2026, 6, 4, 9, 0), info, contract="transmission"
        )
        cls._make("office", datetime(2026, 6, 5, 9, 0), notice)
        cls._make("website", datetime(2026, 7, 1, 9, 0), complaint, "closed")
        cls._make("email", datetime(2026, 7, 2, 9, 0), complaint, "answered")
        cls._make("letter", datetime(2026, 8, 3, 9, 0), request)
        cls._make("letter", datetime(2026, 8, 4, 9, 0), complaint, "answered")
        cls._make("letter", datetime(2026, 8, 5, 9, 0), info, "cancelled")
        # An answer date alone, with the complaint still open, is no resolution.
        cls._make(
            "letter",
            datetime(2026, 8, 6, 9, 0),
            complaint,
            "in_progress",
            complaint_answer_date=date(2026, 8, 20),
        )
        fax = cls._make(
            "office", datetime(2026, 9, 1, 9, 0), info, contract="transmission"
        )
        # A channel that an extension adds and the form does not list; the
        # selection of the core does not have one, so it is written in SQL.
        cls.env.cr.execute(
            "UPDATE grid_interaction SET channel = 'fax' WHERE id = %s", [fax.id]
        )
        fax.invalidate_recordset(["channel"])
        # 2027 in Moscow (00:30 on 1 January).
        cls._make("office", datetime(2026, 12, 31, 21, 30), info)
        # The eastern company, 5 hours ahead of UTC: 19:30 UTC on 31 December
        # is already the next year there.
        east = cls.company_east
        for _index in range(3):
            cls._make("phone_in", datetime(2025, 10, 1, 9, 0), info, company=east)
        cls._make("office", datetime(2025, 12, 31, 19, 30), info, company=east)
        cls._make("office", datetime(2026, 6, 1, 9, 0), info, company=east)
        cls._make("office", datetime(2026, 12, 31, 19, 30), info, company=east)

    @classmethod
    def _make(
        cls,
        channel,
        received_at,
        topic,
        state="new",
        contract=False,
        company=None,
        **extra,
    ):
        company = company or cls.report_company
        values = {
            "channel": channel,
            "received_at": received_at,
            "topic_id": topic.id,
            "state": state,
            "contract_outcome": contract,
            "company_id": company.id,
            "user_id": False,
            "team_id": False,
        }
        if state in ("answered", "closed"):
            values["answer"] = "Ответ дан"
            values["answered_at"] = received_at
            if topic.kind == "complaint":
                values["complaint_justified"] = "partly"
                values["complaint_answer_date"] = received_at.date()
        values.update(extra)
        # The dataset reaches the end of 2026, and a received time in the
        # future is rejected, so it is written as if in 2027.
        with freeze_time("2027-06-01"):
            interaction = cls.env["grid.interaction"].create(values)
            cls.env.flush_all()
        return interaction

    def _report(self, companies=None):
        companies = companies or self.report_company
        allowed = self.report_company | self.company_east
        return (
            self.env["grid.service.quality.report"]
            .with_context(allowed_company_ids=allowed.ids)
            .create({"year": 2026, "company_ids": [Command.set(companies.ids)]})
        )

    # ------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------

    @users("cc_manager")
    def test_every_cell_of_the_table(self):
        values = self._report()._report_values()
        (company,) = values["companies"]
        self.assertEqual([row["key"] for row in company["rows"]], list(ROWS))
        for row in company["rows"]:
            for column, cell in zip(COLUMNS, row["cells"], strict=True):
                previous, current, change = EXPECTED_2026[row["key"]][column]
                where = f"row {row['key']}, column {column}"
                self.assertEqual(cell["previous"], previous, where)
                self.assertEqual(cell["current"], current, where)
                self.assertEqual(cell["change"], change, where)
                expected_text = "—" if change is None else f"{change:.2f}"
                self.assertEqual(cell["change_text"], expected_text, where)

    @users("cc_manager")
    def test_companies_counted_in_own_time_zone(self):
        values = self._report(self.report_company | self.company_east)._report_values()
        by_name = {company["name"]: company for company in values["companies"]}
        east_rows = {
            row["key"]: row["cells"] for row in by_name["Восточные сети"]["rows"]
        }
        in_person, telephone = east_rows["all"][0], east_rows["all"][1]
        self.assertEqual((in_person["previous"], in_person["current"]), (0, 2))
        self.assertIsNone(in_person["change"])
        self.assertEqual((telephone["previous"], telephone["current"]), (3, 0))
        self.assertEqual(telephone["change"], -100.0)
        main_rows = {
            row["key"]: row["cells"] for row in by_name["Западные сети"]["rows"]
        }
        self.assertEqual(main_rows["all"][0]["current"], 4)

    def test_change_percent_handles_zero_base(self):
        report = self.env["grid.service.quality.report"]
        self.assertEqual(report._change_percent(0, 0), 0.0)
        self.assertIsNone(report._change_percent(0, 7))
        self.assertEqual(report._change_percent(3, 4), 33.33)
        self.assertEqual(report._change_percent(3, 2), -33.33)
        self.assertEqual(report._change_percent(8, 0), -100.0)

    def test_unknown_channel_goes_to_other(self):
        report = self.env["grid.service.quality.report"]
        self.assertEqual(report._channel_form_column("fax"), "other")
        self.assertEqual(report._channel_form_column("messenger"), "internet")

    def test_year_out_of_range_rejected(self):
        with self.assertRaises(ValidationError):
            self.env["grid.service.quality.report"].create({"year": 26})

    # ------------------------------------------------------------
    # Screen and file
    # ------------------------------------------------------------

    @users("cc_manager")
    def test_screen_shows_every_cell(self):
        report = self._report()
        document = html.fromstring(str(report.report_html))
        table = document.xpath(f"//table[@data-company-id='{self.report_company.id}']")[
            0
        ]
        for row in ROWS:
            cells = table.xpath(f".//tr[@data-row='{row}']/td")
            texts = [cell.text_content().strip() for cell in cells[2:]]
            expected = []
            for column in COLUMNS:
                previous, current, change = EXPECTED_2026[row][column]
                change_text = "—" if change is None else f"{change:.2f}"
                expected += [str(previous), str(current), change_text]
            self.assertEqual(texts, expected, f"row {row}")

    @users("cc_manager")
    def test_screen_explains_mapping_and_definitions(self):
        text = html.fromstring(str(self._report().report_html)).text_content()
        self.assertIn("Remote by Telephone: Incoming Call", text)
        self.assertNotIn("Incoming Call, Outgoing Call", text)
        self.assertIn("No row counts the calls that the company makes", text)
        self.assertIn("Electronic via the Internet: Website, E-mail, Messenger", text)
        self.assertIn("Written by Post: Letter", text)
        self.assertIn("In Person: Office Visit", text)
        self.assertIn("Other: every channel not listed above", text)
        self.assertIn("cancelled ones excluded", text)
        self.assertIn("whatever the verdict", text)

    @users("cc_manager")
    def test_xlsx_matches_form_layout(self):
        content = self._report(self.report_company | self.company_east)._render_xlsx()
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(len(workbook.worksheets), 2)
        sheet = workbook.worksheets[0]
        self.assertEqual(sheet.title, "Западные сети")
        # Header: two lines, then the column numbers 1 to 17.
        self.assertEqual(sheet.cell(4, 1).value, "No.")
        self.assertEqual(sheet.cell(4, 2).value, "Indicator")
        self.assertEqual(sheet.cell(4, 3).value, "In Person")
        self.assertEqual(sheet.cell(4, 6).value, "Remote by Telephone")
        self.assertEqual(sheet.cell(4, 15).value, "Other")
        self.assertEqual(
            [sheet.cell(5, column).value for column in (3, 4, 5)],
            [2025, 2026, "Change, %"],
        )
        self.assertEqual(
            [sheet.cell(6, column).value for column in range(1, 18)],
            list(range(1, 18)),
        )
        for offset, row in enumerate(ROWS):
            line = 7 + offset
            self.assertEqual(sheet.cell(line, 1).value, str(offset + 1))
            for index, column in enumerate(COLUMNS):
                previous, current, change = EXPECTED_2026[row][column]
                first = 3 + 3 * index
                where = f"row {row}, column {column}"
                self.assertEqual(sheet.cell(line, first).value, previous, where)
                self.assertEqual(sheet.cell(line, first + 1).value, current, where)
                expected_change = "—" if change is None else change
                self.assertEqual(
                    sheet.cell(line, first + 2).value, expected_change, where
                )
        notes = [sheet.cell(line, 1).value for line in range(12, sheet.max_row + 1)]
        self.assertIn("Written by Post: Letter", notes)

    # ------------------------------------------------------------
    # Contract outcome on the interaction form
    # ------------------------------------------------------------

    @users("cc_operator")
    def test_operator_marks_contract_outcome(self):
        with Form(self.env["grid.interaction"]) as form:
            form.channel = "office"
            form.topic_id = self.topic_info
        interaction = form.record
        # Tracking messages are written when the transaction commits, and
        # not for changes made in the transaction that created the record.
        self.env.flush_all()
        self.env.cr.precommit.run()
        with Form(interaction) as form:
            form.contract_outcome = "grid_connection"
            form.contract_reference = "ТП-2026/0001"
        self.assertEqual(interaction.contract_outcome, "grid_connection")
        self.env.flush_all()
        self.env.cr.precommit.run()
        interaction.invalidate_recordset(["message_ids"])
        tracking = interaction.sudo().message_ids.tracking_value_ids
        self.assertIn("contract_outcome", tracking.field_id.mapped("name"))
