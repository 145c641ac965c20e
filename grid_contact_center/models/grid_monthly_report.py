import logging
from collections import defaultdict

import pytz
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.tools.misc import format_date

_logger = logging.getLogger(__name__)


class GridMonthlyReport(models.AbstractModel):
    """The monthly e-mail to the contact center's managers: the dashboard's
    sections for the past month and, attached, the service-quality report of
    that month's year to date."""

    _name = "grid.monthly.report"
    _description = "Monthly Contact Center Report"

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    @api.model
    def _cron_send_monthly_reports(self):
        """Send each company's report for the previous calendar month, once.

        A company whose report for that month went out is skipped, so that a
        repeated or late run sends nothing twice. The run is one transaction:
        if a company fails, no mail of the run is queued and the next run
        tries them all again.
        """
        for company in self.env["res.company"].search([]):
            month = self._previous_month(company)
            if (
                company.grid_monthly_report_last_month
                and company.grid_monthly_report_last_month >= month
            ):
                continue
            mails = self._send_monthly_report(company, month)
            company.grid_monthly_report_last_month = month
            _logger.info(
                "Monthly contact center report for %s of company %s: %s e-mails queued",
                month,
                company.id,
                len(mails),
            )

    @api.model
    def _previous_month(self, company, now=None):
        """Return the first day of the calendar month before the current one
        in the company's time zone."""
        now = now or fields.Datetime.now()
        local_today = pytz.utc.localize(now).astimezone(company._grid_timezone()).date()
        return local_today.replace(day=1) - relativedelta(months=1)

    @api.model
    def _recipients(self, company):
        """Return the users who receive ``company``'s report: those set in
        the settings, or else the company's contact center managers. Users
        without an e-mail address are left out."""
        users = company.grid_monthly_report_user_ids
        if not users:
            users = (
                self.env.ref("grid_contact_center.group_manager")
                .users.filtered(lambda user: company in user.company_ids)
                .filtered(lambda user: not user._is_superuser())
            )
        return users.filtered("email")

    @api.model
    def _send_monthly_report(self, company, month):
        """Queue the report of ``company`` for the month starting on the date
        ``month``, one e-mail per language of the recipients; return the
        ``mail.mail`` records."""
        recipients = self._recipients(company)
        if not recipients:
            _logger.warning(
                "Monthly contact center report of company %s not sent: no "
                "recipient with an e-mail address",
                company.id,
            )
            return self.env["mail.mail"]
        by_lang = defaultdict(lambda: self.env["res.users"])
        for user in recipients:
            by_lang[user.lang or "en_US"] |= user
        mails = self.env["mail.mail"]
        for lang, users in by_lang.items():
            mails |= self.with_context(lang=lang)._build_mail(company, month, users)
        return mails

    def _build_mail(self, company, month, users):
        values = self._mail_values(company, month)
        report = (
            self.env["grid.service.quality.report"]
            .with_company(company)
            .create({"year": month.year, "company_ids": [Command.set(company.ids)]})
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": report._xlsx_filename(),
                "raw": report._render_xlsx(),
                "mimetype": "application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet",
            }
        )
        body = self.env["ir.qweb"]._render(
            "grid_contact_center.monthly_report_mail", values
        )
        return self.env["mail.mail"].create(
            {
                "subject": values["subject"],
                "body_html": body,
                "email_from": company.email_formatted or self.env.user.email_formatted,
                "recipient_ids": [Command.set(users.partner_id.ids)],
                "attachment_ids": [Command.link(attachment.id)],
                "auto_delete": True,
            }
        )

    def _mail_values(self, company, month):
        """Return the values of the e-mail's template for ``company`` and the
        month that starts on ``month``."""
        end = month + relativedelta(months=1)
        month_label = format_date(self.env, month, date_format="LLLL yyyy")
        dashboard = self.env["grid.dashboard"].with_company(company)
        context = dashboard._period_context(
            month,
            end,
            month_label,
            company._grid_timezone(),
            fields.Datetime.now(),
            companies=company,
        )
        sections = sorted(
            dashboard._dashboard_sections(context),
            key=lambda section: section["sequence"],
        )
        return {
            "subject": self.env._(
                "Contact center report for %(month)s: %(company)s",
                month=month_label,
                company=company.name,
            ),
            "company": company,
            "month_label": month_label,
            "sections": sections,
            "format_value": self._format_value,
            "attachment_note": self.env._(
                "Attached: the service-quality report for %(year)s to date, with "
                "%(previous)s beside it.",
                year=month.year,
                previous=month.year - 1,
            ),
        }

    @api.model
    def _format_value(self, card):
        value = card.get("value")
        if value is None or value is False:
            return "—"
        unit = card.get("unit")
        text = str(value) if isinstance(value, int) else f"{value:.1f}"
        return f"{text} {unit}" if unit else text
