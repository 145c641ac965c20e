from odoo import api, fields, models

from ..tools.meter_readings import RuleSettings


class ResCompany(models.Model):
    # Kept apart from res_company.py, the company's core fields, as the
    # settings of one feature.
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    grid_reading_rollover_max_percent = fields.Float(
        string="Largest Register Wrap (%)",
        default=10.0,
        help="A reading below the previous one is taken as a register that "
        "wrapped past zero only when the consumption this gives is at most "
        "this share of the register's range (10 %: 100,000 kWh on a 6-digit "
        "register) and within the deviation factor of the history. Otherwise "
        "the reading is rejected.",
    )
    grid_reading_deviation_factor = fields.Float(
        string="Deviation Factor",
        default=3.0,
        help="A reading whose daily consumption is more than this many times "
        "above or below the meter's history needs review. 0 switches the "
        "check off.",
    )
    grid_reading_history_days = fields.Integer(
        string="History Period (Days)",
        default=365,
        help="Days of accepted readings before the last one that make up the "
        "meter's history.",
    )
    grid_reading_history_min_days = fields.Integer(
        string="Shortest History (Days)",
        default=30,
        help="The deviation check needs a history spanning at least this many days.",
    )
    grid_reading_future_days = fields.Integer(
        string="Days Ahead Allowed",
        default=0,
        help="Readings dated more than this many days after today are rejected.",
    )
    grid_reading_warn_verification = fields.Boolean(
        string="Warn About Overdue Verification",
        default=True,
        help="Readings of a meter past its verification date are accepted with "
        "a warning.",
    )
    grid_reading_window_ids = fields.One2many(
        "grid.meter.reading.window", "company_id", string="Reading Windows"
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["grid.meter.reading.window"]._grid_create_defaults(companies)
        return companies

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _grid_reading_rule_settings(self):
        """Return the company's settings of the meter reading rules."""
        self.ensure_one()
        return RuleSettings(
            rollover_max_share=self.grid_reading_rollover_max_percent / 100.0,
            deviation_factor=self.grid_reading_deviation_factor,
            history_min_days=self.grid_reading_history_min_days,
            future_days=self.grid_reading_future_days,
            warn_verification=self.grid_reading_warn_verification,
        )

    @api.model
    def _grid_create_default_reading_windows(self):
        """Give every company the default reading windows it lacks; called
        once when the addon is installed."""
        self.env["grid.meter.reading.window"]._grid_create_defaults(
            self.sudo().search([])
        )
