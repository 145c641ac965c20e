from odoo.tests import TransactionCase


class TestShippedSurveysInRussian(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.env["ir.module.module"].search(
            [("name", "=", "grid_contact_center_survey")]
        )._update_translations(["ru_RU"], overwrite=True)

    def test_satisfaction_survey_in_russian(self):
        survey = self.env.ref("grid_contact_center_survey.survey_satisfaction")
        rating = self.env.ref("grid_contact_center_survey.survey_satisfaction_q_rating")
        russian = survey.with_context(lang="ru_RU")
        self.assertEqual(russian.title, "Удовлетворённость после обращения")
        self.assertEqual(survey.title, "Satisfaction after a contact")
        self.assertEqual(
            rating.with_context(lang="ru_RU").title,
            "Насколько вы довольны тем, как было рассмотрено ваше обращение?",
        )
        self.assertIn("Спасибо", russian.description_done)

    def test_annual_questionnaire_in_russian(self):
        survey = self.env.ref("grid_contact_center_survey.survey_annual")
        russian = survey.with_context(lang="ru_RU")
        self.assertEqual(russian.title, "Ежегодная анкета о качестве обслуживания")
        for question in russian.question_and_page_ids:
            self.assertRegex(
                question.title, "[А-Яа-яЁё]", f"{question.title} is not in Russian"
            )
        choices = russian.question_and_page_ids.suggested_answer_ids
        for choice in choices:
            self.assertRegex(choice.value, "[А-Яа-яЁё]|SMS|E-mail")
