from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    grid_monthly_report_user_ids = fields.Many2many(
        related="company_id.grid_monthly_report_user_ids", readonly=False
    )
