from ast import literal_eval

from odoo.tests import users

from .common import GridSurveyCase


class TestSurveyResults(GridSurveyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.grid_survey_quiet_days = 0
        cls.topic_outage = cls.env.ref("grid_contact_center.topic_4_2")
        cls.action = cls.env.ref(
            "grid_contact_center_survey.survey_user_input_action_grid_results"
        )
        for user, topic, rating in (
            (cls.operator, cls.topic_info, "5"),
            (cls.operator, cls.topic_outage, "3"),
            (cls.operator_2, cls.topic_outage, "1"),
        ):
            interaction = cls.env["grid.interaction"].create(
                {
                    "partner_id": cls.consumer.id,
                    "topic_id": topic.id,
                    "user_id": user.id,
                    "answer": "Ответ дан.",
                }
            )
            interaction.action_close()
            answer = cls.env["survey.user_input"].search(
                [("grid_interaction_id", "=", interaction.id)]
            )
            answer._save_lines(cls.rating_question, rating)
            answer._mark_done()
        # An answer in progress stays out of the results.
        unfinished = cls.env["grid.interaction"].create(
            {
                "partner_id": cls.consumer.id,
                "topic_id": cls.topic_info.id,
                "answer": "-",
            }
        )
        unfinished.action_close()

    def _results(self, groupby):
        Answer = self.env["survey.user_input"]
        domain = [
            *literal_eval(self.action.domain),
            ("partner_id", "=", self.consumer.id),
        ]
        return {
            group: (count, score)
            for group, count, score in Answer._read_group(
                domain, [groupby], ["__count", "grid_quality_score:avg"]
            )
        }

    @users("cc_supervisor")
    def test_results_per_topic(self):
        results = self._results("grid_topic_id")
        self.assertEqual(results[self.topic_info], (1, 100.0))
        self.assertEqual(results[self.topic_outage], (2, 25.0))

    @users("cc_supervisor")
    def test_results_per_operator(self):
        results = self._results("grid_operator_id")
        self.assertEqual(results[self.operator], (2, 75.0))
        self.assertEqual(results[self.operator_2], (1, 0.0))

    @users("cc_supervisor")
    def test_results_per_month(self):
        results = self._results("end_datetime:month")
        self.assertEqual(sum(count for count, _score in results.values()), 3)

    @users("cc_supervisor")
    def test_share_of_satisfied(self):
        Answer = self.env["survey.user_input"]
        domain = [
            *literal_eval(self.action.domain),
            ("partner_id", "=", self.consumer.id),
        ]
        [(satisfied,)] = Answer._read_group(domain, [], ["grid_satisfied:avg"])
        self.assertAlmostEqual(satisfied, 100 / 3)

    @users("cc_supervisor")
    def test_result_views_load(self):
        views = self.env["survey.user_input"].get_views(
            [(False, "pivot"), (False, "graph"), (False, "list"), (False, "search")],
            {"action_id": self.action.id},
        )
        self.assertIn("grid_quality_score", views["views"]["pivot"]["arch"])

    @users("cc_operator")
    def test_operator_sees_score_on_interaction(self):
        interaction = self.env["grid.interaction"].search(
            [
                ("partner_id", "=", self.consumer.id),
                ("topic_id", "=", self.topic_info.id),
            ],
            order="id",
            limit=1,
        )
        self.assertEqual(interaction.satisfaction_state, "completed")
        self.assertAlmostEqual(interaction.satisfaction_score, 100.0)
