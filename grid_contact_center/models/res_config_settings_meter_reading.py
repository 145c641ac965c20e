from odoo import fields, models

from ..controllers.meter_reading_api import (
    MAX_BYTES_DEFAULT,
    MAX_BYTES_PARAM,
    MAX_READINGS_DEFAULT,
    MAX_READINGS_PARAM,
)


class ResConfigSettings(models.TransientModel):
    # Kept apart from res_config_settings.py, the core's settings, as the
    # settings of one feature.
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    grid_reading_rollover_max_percent = fields.Float(
        related="company_id.grid_reading_rollover_max_percent", readonly=False
    )
    grid_reading_deviation_factor = fields.Float(
        related="company_id.grid_reading_deviation_factor", readonly=False
    )
    grid_reading_history_days = fields.Integer(
        related="company_id.grid_reading_history_days", readonly=False
    )
    grid_reading_history_min_days = fields.Integer(
        related="company_id.grid_reading_history_min_days", readonly=False
    )
    grid_reading_future_days = fields.Integer(
        related="company_id.grid_reading_future_days", readonly=False
    )
    grid_reading_warn_verification = fields.Boolean(
        related="company_id.grid_reading_warn_verification", readonly=False
    )
    grid_reading_api_max_bytes = fields.Integer(
        string="Largest Request (Bytes)",
        config_parameter=MAX_BYTES_PARAM,
        default=MAX_BYTES_DEFAULT,
        help="The readings endpoint rejects larger request bodies with status 413.",
    )
    grid_reading_api_max_readings = fields.Integer(
        string="Readings per Request",
        config_parameter=MAX_READINGS_PARAM,
        default=MAX_READINGS_DEFAULT,
        help="The readings endpoint rejects requests with more readings with "
        "status 413.",
    )
