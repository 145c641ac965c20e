from odoo import fields, models


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
