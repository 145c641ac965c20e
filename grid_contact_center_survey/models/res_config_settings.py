from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    grid_survey_quiet_days = fields.Integer(
        related="company_id.grid_survey_quiet_days", readonly=False
    )
    grid_survey_valid_days = fields.Integer(
        related="company_id.grid_survey_valid_days", readonly=False
    )
