import json

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import GridSurveyCase


@tagged("post_install", "-at_install")
class TestPublicLink(GridSurveyCase, HttpCase):
    def setUp(self):
        super().setUp()
        self.interaction = self._interaction()
        self.interaction.action_close()
        self.answer = self._invitations()
        self.survey_token = self.satisfaction.access_token

    def _submit(self, answer, values):
        """Post the answers of the one-page satisfaction survey as the
        survey form does, and return the result of the JSON-RPC call."""
        response = self.opener.post(
            url=f"{self.base_url()}/survey/submit/{self.survey_token}/"
            f"{answer.access_token}",
            json={"params": {str(q.id): v for q, v in values.items()}},
        )
        self.assertEqual(response.status_code, 200)
        return json.loads(response.content)["result"][1]

    def _begin(self, answer):
        response = self.opener.post(
            url=f"{self.base_url()}/survey/begin/{self.survey_token}/"
            f"{answer.access_token}",
            json={},
        )
        self.assertEqual(response.status_code, 200)

    def test_consumer_answers_through_public_link(self):
        self.start_tour(
            f"/survey/i/{self.answer.access_token}", "grid_survey_satisfaction_answer"
        )
        self.answer.invalidate_recordset()
        self.assertEqual(self.answer.state, "done")
        self.assertEqual(self.answer.partner_id, self.consumer)
        self.assertEqual(self.answer.grid_interaction_id, self.interaction)
        self.assertAlmostEqual(self.answer.grid_quality_score, 75.0)
        comment = self.answer.user_input_line_ids.filtered(
            lambda line: line.question_id == self.comment_question
        )
        self.assertEqual(comment.value_text_box, "Отвечайте на звонки быстрее")
        self.interaction.invalidate_recordset()
        self.assertEqual(self.interaction.satisfaction_state, "completed")
        self.assertAlmostEqual(self.interaction.satisfaction_score, 75.0)

    def test_short_link_opens_the_invitation(self):
        response = self.url_open(f"/survey/i/{self.answer.access_token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.answer.access_token, response.url)
        self.assertIn("You recently contacted our contact center", response.text)

    def test_unknown_short_link_is_not_found(self):
        response = self.url_open("/survey/i/00000000-0000-4000-8000-000000000000")
        self.assertEqual(response.status_code, 404)
        self.assertIn("Survey Access Error", response.text)

    def test_expired_link_shows_expired_page(self):
        self.answer.deadline = fields.Datetime.subtract(fields.Datetime.now(), days=1)
        response = self.url_open(f"/survey/i/{self.answer.access_token}")
        self.assertIn("survey expired", response.text)
        self.assertNotIn("How satisfied are you", response.text)
        result = self._submit(self.answer, {self.rating_question: "5"})
        self.assertEqual(result.get("error"), "answer_deadline")
        self.assertEqual(self.answer.state, "new")
        self.assertFalse(self.answer.user_input_line_ids)

    def test_foreign_token_is_rejected(self):
        foreign = self.Answer.create(
            self.annual._grid_invitation_values(self.consumer, "email", self.company)
        )
        response = self.url_open(
            f"/survey/start/{self.survey_token}?answer_token={foreign.access_token}"
        )
        self.assertIn("Survey Access Error", response.text)
        result = self._submit(foreign, {self.rating_question: "5"})
        self.assertEqual(result.get("error"), "token_wrong")
        self.assertFalse(foreign.user_input_line_ids)

    def test_survey_without_invitation_is_closed_to_public(self):
        response = self.url_open(f"/survey/start/{self.survey_token}")
        self.assertNotIn("How satisfied are you", response.text)
        self.assertFalse(
            self.Answer.search(
                [("survey_id", "=", self.satisfaction.id), ("partner_id", "=", False)]
            )
        )

    def test_answering_twice_is_rejected(self):
        self._begin(self.answer)
        result = self._submit(
            self.answer, {self.rating_question: "5", self.comment_question: "Спасибо"}
        )
        self.assertNotIn("error", result)
        self.answer.invalidate_recordset()
        self.assertEqual(self.answer.state, "done")
        result = self._submit(self.answer, {self.rating_question: "1"})
        self.assertEqual(result.get("error"), "unauthorized")
        self.answer.invalidate_recordset()
        rating = self.answer.user_input_line_ids.filtered(
            lambda line: line.question_id == self.rating_question
        )
        self.assertEqual(rating.value_scale, 5)
        self.assertAlmostEqual(self.answer.grid_quality_score, 100.0)
        response = self.url_open(f"/survey/i/{self.answer.access_token}")
        self.assertIn("Thank you", response.text)

    def test_missing_rating_is_rejected(self):
        self._begin(self.answer)
        result = self._submit(self.answer, {self.comment_question: "Без оценки"})
        self.assertEqual(result.get("error"), "validation")
        self.answer.invalidate_recordset()
        self.assertEqual(self.answer.state, "in_progress")

    def test_operator_opens_answer_of_call(self):
        action = self.interaction.with_user(
            self.operator
        ).action_grid_ask_satisfaction_survey()
        self.authenticate("cc_operator", "cc_operator")
        response = self.url_open(action["url"])
        self.assertIn("You recently contacted our contact center", response.text)
        self.assertNotIn("Survey Access Error", response.text)
        self.authenticate("cc_dispatcher", "cc_dispatcher")
        response = self.url_open(action["url"])
        self.assertIn("Survey Access Error", response.text)

    def test_operator_cannot_open_link_sent_to_consumer(self):
        self.authenticate("cc_operator", "cc_operator")
        response = self.url_open(f"/survey/i/{self.answer.access_token}")
        self.assertIn("Survey Access Error", response.text)
