from odoo import models

from .grid_survey_campaign import CONSUMERS_DOMAIN


class GridOutage(models.Model):
    _inherit = "grid.outage"

    def action_new_survey_campaign(self):
        """Open a new survey campaign whose filter selects the consumers of
        the service points that the outage interrupts."""
        self.ensure_one()
        self.env["grid.survey.campaign"].check_access("create")
        domain = [
            *CONSUMERS_DOMAIN,
            ("service_point_ids", "any", self._affected_service_point_domain()),
        ]
        survey = self.env.ref(
            "grid_contact_center_survey.survey_annual", raise_if_not_found=False
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "grid_contact_center_survey.grid_survey_campaign_action"
        )
        action.update(
            {
                "views": [(False, "form")],
                "view_mode": "form",
                "context": {
                    "default_name": self.env._(
                        "Consumers affected by outage %(outage)s", outage=self.name
                    ),
                    "default_preset": "custom",
                    "default_partner_domain": repr(domain),
                    "default_company_id": self.company_id.id,
                    "default_survey_id": survey.id if survey else False,
                },
            }
        )
        return action
