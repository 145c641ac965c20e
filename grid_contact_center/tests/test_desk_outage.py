from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import Form, users

from .outage_common import NOW, GridOutageCase


@freeze_time(NOW)
class TestDeskOutage(GridOutageCase):
    """The desk shows the active outages at the caller's service points."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dacha = cls.env["grid.service.point"].create(
            {
                "partner_id": cls.consumer.id,
                "settlement_id": cls.settlement.id,
                "street": "ул. Лесная",
                "house": "9",
                "grid_element_id": cls.tp_3.id,
            }
        )

    @users("cc_operator")
    def test_outage_at_chosen_point(self):
        self._outage(self.feeder, etr=NOW + timedelta(hours=3))
        desk = Form(self.env["grid.desk"])
        desk.caller_phone = "+7 999 765 43 21"
        desk.service_point_id = self.service_point
        self.assertIn("Estimated restoration", desk.outage_alert)
        # 13:00 UTC is 4:00 PM in Moscow, the operator's time zone.
        self.assertIn("4:00", desk.outage_alert)

    @users("cc_operator")
    def test_outage_at_any_point_until_one_chosen(self):
        self._outage(self.tp_3, cause="Cable damage")
        desk = Form(
            self.env["grid.desk"].with_context(default_partner_id=self.consumer.id)
        )
        self.assertFalse(desk.service_point_id)
        self.assertIn("Cable damage", desk.outage_alert)
        self.assertIn("not known yet", desk.outage_alert)
        desk.service_point_id = self.service_point
        self.assertFalse(desk.outage_alert)

    @users("cc_operator")
    def test_restored_outage_not_shown(self):
        outage = self._outage(self.feeder)
        outage.sudo().action_restore()
        desk = Form(self.env["grid.desk"])
        desk.caller_phone = "+7 999 765 43 21"
        self.assertFalse(desk.outage_alert)
