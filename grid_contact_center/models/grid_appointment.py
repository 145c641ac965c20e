import logging

import psycopg2
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger

from .grid_office import SEAT_STATES

_logger = logging.getLogger(__name__)

APPOINTMENT_STATES = [
    ("booked", "Booked"),
    ("attended", "Attended"),
    ("no_show", "No-Show"),
    ("cancelled", "Cancelled"),
]


class GridAppointment(models.Model):
    """A consumer's visit to a service office, booked into a slot.

    Each booked, attended or missed visit takes one seat number of its slot.
    A unique index on (office, slot, seat) rejects the second of two
    bookings of the same seat, even when two operators book at the same
    moment, and the booking then tries the next seat or reports the slot
    full.
    """

    _name = "grid.appointment"
    _description = "Office Appointment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "slot_start desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    partner_id = fields.Many2one(
        "res.partner",
        string="Consumer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    service_point_id = fields.Many2one(
        "grid.service.point",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', '=?', partner_id)]",
    )
    office_id = fields.Many2one(
        "grid.office",
        string="Office",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="office_id.company_id", store=True, index=True, precompute=True
    )
    slot_start = fields.Datetime(required=True, index=True, tracking=True)
    slot_end = fields.Datetime(compute="_compute_slot_end", store=True)
    seat = fields.Integer(
        readonly=True,
        copy=False,
        help="Place taken in the slot; empty once the appointment is cancelled.",
    )
    topic_id = fields.Many2one("grid.topic", ondelete="restrict")
    interaction_id = fields.Many2one(
        "grid.interaction",
        index="btree_not_null",
        check_company=True,
        ondelete="set null",
    )
    state = fields.Selection(
        APPOINTMENT_STATES,
        required=True,
        default="booked",
        tracking=True,
        index=True,
        copy=False,
    )
    user_id = fields.Many2one(
        "res.users", string="Booked By", default=lambda self: self.env.user
    )
    note = fields.Text()

    _sql_constraints = [
        (
            "seat_unique",
            "unique (office_id, slot_start, seat)",
            "This seat of the slot is already booked.",
        ),
    ]

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("office_id.slot_minutes", "slot_start")
    def _compute_slot_end(self):
        for appointment in self:
            if appointment.slot_start and appointment.office_id:
                appointment.slot_end = fields.Datetime.add(
                    appointment.slot_start, minutes=appointment.office_id.slot_minutes
                )
            else:
                appointment.slot_end = False

    @api.depends("partner_id", "office_id", "slot_start")
    def _compute_display_name(self):
        for appointment in self:
            if not appointment.slot_start:
                appointment.display_name = appointment.partner_id.display_name or ""
                continue
            timezone = appointment.office_id._timezone()
            local = pytz.utc.localize(appointment.slot_start).astimezone(timezone)
            appointment.display_name = (
                f"{appointment.partner_id.name or ''}, "
                f"{appointment.office_id.name}, {local.strftime('%d.%m.%Y %H:%M')}"
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        appointments = self.browse()
        for vals in vals_list:
            office = self.env["grid.office"].browse(vals["office_id"])
            start = fields.Datetime.to_datetime(vals["slot_start"])
            state = vals.get("state", "booked")
            office._check_bookable(start)
            if state == "booked" and start < now:
                raise ValidationError(
                    self.env._("A visit cannot be booked into a slot that has begun.")
                )
            if state not in SEAT_STATES:
                appointments |= super().create([vals])
                continue
            appointments |= self._create_in_free_seat(office, start, vals)
        return appointments

    def write(self, vals):
        if "seat" in vals:
            raise UserError(self.env._("Seats are given by the booking itself."))
        moves = {"office_id", "slot_start", "state"} & vals.keys()
        if not moves:
            return super().write(vals)
        for appointment in self:
            office = self.env["grid.office"].browse(
                vals.get("office_id", appointment.office_id.id)
            )
            start = fields.Datetime.to_datetime(
                vals.get("slot_start", appointment.slot_start)
            )
            state = vals.get("state", appointment.state)
            if state not in SEAT_STATES:
                super(GridAppointment, appointment).write({**vals, "seat": False})
            elif (
                appointment.seat
                and office == appointment.office_id
                and start == appointment.slot_start
            ):
                super(GridAppointment, appointment).write(vals)
            else:
                office._check_bookable(start)
                appointment._move_to_free_seat(office, start, vals)
        return True

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_attend(self):
        self.write({"state": "attended"})

    def action_no_show(self):
        self.write({"state": "no_show"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _free_seats(self, office, start):
        """Return the seat numbers of a slot that look free in this
        transaction's snapshot; another transaction may take any of them."""
        taken = set(
            self.sudo()
            .search(
                [
                    ("office_id", "=", office.id),
                    ("slot_start", "=", start),
                    ("seat", "!=", False),
                ]
            )
            .mapped("seat")
        )
        return [
            seat for seat in range(1, office.seats_per_slot + 1) if seat not in taken
        ]

    def _raise_full(self, office, start):
        local = pytz.utc.localize(start).astimezone(office._timezone())
        raise ValidationError(
            self.env._(
                "The slot of %(time)s at %(office)s is fully booked. Choose another "
                "slot.",
                time=local.strftime("%d.%m.%Y %H:%M"),
                office=office.display_name,
            )
        )

    def _create_in_free_seat(self, office, start, vals):
        for seat in self._free_seats(office, start):
            try:
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    return super().create([{**vals, "seat": seat}])
            except psycopg2.errors.UniqueViolation:
                _logger.info(
                    "Seat %s of office %s at %s was taken concurrently; trying the "
                    "next one",
                    seat,
                    office.id,
                    start,
                )
        return self._raise_full(office, start)

    def _move_to_free_seat(self, office, start, vals):
        self.ensure_one()
        for seat in self._free_seats(office, start):
            try:
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    super().write({**vals, "seat": seat})
                return
            except psycopg2.errors.UniqueViolation:
                _logger.info(
                    "Seat %s of office %s at %s was taken concurrently; trying the "
                    "next one",
                    seat,
                    office.id,
                    start,
                )
        self._raise_full(office, start)
