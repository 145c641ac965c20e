from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Hours of interruption that each reliability category allows, at a time and
# over a calendar year. Decree No. 861 of 27.12.2004 sets 24 and 72 hours for
# category III; categories I and II depend on the reserve supply in each
# contract, so 0 (not checked) is their default.
RELIABILITY_DEFAULTS = {
    "1": (0.0, 0.0),
    "2": (0.0, 0.0),
    "3": (24.0, 72.0),
}


# The settings of outages and dispatch live apart from the core's so that
# features extend the company without editing one shared class.
# pylint: disable=consider-merging-classes-inherited
class ResCompany(models.Model):
    _inherit = "res.company"

    grid_outage_group_window = fields.Integer(
        string="Report Grouping Window (minutes)",
        default=30,
        help="Interruption reports from the same transformer substation or "
        "feeder received within this many minutes of each other make one "
        "suspected outage.",
    )
    grid_outage_group_threshold = fields.Integer(
        string="Reports per Suspected Outage",
        default=2,
        help="How many interruption reports within the grouping window make a "
        "suspected outage. A single report goes to dispatch alone.",
    )
    grid_outage_notice_lead_days = fields.Integer(
        string="Planned Outage Notice (days)",
        default=3,
        help="How many days before planned work consumers must be told.",
    )
    grid_duty_supervisor_id = fields.Many2one(
        "res.users",
        string="Duty Supervisor",
        help="Who is told when dispatch does not acknowledge a forwarded report "
        "or a suspected outage in time, unless the report's team has a "
        "supervisor.",
    )
    grid_voltage_tolerance = fields.Float(
        string="Voltage Tolerance (%)",
        default=10.0,
        help="Allowed deviation of the supply voltage from the nominal value; "
        "GOST 32144-2013 sets 10 %.",
    )
    grid_reliability_1_single_hours = fields.Float(
        string="Category I: Hours at a Time",
        default=RELIABILITY_DEFAULTS["1"][0],
    )
    grid_reliability_1_year_hours = fields.Float(
        string="Category I: Hours a Year", default=RELIABILITY_DEFAULTS["1"][1]
    )
    grid_reliability_2_single_hours = fields.Float(
        string="Category II: Hours at a Time",
        default=RELIABILITY_DEFAULTS["2"][0],
    )
    grid_reliability_2_year_hours = fields.Float(
        string="Category II: Hours a Year", default=RELIABILITY_DEFAULTS["2"][1]
    )
    grid_reliability_3_single_hours = fields.Float(
        string="Category III: Hours at a Time",
        default=RELIABILITY_DEFAULTS["3"][0],
    )
    grid_reliability_3_year_hours = fields.Float(
        string="Category III: Hours a Year", default=RELIABILITY_DEFAULTS["3"][1]
    )

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains(
        "grid_outage_group_window",
        "grid_outage_group_threshold",
        "grid_outage_notice_lead_days",
        "grid_voltage_tolerance",
    )
    def _check_grid_outage_settings(self):
        for company in self:
            if company.grid_outage_group_window < 1:
                raise ValidationError(
                    self.env._("The report grouping window must be at least a minute.")
                )
            if company.grid_outage_group_threshold < 2:
                raise ValidationError(
                    self.env._(
                        "A suspected outage needs at least two reports; one report "
                        "goes to dispatch alone."
                    )
                )
            if company.grid_outage_notice_lead_days < 0:
                raise ValidationError(
                    self.env._("The notice lead time cannot be negative.")
                )
            if not 0 < company.grid_voltage_tolerance < 100:
                raise ValidationError(
                    self.env._(
                        "The voltage tolerance must lie between 0 and 100 percent."
                    )
                )
