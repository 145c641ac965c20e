from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged, users

from .common import GridContactCenterCase

CHANNEL_ORDER = [
    "phone_in",
    "phone_out",
    "office",
    "website",
    "email",
    "letter",
    "messenger",
]


def cards_of(dashboard, section_key):
    """Return ``{card key: value}`` of one section of ``dashboard``."""
    (section,) = [
        section for section in dashboard["sections"] if section["key"] == section_key
    ]
    return {card["key"]: card["value"] for card in section["cards"]}


@freeze_time("2026-03-18 09:00:00")
class TestDashboard(GridContactCenterCase):
    """The dashboard's figures at 12:00 on Wednesday 18 March 2026 in Moscow,
    in a company of their own so that no other data counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.panel_company = cls.env["res.company"].create({"name": "Сети панели"})
        cls.supervisor.write(
            {"tz": "Europe/Moscow", "company_ids": [Command.link(cls.panel_company.id)]}
        )
        element = cls.env["grid.element"].create(
            {
                "name": "ТП-17",
                "code": "TP-17",
                "kind": "transformer_substation",
                "company_id": cls.panel_company.id,
            }
        )
        cls.outage = cls.env["grid.outage"].create(
            {
                "element_ids": [Command.set(element.ids)],
                "company_id": cls.panel_company.id,
                "start_at": datetime(2026, 3, 17, 6, 0),
            }
        )
        make = cls._make
        info, complaint = cls.topic_info, cls.topic_complaint
        cls.answered_today = make(
            "phone_in",
            datetime(2026, 3, 18, 7, 0),
            info,
            state="answered",
            deadline=datetime(2026, 3, 18, 7, 0),
            answered_at=datetime(2026, 3, 18, 7, 5),
        )
        cls.open_complaint = make(
            "email",
            datetime(2026, 3, 18, 6, 0),
            complaint,
            deadline=datetime(2026, 4, 17),
        )
        cls.overdue_complaint = make(
            "letter",
            datetime(2026, 3, 16, 9, 0),
            complaint,
            deadline=datetime(2026, 3, 17, 20, 59, 59),
        )
        cls.complaint_answered_in_time = make(
            "office",
            datetime(2026, 3, 2, 9, 0),
            complaint,
            state="answered",
            deadline=datetime(2026, 4, 1, 20, 59, 59),
            answered_at=datetime(2026, 3, 18, 6, 0),
            answer="Ответ дан",
            complaint_justified="justified",
            complaint_answer_date=date(2026, 3, 18),
        )
        cls.complaint_answered_late = make(
            "website",
            datetime(2026, 2, 10, 9, 0),
            complaint,
            state="closed",
            deadline=datetime(2026, 3, 12, 20, 59, 59),
            answered_at=datetime(2026, 3, 16, 8, 0),
            answer="Ответ дан",
            complaint_justified="unjustified",
            complaint_answer_date=date(2026, 3, 16),
        )
        cls.due_today = make(
            "phone_in",
            datetime(2026, 3, 17, 9, 0),
            info,
            deadline=datetime(2026, 3, 18, 18, 0),
            outage_id=cls.outage.id,
        )
        cls.forwarded_overdue = make(
            "phone_in",
            datetime(2026, 3, 18, 8, 0),
            cls.topic_outage,
            state="forwarded",
            deadline=datetime(2026, 3, 18, 8, 30),
            outage_id=cls.outage.id,
        )

        # Both calls on an information topic were not answered during the
        # call, so each needs a callback within 4 hours; the first was made.
        cls.env["grid.callback.attempt"].create(
            {
                "interaction_id": cls.answered_today.id,
                "called_at": datetime(2026, 3, 18, 8, 0),
                "result": "reached",
            }
        )

    @classmethod
    def _make(cls, channel, received_at, topic, state="new", **values):
        return cls.env["grid.interaction"].create(
            {
                "channel": channel,
                "received_at": received_at,
                "topic_id": topic.id,
                "state": state,
                "company_id": cls.panel_company.id,
                "user_id": False,
                "team_id": False,
                **values,
            }
        )

    def _dashboard(self, period="today"):
        return (
            self.env["grid.dashboard"]
            .with_context(allowed_company_ids=self.panel_company.ids)
            .get_dashboard(period)
        )

    @users("cc_supervisor")
    def test_interactions_today_by_channel(self):
        cards = cards_of(self._dashboard(), "interactions")
        self.assertEqual(cards["received"], 3)
        self.assertEqual(cards["channel_phone_in"], 2)
        self.assertEqual(cards["channel_email"], 1)
        self.assertEqual(cards["channel_letter"], 0)

    @users("cc_supervisor")
    def test_outgoing_calls_not_received(self):
        self._make(
            "phone_out",
            datetime(2026, 3, 18, 8, 30),
            self.env.ref("grid_contact_center.topic_6"),
            outage_id=self.outage.id,
        )
        dashboard = self._dashboard()
        cards = cards_of(dashboard, "interactions")
        self.assertEqual(cards["received"], 3)
        self.assertEqual(cards["channel_phone_out"], 1)
        self.assertEqual(cards_of(dashboard, "outages")["calls"], 1)

    @users("cc_supervisor")
    def test_interactions_by_period(self):
        self.assertEqual(
            cards_of(self._dashboard("week"), "interactions")["received"], 5
        )
        self.assertEqual(
            cards_of(self._dashboard("month"), "interactions")["received"], 6
        )

    @users("cc_supervisor")
    def test_topic_channel_table(self):
        (section,) = [
            section
            for section in self._dashboard()["sections"]
            if section["key"] == "interactions"
        ]
        (table,) = section["tables"]
        self.assertEqual(len(table["columns"]), len(CHANNEL_ORDER) + 1)
        rows = {row["label"]: row["values"] for row in table["rows"]}
        complaint_row = rows[self.topic_complaint.display_name]
        self.assertEqual(complaint_row, [0, 0, 0, 0, 1, 0, 0, 1])
        outage_row = rows[self.topic_outage.display_name]
        self.assertEqual(outage_row[CHANNEL_ORDER.index("phone_in")], 1)
        self.assertEqual(outage_row[-1], 1)

    @users("cc_supervisor")
    def test_deadlines_now(self):
        cards = cards_of(self._dashboard(), "deadlines")
        self.assertEqual(cards["open"], 4)
        self.assertEqual(cards["overdue"], 2)
        self.assertEqual(cards["due_today"], 1)
        self.assertEqual(cards["forwarded"], 1)

    @users("cc_supervisor")
    def test_complaints_answered_in_time(self):
        today = cards_of(self._dashboard(), "complaints")
        self.assertEqual(today["open"], 2)
        self.assertEqual(today["overdue"], 1)
        self.assertEqual(today["answered"], 1)
        self.assertEqual(today["answered_in_time"], 100.0)
        week = cards_of(self._dashboard("week"), "complaints")
        self.assertEqual(week["answered"], 2)
        self.assertEqual(week["answered_in_time"], 50.0)

    @users("cc_supervisor")
    def test_callbacks_due_made_and_missed(self):
        self.assertEqual(self.due_today.callback_due, datetime(2026, 3, 17, 13, 0))
        today = cards_of(self._dashboard(), "callbacks")
        self.assertEqual(today["due"], 0)
        self.assertEqual(today["late"], 1)
        self.assertEqual(today["done"], 1)
        self.assertEqual(today["done_in_time"], 100.0)
        self.assertEqual(today["missed"], 0)
        week = cards_of(self._dashboard("week"), "callbacks")
        self.assertEqual(week["missed"], 1)
        self.assertEqual(week["late"], 1)

    @users("cc_supervisor")
    def test_outage_calls_per_outage(self):
        today = cards_of(self._dashboard(), "outages")
        self.assertEqual(today["active"], 1)
        self.assertEqual(today["calls"], 1)
        self.assertEqual(today["calls_per_outage"], 1.0)
        week = cards_of(self._dashboard("week"), "outages")
        self.assertEqual(week["calls"], 2)
        (section,) = [
            section
            for section in self._dashboard()["sections"]
            if section["key"] == "outages"
        ]
        (row,) = section["tables"][0]["rows"]
        self.assertEqual(row["label"], self.outage.display_name)
        self.assertEqual(row["values"], [1, 2])

    @users("cc_supervisor")
    def test_card_action_opens_its_records(self):
        (section,) = [
            section
            for section in self._dashboard()["sections"]
            if section["key"] == "deadlines"
        ]
        (overdue,) = [card for card in section["cards"] if card["key"] == "overdue"]
        found = (
            self.env["grid.interaction"]
            .with_context(allowed_company_ids=self.panel_company.ids)
            .search(overdue["action"]["domain"])
        )
        self.assertEqual(found, self.overdue_complaint | self.forwarded_overdue)

    @users("cc_supervisor")
    def test_sections_ordered_by_sequence(self):
        sequences = [section["sequence"] for section in self._dashboard()["sections"]]
        self.assertEqual(sequences, sorted(sequences))

    @users("cc_operator")
    def test_operator_cannot_read_dashboard(self):
        with self.assertRaises(AccessError):
            self.env["grid.dashboard"].get_dashboard()

    @users("cc_supervisor")
    def test_unknown_period_rejected(self):
        with self.assertRaisesRegex(UserError, "Unknown dashboard period"):
            self.env["grid.dashboard"].get_dashboard("year")


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    def test_supervisor_opens_overdue_from_dashboard(self):
        company = self.env["res.company"].create({"name": "Сети тура панели"})
        new_test_user(
            self.env,
            "cc_dashboard_supervisor",
            groups="grid_contact_center.group_supervisor",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
            tz="Europe/Moscow",
        )
        consumer = self.env["res.partner"].create({"name": "Проверка панели"})
        interactions = self.env["grid.interaction"].with_company(company)
        received_at = datetime.now() - timedelta(hours=2)
        overdue_deadline = received_at + timedelta(hours=1)
        for channel, deadline in (("phone_in", None), ("email", overdue_deadline)):
            interactions.create(
                {
                    "channel": channel,
                    "received_at": received_at,
                    "partner_id": consumer.id,
                    "company_id": company.id,
                    "user_id": False,
                    "team_id": False,
                    "deadline": deadline,
                }
            )
        self.start_tour(
            "/odoo/action-grid_contact_center.grid_dashboard_action",
            "grid_contact_center_dashboard",
            login="cc_dashboard_supervisor",
        )
