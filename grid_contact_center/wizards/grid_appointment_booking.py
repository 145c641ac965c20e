from datetime import timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class GridAppointmentBooking(models.TransientModel):
    """Books a consumer's visit: choose an office and a day, then a slot
    with a free seat."""

    _name = "grid.appointment.booking"
    _description = "Office Visit Booking"

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    partner_id = fields.Many2one("res.partner", string="Consumer", required=True)
    service_point_id = fields.Many2one(
        "grid.service.point", domain="[('partner_id', '=?', partner_id)]"
    )
    interaction_id = fields.Many2one("grid.interaction")
    topic_id = fields.Many2one("grid.topic")
    office_id = fields.Many2one(
        "grid.office",
        string="Office",
        required=True,
        default=lambda self: self.env["grid.office"].search([], limit=1),
    )
    office_note = fields.Html(string="Office Notes", related="office_id.note")
    day = fields.Date(required=True, default=fields.Date.context_today)
    slot_ids = fields.One2many(
        "grid.appointment.booking.slot",
        "booking_id",
        compute="_compute_slot_ids",
        store=True,
        readonly=False,
    )
    note = fields.Text()

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("office_id", "day")
    def _compute_slot_ids(self):
        now = fields.Datetime.now()
        for booking in self:
            commands = [Command.clear()]
            if booking.office_id and booking.day:
                availability = booking.office_id._availability(booking.day, booking.day)
                commands += [
                    Command.create({"start": start, "end": end, "free_seats": free})
                    for start, end, free in availability
                    if start > now
                ]
            booking.slot_ids = commands

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    @api.model
    def _action_open(self, context=None):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Book an Office Visit"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": dict(context or {}),
        }

    def action_next_day(self):
        self.ensure_one()
        self.day += timedelta(days=1)
        return self._reopen()

    def action_previous_day(self):
        self.ensure_one()
        self.day -= timedelta(days=1)
        return self._reopen()

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _reopen(self):
        action = self._action_open(self.env.context)
        action["res_id"] = self.id
        return action

    def _book(self, start):
        """Create the appointment in the slot that starts at ``start``."""
        self.ensure_one()
        appointment = self.env["grid.appointment"].create(
            {
                "partner_id": self.partner_id.id,
                "service_point_id": self.service_point_id.id,
                "office_id": self.office_id.id,
                "slot_start": start,
                "topic_id": self.topic_id.id,
                "interaction_id": self.interaction_id.id,
                "note": self.note,
            }
        )
        if self.interaction_id:
            timezone = self.office_id._timezone()
            local = pytz.utc.localize(start).astimezone(timezone)
            # A logged note needs no sender e-mail address, unlike message_post.
            self.interaction_id._message_log(
                body=self.env._(
                    "Office visit booked: %(office)s, %(time)s.",
                    office=self.office_id.display_name,
                    time=local.strftime("%d.%m.%Y %H:%M"),
                ),
                message_type="comment",
            )
        return appointment


class GridAppointmentBookingSlot(models.TransientModel):
    _name = "grid.appointment.booking.slot"
    _description = "Slot Offered for Booking"
    _order = "start"

    booking_id = fields.Many2one(
        "grid.appointment.booking", required=True, ondelete="cascade"
    )
    start = fields.Datetime(required=True)
    end = fields.Datetime(required=True)
    free_seats = fields.Integer()

    def action_book(self):
        self.ensure_one()
        if self.free_seats <= 0:
            raise UserError(
                self.env._("This slot is fully booked. Choose another slot.")
            )
        appointment = self.booking_id._book(self.start)
        return {
            "type": "ir.actions.act_window",
            "res_model": "grid.appointment",
            "res_id": appointment.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
