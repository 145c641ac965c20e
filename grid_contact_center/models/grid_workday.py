from odoo import fields, models


class GridWorkday(models.Model):
    """A weekend day that a transfer of days off makes a working day.

    The Government of the Russian Federation moves days off every year (for
    example, Saturday 1 November 2025 was a working day). Public holidays are
    days off of the working calendars (``resource.calendar.leaves``); this
    model records the opposite case, which working calendars cannot express.
    """

    _name = "grid.workday"
    _description = "Transferred Working Day"
    _order = "date desc"

    date = fields.Date(required=True, index=True)
    name = fields.Char(string="Reason", required=True, translate=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty for a transfer that applies to every company.",
    )

    _sql_constraints = [
        (
            "date_company_unique",
            "unique (date, company_id)",
            "This date is already a transferred working day of this company.",
        ),
    ]
