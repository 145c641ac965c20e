from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    grid_default_area_code = fields.Char(
        related="company_id.grid_default_area_code", readonly=False
    )
    grid_resource_calendar_id = fields.Many2one(
        related="company_id.resource_calendar_id", readonly=False
    )
