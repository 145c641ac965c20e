from odoo import fields, models

from .grid_dashboard_telephony import DEFAULT_WAITING_MAX_MINUTES


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    grid_call_service_level_seconds = fields.Integer(
        related="company_id.grid_call_service_level_seconds", readonly=False
    )
    grid_call_event_retention_days = fields.Integer(
        string="Call Event Retention (days)",
        config_parameter="grid_telephony.event_retention_days",
        default=90,
    )
    grid_call_waiting_max_minutes = fields.Integer(
        string="Maximum Waiting Time (minutes)",
        config_parameter="grid_telephony.waiting_max_minutes",
        default=DEFAULT_WAITING_MAX_MINUTES,
        help="The dashboard counts a queued or ringing call as waiting only for "
        "this many minutes after it arrived, so that a call whose end event was "
        "lost stops counting.",
    )
