import io
import os
import tempfile
from datetime import date, datetime
from unittest.mock import patch

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged, users

from ..tools import xlsx_register
from ..wizards import grid_interaction_register_export
from .common import GridContactCenterCase

HEADER = [
    "Registration Number",
    "Received",
    "Channel",
    "Consumer",
    "Account Number",
    "Caller Phone",
    "Topic",
    "State",
    "Operator",
    "Deadline",
    "Answered",
    "Overdue (answered late or open past the deadline)",
]


def load_xlsx(export):
    """Write ``export`` to a temporary file and return it as a workbook."""
    descriptor, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(descriptor)
    try:
        export._write_xlsx(path)
        with open(path, "rb") as file:
            return openpyxl.load_workbook(io.BytesIO(file.read()))
    finally:
        os.unlink(path)


def read_xlsx(export):
    """Write ``export`` to a temporary file and return its rows as lists."""
    workbook = load_xlsx(export)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


class TestRegisterWriter(TransactionCase):
    """The streaming XLSX writer on values that break naive XML."""

    COLUMNS = [("Текст", "text"), ("Когда", "datetime"), ("Да/нет", "boolean")]

    def _write(self, rows):
        descriptor, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(descriptor)
        self.addCleanup(os.unlink, path)
        count = xlsx_register.write_register_workbook(
            path, "Журнал: март/апрель", self.COLUMNS, rows, ("Да", "Нет")
        )
        return count, openpyxl.load_workbook(path)

    def test_special_characters_survive(self):
        count, workbook = self._write(
            [("<a & b> \"c\" 'd'", 46082.5, True), ("  пробелы  ", None, False)]
        )
        self.assertEqual(count, 2)
        sheet = workbook.active
        self.assertEqual(sheet.title, "Журнал  март апрель")
        self.assertEqual(sheet.cell(2, 1).value, "<a & b> \"c\" 'd'")
        self.assertEqual(sheet.cell(2, 2).value, datetime(2026, 3, 1, 12, 0))
        self.assertEqual(sheet.cell(2, 3).value, "Да")
        self.assertEqual(sheet.cell(3, 1).value, "  пробелы  ")
        self.assertEqual(sheet.cell(3, 3).value, "Нет")
        self.assertEqual(sheet.auto_filter.ref, "A1:C3")

    def test_empty_cell_keeps_columns(self):
        _count, workbook = self._write([(None, 46082.5, True)])
        sheet = workbook.active
        self.assertIsNone(sheet.cell(2, 1).value)
        self.assertEqual(sheet.cell(2, 2).value, datetime(2026, 3, 1, 12, 0))
        self.assertEqual(sheet.cell(2, 3).value, "Да")

    def test_control_characters_dropped(self):
        _count, workbook = self._write([("a\x01b\x0bc\td", None, None)])
        self.assertEqual(workbook.active.cell(2, 1).value, "abc\td")

    def test_long_text_cut_to_excel_limit(self):
        _count, workbook = self._write([("я" * 40000, None, None)])
        self.assertEqual(len(workbook.active.cell(2, 1).value), 32767)

    def test_rows_past_sheet_limit_rejected(self):
        with (
            patch.object(xlsx_register, "MAX_DATA_ROWS", 2),
            self.assertRaisesRegex(ValueError, "more than 2 rows"),
        ):
            self._write([("a", None, None)] * 3)


