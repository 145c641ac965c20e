from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .outage_common import GridOutageCase


@tagged("post_install", "-at_install")
class TestOutageTour(GridOutageCase, HttpCase):
    def test_operator_tells_caller_the_etr(self):
        """An operator takes a call from an address inside an active outage,
        sees the outage and its estimated restoration time, and answers the
        caller with them."""
        outage = self._outage(
            self.tp_1,
            name="OUT-TOUR-1",
            start_at=fields.Datetime.now() - timedelta(hours=1),
            etr=datetime(2030, 5, 17, 12, 30),
        )
        self.start_tour(
            "/odoo/action-grid_contact_center.grid_interaction_action",
            "grid_contact_center_outage_etr",
            login="cc_operator",
        )
        report = self.env["grid.interaction"].search(
            [("service_point_id", "=", self.service_point.id)]
        )
        self.assertEqual(report.outage_id, outage)
        self.assertEqual(report.state, "answered")
        self.assertIn("OUT-TOUR-1", report.answer)
        self.assertEqual(report.user_id, self.operator)
