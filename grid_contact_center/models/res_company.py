from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.working_days import WorkingDays, window_for

INTERACTION_SEQUENCE_CODE = "grid.interaction"
# Monday to Friday, for a company without a working calendar.
DEFAULT_WEEKDAYS = (0, 1, 2, 3, 4)
# A term whose end cannot be found within this many windows points at a
# calendar without working days.
MAX_WINDOW_GROWTH = 5


class ResCompany(models.Model):
    _inherit = "res.company"

    grid_default_area_code = fields.Char(
        string="Default Area Code",
        help="Telephone area code (for example 4012) that completes six- and "
        "seven-digit city numbers, as callers and PBXs often send them without it.",
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._grid_create_interaction_sequences()
        return companies

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _grid_create_interaction_sequences(self):
        """Create the yearly registration-number sequence (2026-000123) of each
        company that has none."""
        sequences = self.env["ir.sequence"].sudo()
        existing = sequences.search(
            [("code", "=", INTERACTION_SEQUENCE_CODE), ("company_id", "in", self.ids)]
        )
        missing = self - existing.company_id
        sequences.create(
            [
                {
                    "name": self.env._(
                        "Interactions of %(company)s", company=company.name
                    ),
                    "code": INTERACTION_SEQUENCE_CODE,
                    "company_id": company.id,
                    "prefix": "%(range_year)s-",
                    "padding": 6,
                    "use_date_range": True,
                    "implementation": "standard",
                }
                for company in missing
            ]
        )

    def _grid_timezone(self):
        self.ensure_one()
        name = self.resource_calendar_id.tz or self.partner_id.tz or "UTC"
        return pytz.timezone(name)

    def _grid_today(self):
        """Return the company's current date in its time zone, which is the
        date of its consumers whatever the time zone of the user at work."""
        self.ensure_one()
        now = pytz.utc.localize(fields.Datetime.now())
        return now.astimezone(self._grid_timezone()).date()

    def _grid_working_days(self, first, last):
        """Load the company's working days between two local dates.

        They are the weekdays of its working calendar, minus the days off of
        that calendar, of no calendar in this company and the public holidays,
        plus the weekend days that a transfer of days off made working.
        """
        self.ensure_one()
        calendar = self.resource_calendar_id
        weekdays = {
            int(attendance.dayofweek)
            for attendance in calendar.attendance_ids
            if attendance.day_period != "lunch"
        } or set(DEFAULT_WEEKDAYS)
        timezone = self._grid_timezone()
        start_utc = (
            timezone.localize(datetime.combine(first, time.min))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )
        end_utc = (
            timezone.localize(datetime.combine(last, time.max))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("resource_id", "=", False),
                    ("date_from", "<=", end_utc),
                    ("date_to", ">=", start_utc),
                    "|",
                    ("calendar_id", "=", calendar.id),
                    "&",
                    ("calendar_id", "=", False),
                    "|",
                    ("company_id", "in", [False, self.id]),
                    ("grid_public_holiday", "=", True),
                ]
            )
        )
        holidays = set()
        for leave in leaves:
            holidays.update(_days_covered(leave.date_from, leave.date_to, timezone))
        workdays = (
            self.env["grid.workday"]
            .sudo()
            .search(
                [
                    ("date", ">=", first),
                    ("date", "<=", last),
                    ("company_id", "in", [False, self.id]),
                ]
            )
        )
        return WorkingDays(first, last, weekdays, holidays, workdays.mapped("date"))

    def _grid_deadline(self, start, amount, unit):
        """Return the deadline of a term, as a naive UTC datetime.

        ``start`` is a naive UTC datetime. Hours are clock hours. A term in
        days ends at the end of its last day in the company's time zone; a
        last day that is not a working day moves to the next working day, as
        article 193 of the Civil Code of the Russian Federation provides.
        Working days count from the day after ``start``.
        """
        self.ensure_one()
        if not start or not unit:
            return False
        if unit == "hours":
            return start + timedelta(hours=amount)
        timezone = self._grid_timezone()
        local_start = pytz.utc.localize(start).astimezone(timezone).date()
        window = window_for(amount, unit)
        for _attempt in range(MAX_WINDOW_GROWTH):
            days = self._grid_working_days(local_start, local_start + timedelta(window))
            try:
                if unit == "working_days":
                    last_day = days.add_working_days(local_start, amount)
                else:
                    last_day = days.next_working_day(
                        local_start + timedelta(days=amount)
                    )
                break
            except ValueError:
                window *= 2
        else:
            raise UserError(
                self.env._(
                    "The working calendar %(calendar)s of %(company)s has no working "
                    "day within %(days)s days: check its working hours and days off.",
                    calendar=self.resource_calendar_id.display_name,
                    company=self.display_name,
                    days=window,
                )
            )
        end = timezone.localize(datetime.combine(last_day, time(23, 59, 59)))
        return end.astimezone(pytz.utc).replace(tzinfo=None)


def _days_covered(date_from, date_to, timezone):
    """Yield the local dates whose midday lies inside a leave. Testing midday
    keeps a leave stored from 00:00 to 23:59 UTC on its own date in every
    time zone from UTC-11 to UTC+11."""
    first = pytz.utc.localize(date_from).astimezone(timezone).date()
    last = pytz.utc.localize(date_to).astimezone(timezone).date()
    day = first
    while day <= last:
        midday = (
            timezone.localize(datetime.combine(day, time(12)))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )
        if date_from <= midday <= date_to:
            yield day
        day += timedelta(days=1)
