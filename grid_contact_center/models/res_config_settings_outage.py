from odoo import fields, models


# The settings of outages and dispatch live apart from the core's so that
# features extend the company without editing one shared class.
# pylint: disable=consider-merging-classes-inherited
class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    grid_outage_group_window = fields.Integer(
        related="company_id.grid_outage_group_window", readonly=False
    )
    grid_outage_group_threshold = fields.Integer(
        related="company_id.grid_outage_group_threshold", readonly=False
    )
    grid_outage_notice_lead_days = fields.Integer(
        related="company_id.grid_outage_notice_lead_days", readonly=False
    )
    grid_duty_supervisor_id = fields.Many2one(
        related="company_id.grid_duty_supervisor_id", readonly=False
    )
    grid_voltage_tolerance = fields.Float(
        related="company_id.grid_voltage_tolerance", readonly=False
    )
    grid_reliability_1_single_hours = fields.Float(
        related="company_id.grid_reliability_1_single_hours", readonly=False
    )
    grid_reliability_1_year_hours = fields.Float(
        related="company_id.grid_reliability_1_year_hours", readonly=False
    )
    grid_reliability_2_single_hours = fields.Float(
        related="company_id.grid_reliability_2_single_hours", readonly=False
    )
    grid_reliability_2_year_hours = fields.Float(
        related="company_id.grid_reliability_2_year_hours", readonly=False
    )
    grid_reliability_3_single_hours = fields.Float(
        related="company_id.grid_reliability_3_single_hours", readonly=False
    )
    grid_reliability_3_year_hours = fields.Float(
        related="company_id.grid_reliability_3_year_hours", readonly=False
    )
