from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    grid_call_service_level_seconds = fields.Integer(
        string="Service Level Target (s)",
        default=20,
        help="A call answered within this many seconds of waiting counts as "
        "answered within the service level.",
    )
