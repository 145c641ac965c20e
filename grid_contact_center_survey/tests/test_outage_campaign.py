from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, users

from .common import GridSurveyCase


class TestOutageCampaign(GridSurveyCase):
    """An outage opens a survey campaign of the consumers it cut off."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        elements = cls.env["grid.element"]
        cls.feeder = elements.create(
            {"name": "Ф-Опрос", "code": "F-SURVEY", "kind": "feeder"}
        )
        cls.other_feeder = elements.create(
            {"name": "Ф-Другой", "code": "F-OTHER", "kind": "feeder"}
        )
        cls.transformer = elements.create(
            {
                "name": "ТП-Опрос",
                "code": "TP-SURVEY",
                "kind": "transformer_substation",
                "parent_id": cls.feeder.id,
            }
        )
        cls.service_point.grid_element_id = cls.transformer
        cls.neighbour = cls.env["res.partner"].create(
            {"name": "Соседова Анна", "consumer_category": "household"}
        )
        cls.env["grid.service.point"].create(
            {
                "partner_id": cls.neighbour.id,
                "settlement_id": cls.settlement.id,
                "street": "ул. Морская",
                "house": "3",
                "grid_element_id": cls.other_feeder.id,
            }
        )
        cls.outage = cls.env["grid.outage"].create(
            {
                "name": "OUT-SURVEY",
                "kind": "emergency",
                "element_ids": [Command.set(cls.feeder.ids)],
            }
        )

    @users("cc_supervisor")
    def test_campaign_selects_affected_consumers(self):
        action = self.outage.with_env(self.env).action_new_survey_campaign()
        form = Form(self.env["grid.survey.campaign"].with_context(**action["context"]))
        self.assertEqual(form.preset, "custom")
        self.assertEqual(form.survey_id, self.annual)
        self.assertIn("OUT-SURVEY", form.name)
        self.assertEqual(form.matching_count, 1)
        campaign = form.save()
        domain = campaign._parse_partner_domain()
        self.assertEqual(campaign._partners().search(domain), self.consumer)

    @users("cc_operator")
    def test_operator_cannot_open_campaign(self):
        with self.assertRaises(AccessError):
            self.outage.with_env(self.env).action_new_survey_campaign()
