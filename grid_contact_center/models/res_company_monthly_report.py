from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    grid_monthly_report_user_ids = fields.Many2many(
        "res.users",
        "grid_monthly_report_user_rel",
        "company_id",
        "user_id",
        string="Monthly Report Recipients",
        help="Users who receive the contact center's monthly report by e-mail. "
        "When empty, the company's contact center managers receive it.",
    )
    grid_monthly_report_last_month = fields.Date(
        string="Last Monthly Report",
        readonly=True,
        help="First day of the last month whose report was sent.",
    )
