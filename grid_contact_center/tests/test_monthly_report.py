import base64
import io
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time
from lxml import html

from odoo import Command
from odoo.tests import new_test_user

from .common import GridContactCenterCase


@freeze_time("2026-04-01 03:00:00")
class TestMonthlyReport(GridContactCenterCase):
    """The monthly e-mail, sent at 06:00 on 1 April 2026 in Moscow for
    March, in a company of its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.report_company = cls.env["res.company"].create({"name": "Сети отчёта"})
        cls.report_company.resource_calendar_id.tz = "Europe/Moscow"
        cls.reader_en = new_test_user(
            cls.env,
            "cc_report_reader_en",
            groups="grid_contact_center.group_manager",
            company_ids=[Command.set(cls.report_company.ids)],
            company_id=cls.report_company.id,
        )
        cls.reader_ru = new_test_user(
            cls.env,
            "cc_report_reader_ru",
            groups="grid_contact_center.group_manager",
            company_ids=[Command.set(cls.report_company.ids)],
            company_id=cls.report_company.id,
            lang="ru_RU",
        )
        cls.report_company.grid_monthly_report_user_ids = cls.reader_en | cls.reader_ru
        for day, channel in ((2, "phone_in"), (15, "phone_in"), (31, "letter")):
            cls.env["grid.interaction"].create(
                {
                    "channel": channel,
                    "received_at": datetime(2026, 3, day, 9, 0),
                    "company_id": cls.report_company.id,
                    "topic_id": cls.topic_info.id,
                    "user_id": False,
                    "team_id": False,
                }
            )
        # 1 April in Moscow: outside March.
        cls.env["grid.interaction"].create(
            {
                "channel": "phone_in",
                "received_at": datetime(2026, 3, 31, 21, 30),
                "company_id": cls.report_company.id,
                "user_id": False,
                "team_id": False,
            }
        )

    def _company_mails(self):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", (self.reader_en | self.reader_ru).partner_id.ids)]
        )

    def test_previous_month_in_company_time_zone(self):
        report = self.env["grid.monthly.report"]
        self.assertEqual(report._previous_month(self.report_company), date(2026, 3, 1))
        # 20:30 UTC on 31 March is still March in Moscow.
        self.assertEqual(
            report._previous_month(
                self.report_company, now=datetime(2026, 3, 31, 20, 30)
            ),
            date(2026, 2, 1),
        )

    def test_one_mail_per_language(self):
        self.env["grid.monthly.report"]._cron_send_monthly_reports()
        mails = self._company_mails()
        self.assertEqual(len(mails), 2)
        english = mails.filtered(
            lambda mail: mail.recipient_ids == self.reader_en.partner_id
        )
        russian = mails.filtered(
            lambda mail: mail.recipient_ids == self.reader_ru.partner_id
        )
        self.assertEqual(
            english.subject, "Contact center report for March 2026: Сети отчёта"
        )
        self.assertIn("март 2026", russian.subject)
        self.assertIn("Отчёт контакт-центра", russian.subject)

    def test_mail_body_has_month_figures(self):
        self.env["grid.monthly.report"]._cron_send_monthly_reports()
        english = self._company_mails().filtered(
            lambda mail: mail.recipient_ids == self.reader_en.partner_id
        )
        body = html.fromstring(english.body_html)
        received = body.xpath(
            "//table[@data-section='interactions']/tr[@data-card='received']/td"
        )
        self.assertEqual(received[1].text_content().strip(), "3")
        letters = body.xpath(
            "//table[@data-section='interactions']/tr[@data-card='channel_letter']/td"
        )
        self.assertEqual(letters[1].text_content().strip(), "1")

    def test_attachment_is_service_quality_report(self):
        self.env["grid.monthly.report"]._cron_send_monthly_reports()
        english = self._company_mails().filtered(
            lambda mail: mail.recipient_ids == self.reader_en.partner_id
        )
        (attachment,) = english.attachment_ids
        self.assertTrue(attachment.name.endswith("2026.xlsx"))
        content = base64.b64decode(attachment.datas)
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        self.assertEqual(sheet.title, "Сети отчёта")
        # Row 1, telephone: none in 2025; the two March calls and the call
        # of 1 April (in 2026 too) this year.
        self.assertEqual(sheet.cell(7, 6).value, 0)
        self.assertEqual(sheet.cell(7, 7).value, 3)

    def test_second_run_sends_nothing(self):
        monthly = self.env["grid.monthly.report"]
        monthly._cron_send_monthly_reports()
        self.assertEqual(
            self.report_company.grid_monthly_report_last_month, date(2026, 3, 1)
        )
        monthly._cron_send_monthly_reports()
        self.assertEqual(len(self._company_mails()), 2)

    def test_managers_receive_it_by_default(self):
        self.report_company.grid_monthly_report_user_ids = False
        recipients = self.env["grid.monthly.report"]._recipients(self.report_company)
        self.assertIn(self.reader_en, recipients)
        self.assertIn(self.reader_ru, recipients)
        self.assertNotIn(self.operator, recipients)

    def test_no_recipient_sends_nothing(self):
        self.report_company.grid_monthly_report_user_ids = self.reader_en
        self.reader_en.email = False
        mails = self.env["grid.monthly.report"]._send_monthly_report(
            self.report_company, date(2026, 3, 1)
        )
        self.assertFalse(mails)
