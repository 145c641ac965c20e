from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    grid_survey_quiet_days = fields.Integer(
        string="Days Between Surveys",
        default=90,
        help="A consumer invited to a survey gets no other survey invitation "
        "during this many days; 0 lifts the limit.",
    )
    grid_survey_valid_days = fields.Integer(
        string="Survey Link Validity (Days)",
        default=14,
        help="Days during which a consumer can answer through the link of an "
        "invitation; 0 means that the link does not expire.",
    )

    @api.constrains("grid_survey_quiet_days", "grid_survey_valid_days")
    def _check_grid_survey_days(self):
        for company in self:
            if company.grid_survey_quiet_days < 0 or company.grid_survey_valid_days < 0:
                raise ValidationError(
                    self.env._(
                        "The survey periods of %(company)s cannot be negative.",
                        company=company.name,
                    )
                )

    def _grid_survey_quiet_since(self):
        """Return the naive UTC start of the period without a second survey."""
        self.ensure_one()
        return fields.Datetime.subtract(
            fields.Datetime.now(), days=self.grid_survey_quiet_days
        )

    def _grid_survey_deadline(self):
        """Return when a link sent now expires, or False if links do not."""
        self.ensure_one()
        if not self.grid_survey_valid_days:
            return False
        return fields.Datetime.add(
            fields.Datetime.now(), days=self.grid_survey_valid_days
        )