@freeze_time("2026-03-20 12:00:00")
class TestRegisterExport(GridContactCenterCase):
    """The XLSX register of interactions, read back cell by cell, in a
    company of its own so that demo data does not count; the supervisor
    works in Moscow time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.export_company = cls.env["res.company"].create({"name": "Сети журнала"})
        for user in cls.supervisor | cls.operator:
            user.company_ids |= cls.export_company
        cls.supervisor.tz = "Europe/Moscow"
        cls.answered_in_time = cls._make(
            "phone_in",
            datetime(2026, 3, 2, 9, 0),
            deadline=datetime(2026, 4, 1, 20, 59, 59),
            answered_at=datetime(2026, 3, 5, 10, 0),
            state="answered",
            answer="Ответ дан",
            complaint_justified="unjustified",
            complaint_answer_date=date(2026, 3, 5),
            caller_phone="+7 4012 65-43-21",
            partner=cls.consumer,
        )
        cls.open_past_deadline = cls._make(
            "email",
            datetime(2026, 1, 12, 9, 0),
            deadline=datetime(2026, 2, 11, 20, 59, 59),
        )
        cls.answered_late = cls._make(
            "letter",
            datetime(2026, 1, 13, 9, 0),
            deadline=datetime(2026, 2, 12, 20, 59, 59),
            answered_at=datetime(2026, 3, 1, 9, 0),
            state="closed",
            answer="Ответ дан",
            complaint_justified="justified",
            complaint_answer_date=date(2026, 3, 1),
        )
        cls.open_in_time = cls._make(
            "website",
            datetime(2026, 3, 10, 9, 0),
            deadline=datetime(2026, 4, 9, 20, 59, 59),
        )
        # 21:30 UTC on 28 February is 00:30 on 1 March in Moscow, and 20:30
        # UTC is still 28 February there.
        cls.first_of_march = cls._make("office", datetime(2026, 2, 28, 21, 30))
        cls.last_of_february = cls._make("office", datetime(2026, 2, 28, 20, 30))
        # The supervisor works in the main company too, but exports from the
        # register's company only.
        cls.foreign = cls._make(
            "office", datetime(2026, 3, 3, 9, 0), company=cls.company
        )

    @classmethod
    def _make(cls, channel, received_at, company=None, partner=None, **values):
        return cls.env["grid.interaction"].create(
            {
                "channel": channel,
                "received_at": received_at,
                "topic_id": cls.topic_complaint.id,
                "company_id": (company or cls.export_company).id,
                "partner_id": partner and partner.id,
                "user_id": cls.operator.id if not company else False,
                "team_id": False,
                **values,
            }
        )

    def _export(self, date_from="2026-03-01", date_to="2026-03-31", domain="[]"):
        return (
            self.env["grid.interaction.register.export"]
            .with_context(allowed_company_ids=self.export_company.ids)
            .create({"date_from": date_from, "date_to": date_to, "domain": domain})
        )

    @users("cc_supervisor")
    def test_sheet_named_after_register(self):
        self.assertEqual(load_xlsx(self._export()).active.title, "Interaction Register")

    @users("cc_supervisor")
    def test_register_cells_of_one_row(self):
        rows = read_xlsx(self._export())
        self.assertEqual(rows[0], HEADER)
        names = [row[0] for row in rows[1:]]
        self.assertEqual(
            names,
            [
                self.first_of_march.name,
                self.answered_in_time.name,
                self.open_in_time.name,
            ],
        )
        self.assertEqual(
            rows[2],
            [
                self.answered_in_time.name,
                datetime(2026, 3, 2, 12, 0),
                "Incoming Call",
                "Иванова Мария Петровна",
                "390012345",
                "+7 4012 65-43-21",
                "9 Complaint",
                "Answered",
                self.operator.name,
                datetime(2026, 4, 1, 23, 59, 59),
                datetime(2026, 3, 5, 13, 0),
                "No",
            ],
        )

    @users("cc_supervisor")
    def test_overdue_means_late_or_open_past_deadline(self):
        rows = read_xlsx(self._export(date_from="2026-01-01"))
        overdue = {row[0]: row[11] for row in rows[1:]}
        self.assertEqual(overdue[self.open_past_deadline.name], "Yes")
        self.assertEqual(overdue[self.answered_late.name], "Yes")
        self.assertEqual(overdue[self.answered_in_time.name], "No")
        self.assertEqual(overdue[self.open_in_time.name], "No")

    @users("cc_supervisor")
    def test_filter_and_period_apply(self):
        export = self._export(
            date_from="2026-01-01", domain="[('channel', 'in', ('email', 'letter'))]"
        )
        self.assertEqual(export.row_count, 2)
        names = [row[0] for row in read_xlsx(export)[1:]]
        self.assertEqual(names, [self.open_past_deadline.name, self.answered_late.name])

    @users("cc_supervisor")
    def test_period_ends_follow_user_time_zone(self):
        february = [
            row[0] for row in read_xlsx(self._export("2026-02-01", "2026-02-28"))[1:]
        ]
        self.assertIn(self.last_of_february.name, february)
        self.assertNotIn(self.first_of_march.name, february)

    @users("cc_supervisor")
    def test_other_company_not_exported(self):
        # Registration numbers repeat across companies: compare the times.
        rows = read_xlsx(self._export(date_from=False, date_to=False))[1:]
        self.assertEqual(len(rows), 6)
        self.assertNotIn(datetime(2026, 3, 3, 12, 0), [row[1] for row in rows])

    @users("cc_supervisor")
    def test_chunks_cover_equal_timestamps(self):
        same_time = datetime(2026, 3, 15, 9, 0)
        batch = self.env["grid.interaction"].browse(
            [self._make("phone_in", same_time).id for _index in range(5)]
        )
        with patch.object(grid_interaction_register_export, "CHUNK_SIZE", 2):
            names = [row[0] for row in read_xlsx(self._export())[1:]]
        self.assertEqual(len(names), 8)
        self.assertEqual(len(set(names)), 8)
        self.assertEqual(names[3:], batch.sorted("id").mapped("name"))

    @users("cc_supervisor")
    def test_invalid_filter_rejected(self):
        filters = [
            "[('channel', '=',",
            "[('state', '=', 'closed')",
            "[('no_such_field', '=', 1)]",
            "{'state': 'closed'}",
        ]
        for text in filters:
            with self.subTest(filter=text):
                export = self._export(domain=text)
                self.assertEqual(export.row_count, 0)
                with self.assertRaisesRegex(UserError, "not a valid domain"):
                    export.action_export()

    @users("cc_supervisor")
    def test_empty_export_rejected(self):
        export = self._export(domain="[('channel', '=', 'messenger')]")
        self.assertEqual(export.row_count, 0)
        with self.assertRaisesRegex(UserError, "No interaction matches"):
            export.action_export()

    @users("cc_supervisor")
    def test_reversed_period_rejected(self):
        with self.assertRaisesRegex(UserError, "swap the dates"):
            self._export(date_from="2026-03-31", date_to="2026-03-01")

    @users("cc_supervisor")
    def test_list_filter_becomes_default(self):
        domain = [("channel", "=", "letter")]
        export = (
            self.env["grid.interaction.register.export"]
            .with_context(
                active_model="grid.interaction",
                active_domain=domain,
                allowed_company_ids=self.export_company.ids,
            )
            .create({"date_from": False, "date_to": False})
        )
        self.assertEqual(export.domain, repr(domain))
        self.assertEqual(export.row_count, 1)


@tagged("post_install", "-at_install")
class TestReportDownloads(HttpCase):
    """The XLSX files as the browser downloads them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A company of their own, so that demo data does not count.
        company = cls.env["res.company"].create({"name": "Сети загрузки"})
        cls.supervisor, cls.manager = (
            new_test_user(
                cls.env,
                login,
                groups=f"grid_contact_center.group_{role}",
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )
            for login, role in (
                ("cc_dl_supervisor", "supervisor"),
                ("cc_dl_manager", "manager"),
            )
        )
        cls.env["grid.interaction"].create(
            {
                "channel": "letter",
                "received_at": datetime(2026, 3, 2, 9, 0),
                "company_id": company.id,
                "user_id": False,
                "team_id": False,
            }
        )

    def test_register_streams_to_its_creator_only(self):
        export = (
            self.env["grid.interaction.register.export"]
            .with_user(self.supervisor)
            .create({"date_from": "2026-03-01", "date_to": "2026-03-31"})
        )
        url = f"/grid_contact_center/register/{export.id}/xlsx"
        self.authenticate("cc_dl_supervisor", "cc_dl_supervisor")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn(
            "register-2026-03-01-2026-03-31.xlsx",
            response.headers["Content-Disposition"],
        )
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet.max_row, 2)
        self.assertEqual(sheet.cell(2, 3).value, "Letter")
        self.authenticate("cc_dl_manager", "cc_dl_manager")
        self.assertEqual(self.url_open(url).status_code, 404)

    def test_service_quality_xlsx_downloads(self):
        report = (
            self.env["grid.service.quality.report"]
            .with_user(self.manager)
            .create({"year": 2026})
        )
        self.authenticate("cc_dl_manager", "cc_dl_manager")
        response = self.url_open(
            f"/grid_contact_center/service_quality/{report.id}/xlsx"
        )
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet.cell(5, 4).value, 2026)
        self.assertGreaterEqual(sheet.cell(7, 13).value, 1)
