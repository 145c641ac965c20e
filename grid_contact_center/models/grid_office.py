from collections import Counter, defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .grid_service_point import HOUSE_PREFIX
from .res_company import _days_covered

# Booked and attended visits hold a seat; a cancelled one frees it, and a
# no-show keeps it because the slot has passed.
SEAT_STATES = ("booked", "attended", "no_show")


class GridOffice(models.Model):
    """A service office where consumers come by appointment (duty 1 of the
    unified service standards). Its working calendar is cut into slots of a
    fixed length, each with a number of seats (consultants at the desk)."""

    _name = "grid.office"
    _description = "Service Office"
    _inherit = ["mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    settlement_id = fields.Many2one("grid.settlement", required=True, tracking=True)
    street = fields.Char(tracking=True)
    house = fields.Char(tracking=True)
    full_address = fields.Char(compute="_compute_full_address", store=True)
    phone = fields.Char()
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Calendar",
        required=True,
        check_company=True,
        default=lambda self: self.env.company.resource_calendar_id,
        tracking=True,
        help="Reception hours of the office; its days off and the public holidays "
        "have no slots.",
    )
    slot_minutes = fields.Integer(
        string="Slot Length (minutes)", required=True, default=30, tracking=True
    )
    seats_per_slot = fields.Integer(
        required=True,
        default=1,
        tracking=True,
        help="How many consumers the office receives at the same time.",
    )
    booking_days = fields.Integer(
        string="Book Ahead (days)",
        default=30,
        help="How many days ahead consumers may book a visit.",
    )
    note = fields.Html(
        help="What consumers should bring or know; shown to operators who book."
    )
    appointment_ids = fields.One2many("grid.appointment", "office_id")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "slot_minutes_positive",
            "check (slot_minutes > 0)",
            "The slot length must be positive.",
        ),
        (
            "seats_positive",
            "check (seats_per_slot > 0)",
            "An office receives at least one consumer per slot.",
        ),
    ]

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("settlement_id.name", "street", "house")
    def _compute_full_address(self):
        for office in self:
            parts = [office.settlement_id.name, office.street]
            if office.house:
                parts.append(f"{HOUSE_PREFIX} {office.house}")
            office.full_address = ", ".join(part for part in parts if part)

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _timezone(self):
        self.ensure_one()
        return pytz.timezone(
            self.resource_calendar_id.tz or self.company_id._grid_timezone().zone
        )

    def _slots(self, first, last):
        """Return the slots ``(start, end)`` as naive UTC datetimes of the
        local dates ``first`` to ``last``.

        Slots follow the attendances of the office's calendar, lunch breaks
        excluded. Public holidays, the company's days off and whole days off
        of the office's calendar have no slots. A partial day off of the
        office's calendar removes the slots it overlaps.
        """
        self.ensure_one()
        timezone = self._timezone()
        calendar = self.resource_calendar_id
        start_utc = _local_to_utc(timezone, first, time.min)
        end_utc = _local_to_utc(timezone, last, time.max)
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("resource_id", "=", False),
                    ("time_type", "=", "leave"),
                    ("date_from", "<=", end_utc),
                    ("date_to", ">=", start_utc),
                    "|",
                    ("calendar_id", "=", calendar.id),
                    "&",
                    ("calendar_id", "=", False),
                    "|",
                    ("company_id", "in", [False, self.company_id.id]),
                    ("grid_public_holiday", "=", True),
                ]
            )
        )
        days_off = set()
        office_leaves = []
        for leave in leaves:
            if leave.calendar_id:
                office_leaves.append((leave.date_from, leave.date_to))
            else:
                days_off.update(_days_covered(leave.date_from, leave.date_to, timezone))
        attendances = calendar.attendance_ids.filtered(
            lambda attendance: (
                attendance.day_period != "lunch"
                and not attendance.display_type
                and not attendance.resource_id
            )
        )
        by_weekday = defaultdict(list)
        for attendance in attendances:
            by_weekday[int(attendance.dayofweek)].append(attendance)
        length = timedelta(minutes=self.slot_minutes)
        slots = []
        day = first
        attendance_model = self.env["resource.calendar.attendance"]
        while day <= last:
            if day not in days_off:
                week_type = (
                    str(attendance_model.get_week_type(day))
                    if calendar.two_weeks_calendar
                    else False
                )
                for attendance in sorted(
                    by_weekday[day.weekday()], key=lambda a: a.hour_from
                ):
                    if week_type and attendance.week_type != week_type:
                        continue
                    slots += _cut_slots(timezone, day, attendance, length)
            day += timedelta(days=1)
        return [
            (start, end)
            for start, end in slots
            if not any(start < to and end > since for since, to in office_leaves)
        ]

    def _slot_end(self, start):
        """Return the end of the slot that starts at ``start``, or False when
        no slot of the office starts then."""
        self.ensure_one()
        day = pytz.utc.localize(start).astimezone(self._timezone()).date()
        for slot_start, slot_end in self._slots(day, day):
            if slot_start == start:
                return slot_end
        return False

    def _availability(self, first, last):
        """Return ``[(start, end, free seats)]`` for the slots of the local
        dates ``first`` to ``last``, full and past slots included."""
        self.ensure_one()
        slots = self._slots(first, last)
        if not slots:
            return []
        booked = (
            self.env["grid.appointment"]
            .sudo()
            .search(
                [
                    ("office_id", "=", self.id),
                    ("slot_start", ">=", slots[0][0]),
                    ("slot_start", "<=", slots[-1][0]),
                    ("state", "in", SEAT_STATES),
                ]
            )
        )
        taken = Counter(booked.mapped("slot_start"))
        return [
            (start, end, max(self.seats_per_slot - taken.get(start, 0), 0))
            for start, end in slots
        ]

    def _check_bookable(self, start):
        """Raise unless a slot of the office starts at ``start``."""
        self.ensure_one()
        if not self._slot_end(start):
            local = pytz.utc.localize(start).astimezone(self._timezone())
            raise ValidationError(
                self.env._(
                    "Office %(office)s has no slot starting at %(time)s: the office "
                    "is closed then or its slots start at other times.",
                    office=self.display_name,
                    time=local.strftime("%d.%m.%Y %H:%M"),
                )
            )


def _local_to_utc(timezone, day, moment):
    local = timezone.localize(datetime.combine(day, moment))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def _cut_slots(timezone, day, attendance, length):
    """Cut one attendance of a day into slots of ``length``, as naive UTC."""
    begin = datetime.combine(day, time()) + timedelta(hours=attendance.hour_from)
    finish = datetime.combine(day, time()) + timedelta(hours=attendance.hour_to)
    slots = []
    while begin + length <= finish:
        start = timezone.localize(begin).astimezone(pytz.utc).replace(tzinfo=None)
        slots.append((start, start + length))
        begin += length
    return slots
