from odoo import fields, models


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    grid_public_holiday = fields.Boolean(
        string="Public Holiday",
        help="A day off for the whole country, which answer deadlines of every "
        "company skip. Other days off without a working calendar apply only to "
        "their own company.",
    )
