from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.meter_readings import ReadingWindow
from .res_partner import CONSUMER_CATEGORIES

# The windows a new company starts with, per consumer category:
# (first day, last day, transmission day, legal basis).
# Households (Government Decree No. 354 of 06.05.2011) pass readings by the
# 25th; later readings count toward the next month. Other consumers (Decree
# No. 442 of 04.05.2012) take readings from the 23rd to the end of the 25th
# and pass them by the end of the 26th.
DEFAULT_READING_WINDOWS = {
    "household": (1, 25, 25, "Decree No. 354"),
    "legal_entity": (23, 25, 26, "Decree No. 442"),
    "entrepreneur": (23, 25, 26, "Decree No. 442"),
    "applicant": (23, 25, 26, "Decree No. 442"),
}


class GridMeterReadingWindow(models.Model):
    """The days of the month on which a company takes meter readings from a
    category of consumers, and the day by which they must arrive."""

    _name = "grid.meter.reading.window"
    _description = "Meter Reading Window"
    _order = "company_id, consumer_category"

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    consumer_category = fields.Selection(CONSUMER_CATEGORIES, required=True)
    first_day = fields.Integer(
        string="Taken From Day",
        required=True,
        default=1,
        help="First day of the month on which consumers take readings.",
    )
    last_day = fields.Integer(
        string="Taken To Day",
        required=True,
        default=25,
        help="Last day of the month on which consumers take readings. A reading "
        "taken later counts toward the next month.",
    )
    transmit_day = fields.Integer(
        string="Passed By Day",
        required=True,
        default=25,
        help="Readings received after the end of this day of the month count "
        "toward the next month. Days past the end of a short month mean its "
        "last day.",
    )
    legal_basis = fields.Char(help="The act that sets this window.")
    description = fields.Char(compute="_compute_description")

    _sql_constraints = [
        (
            "company_category_unique",
            "unique (company_id, consumer_category)",
            "This company already has a reading window for this consumer category.",
        ),
    ]

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("first_day", "last_day", "transmit_day")
    def _compute_description(self):
        for window in self:
            window.description = window._grid_describe()

    def _compute_display_name(self):
        categories = dict(
            self._fields["consumer_category"]._description_selection(self.env)
        )
        for window in self:
            window.display_name = categories.get(window.consumer_category, "")

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("first_day", "last_day", "transmit_day")
    def _check_days(self):
        for window in self:
            if not (
                1 <= window.first_day <= window.last_day <= window.transmit_day <= 31
            ):
                raise ValidationError(
                    self.env._(
                        "The days of a reading window must satisfy 1 ≤ taken from "
                        "(%(first)s) ≤ taken to (%(last)s) ≤ passed by "
                        "(%(transmit)s) ≤ 31.",
                        first=window.first_day,
                        last=window.last_day,
                        transmit=window.transmit_day,
                    )
                )

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _grid_rule(self):
        self.ensure_one()
        return ReadingWindow(self.first_day, self.last_day, self.transmit_day)

    def _grid_describe(self):
        """Return the window as a sentence for the operator."""
        self.ensure_one()
        if self.first_day == 1 and self.last_day == self.transmit_day:
            return self.env._(
                "Readings are passed by the end of day %(transmit)s of the month; "
                "later readings count toward the next month.",
                transmit=self.transmit_day,
            )
        return self.env._(
            "Readings are taken from day %(first)s to day %(last)s of the month "
            "and passed by the end of day %(transmit)s; later readings count "
            "toward the next month.",
            first=self.first_day,
            last=self.last_day,
            transmit=self.transmit_day,
        )

    @api.model
    def _grid_create_defaults(self, companies):
        """Create the default windows that ``companies`` lack."""
        existing = {
            (window.company_id.id, window.consumer_category)
            for window in self.sudo().search([("company_id", "in", companies.ids)])
        }
        self.sudo().create(
            [
                {
                    "company_id": company.id,
                    "consumer_category": category,
                    "first_day": first_day,
                    "last_day": last_day,
                    "transmit_day": transmit_day,
                    "legal_basis": legal_basis,
                }
                for company in companies
                for category, (
                    first_day,
                    last_day,
                    transmit_day,
                    legal_basis,
                ) in DEFAULT_READING_WINDOWS.items()
                if (company.id, category) not in existing
            ]
        )

    @api.model
    def _grid_for(self, companies):
        """Return ``{(company id, category): window}`` for ``companies``."""
        windows = self.sudo().search([("company_id", "in", companies.ids)])
        return {
            (window.company_id.id, window.consumer_category): window
            for window in windows
        }
