from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, new_test_user, users


@freeze_time("2026-03-18 09:00:00")
class TestDashboardTelephony(TransactionCase):
    """The calls section of the dashboard at 12:00 on 18 March 2026 in
    Moscow, in a company of its own so that demo calls do not count."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create(
            {"name": "Сети звонков", "grid_call_service_level_seconds": 20}
        )
        cls.supervisor = new_test_user(
            cls.env,
            "tel_dashboard_supervisor",
            groups="grid_contact_center.group_supervisor",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
            tz="Europe/Moscow",
        )
        cls.provider = cls.env["grid.telephony.provider"].create(
            {
                "name": "Dashboard PBX",
                "code": "dashboard-pbx",
                "company_id": cls.company.id,
            }
        )
        today = datetime(2026, 3, 18, 7, 0)
        # (direction, state, outcome, wait, talk, arrival)
        calls = [
            ("inbound", "ended", "answered", 10, 100, today),
            ("inbound", "ended", "answered", 30, 200, today),
            ("inbound", "ended", "abandoned", 45, 0, today),
            ("inbound", "ended", "answered", 5, 60, datetime(2026, 3, 17, 9, 0)),
            ("outbound", "ended", "answered", 0, 300, today),
            ("inbound", "queued", False, 0, 0, datetime(2026, 3, 18, 8, 59)),
            # Waiting for more than six hours: its end event was lost.
            ("inbound", "ringing", False, 0, 0, datetime(2026, 3, 18, 2, 59)),
        ]
        cls.env["grid.call"].create(
            [
                {
                    "provider_id": cls.provider.id,
                    "company_id": cls.company.id,
                    "external_call_id": f"dashboard-{index}",
                    "direction": direction,
                    "state": state,
                    "outcome": outcome,
                    "wait_seconds": wait,
                    "talk_seconds": talk,
                    "arrived_at": arrival,
                }
                for index, (direction, state, outcome, wait, talk, arrival) in (
                    enumerate(calls)
                )
            ]
        )

    def _cards(self, period="today"):
        dashboard = self.env["grid.dashboard"].get_dashboard(period)
        (section,) = [s for s in dashboard["sections"] if s["key"] == "calls"]
        return {card["key"]: card["value"] for card in section["cards"]}

    @users("tel_dashboard_supervisor")
    def test_call_kpis_of_today(self):
        cards = self._cards()
        self.assertEqual(cards["inbound"], 3)
        self.assertEqual(cards["answered"], 2)
        self.assertEqual(cards["abandoned_rate"], 33.3)
        # One of three calls answered within 20 s of waiting.
        self.assertEqual(cards["service_level"], 33.3)
        self.assertEqual(cards["answer_seconds"], 20.0)
        self.assertEqual(cards["handle_seconds"], 150.0)
        self.assertEqual(cards["waiting"], 1)

    @users("tel_dashboard_supervisor")
    def test_waiting_bounded_by_setting(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "grid_telephony.waiting_max_minutes", "480"
        )
        self.assertEqual(self._cards()["waiting"], 2)
        self.env["ir.config_parameter"].sudo().set_param(
            "grid_telephony.waiting_max_minutes", "1"
        )
        self.assertEqual(self._cards()["waiting"], 0)

    @users("tel_dashboard_supervisor")
    def test_units_in_russian(self):
        self.env["res.lang"].sudo()._activate_lang("ru_RU")
        dashboard = (
            self.env["grid.dashboard"].with_context(lang="ru_RU").get_dashboard("today")
        )
        (section,) = [s for s in dashboard["sections"] if s["key"] == "calls"]
        units = {card["key"]: card.get("unit") for card in section["cards"]}
        self.assertEqual(units["answer_seconds"], "с")
        self.assertEqual(units["handle_seconds"], "с")

    @users("tel_dashboard_supervisor")
    def test_call_kpis_of_week(self):
        cards = self._cards("week")
        self.assertEqual(cards["inbound"], 4)
        self.assertEqual(cards["service_level"], 50.0)

    @users("tel_dashboard_supervisor")
    def test_no_call_gives_no_rate(self):
        self.env["grid.call"].sudo().search(
            [("company_id", "=", self.company.id)]
        ).unlink()
        cards = self._cards()
        self.assertEqual(cards["inbound"], 0)
        self.assertIsNone(cards["abandoned_rate"])
        self.assertIsNone(cards["service_level"])
        self.assertIsNone(cards["answer_seconds"])
