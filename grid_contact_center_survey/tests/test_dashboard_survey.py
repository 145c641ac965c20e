from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, users

from .common import GridSurveyCase


@freeze_time("2026-03-18 09:00:00")
class TestDashboardSurvey(GridSurveyCase):
    """The surveys section of the dashboard on 18 March 2026 in Moscow, in a
    company of its own so that demo answers do not count."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey_company = cls.env["res.company"].create({"name": "Сети опросов"})
        new_test_user(
            cls.env,
            "survey_dashboard_supervisor",
            groups="grid_contact_center.group_supervisor",
            company_id=cls.survey_company.id,
            company_ids=[Command.set(cls.survey_company.ids)],
            tz="Europe/Moscow",
        )
        # Ratings 5, 4 and 1 of 5 give quality scores of 100, 75 and 0 %.
        for rating in ("5", "4", "1", None):
            answer = cls.Answer.create(
                cls.satisfaction._grid_invitation_values(
                    cls.consumer, "email", cls.survey_company
                )
            )
            answer.write(
                {"grid_invited_at": "2026-03-18 06:00:00", "grid_send_state": "sent"}
            )
            if rating:
                answer._save_lines(cls.rating_question, rating)
                answer._mark_done()

    @users("survey_dashboard_supervisor")
    def test_score_and_satisfaction_of_today(self):
        dashboard = self.env["grid.dashboard"].get_dashboard("today")
        (section,) = [s for s in dashboard["sections"] if s["key"] == "surveys"]
        cards = {card["key"]: card["value"] for card in section["cards"]}
        self.assertEqual(cards["score"], 58.3)
        self.assertEqual(cards["satisfied"], 66.7)
        self.assertEqual(cards["completed"], 3)
        self.assertEqual(cards["invited"], 4)

    @users("survey_dashboard_supervisor")
    @freeze_time("2026-04-20 09:00:00")
    def test_no_answer_gives_no_score(self):
        dashboard = self.env["grid.dashboard"].get_dashboard("today")
        (section,) = [s for s in dashboard["sections"] if s["key"] == "surveys"]
        cards = {card["key"]: card["value"] for card in section["cards"]}
        self.assertIsNone(cards["score"])
        self.assertIsNone(cards["satisfied"])
        self.assertEqual(cards["completed"], 0)
