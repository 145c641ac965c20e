from odoo import fields, models

REPORT_TYPES = [
    ("interruption", "Supply Interruption"),
    ("power_quality", "Power Quality"),
    ("unmetered", "Non-Contractual or Unmetered Consumption"),
]


class GridTopic(models.Model):
    _inherit = "grid.topic"

    report_type = fields.Selection(
        REPORT_TYPES,
        help="What reports on this topic are about. Interruption and "
        "power-quality reports are linked to the outage at the caller's service "
        "point or forwarded to dispatch; interruption reports are also grouped "
        "into suspected outages. Reports of unmetered consumption get the "
        "details that inspection needs.",
    )
