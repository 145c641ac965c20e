import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

EVENT_TYPES = [
    ("started", "Started"),
    ("queued", "Queued"),
    ("ringing", "Ringing"),
    ("answered", "Answered"),
    ("ended", "Ended"),
    ("recording", "Recording"),
]
DEFAULT_RETENTION_DAYS = 90
PURGE_BATCH = 10000


class GridCallEvent(models.Model):
    """A call event as received from a provider. The unique event id per
    provider makes a repeated delivery a no-op; the payload is kept for
    troubleshooting until the retention period ends."""

    _name = "grid.call.event"
    _description = "Call Event"
    _order = "id desc"

    provider_id = fields.Many2one(
        "grid.telephony.provider", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    event_id = fields.Char(string="Event ID", required=True)
    call_id = fields.Many2one("grid.call", index="btree_not_null", ondelete="cascade")
    event_type = fields.Selection(EVENT_TYPES, required=True)
    occurred_at = fields.Datetime(required=True)
    received_at = fields.Datetime(required=True, default=fields.Datetime.now)
    payload = fields.Text(help="The event as received, in JSON.")

    _sql_constraints = [
        (
            "event_unique",
            "unique (provider_id, event_id)",
            "This provider already sent an event with this id.",
        ),
    ]

    @api.model
    def _gc_old_events(self):
        """Delete events older than the retention period, in batches; the
        calls they built stay."""
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("grid_telephony.event_retention_days", DEFAULT_RETENTION_DAYS)
        )
        self.env.cr.execute(
            """
            DELETE FROM grid_call_event WHERE id IN (
                SELECT id FROM grid_call_event
                 WHERE received_at
                       < now() at time zone 'UTC' - make_interval(days => %s)
                 LIMIT %s)
            """,
            (days, PURGE_BATCH),
        )
        if self.env.cr.rowcount:
            _logger.info(
                "Deleted %s call events older than %s days", self.env.cr.rowcount, days
            )
        if self.env.cr.rowcount == PURGE_BATCH:
            self.env.ref(
                "grid_contact_center_telephony.ir_cron_grid_call_event_gc"
            )._trigger()
