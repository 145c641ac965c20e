from odoo import fields

from odoo.addons.grid_contact_center.tests.common import GridContactCenterCase


class GridSurveyCase(GridContactCenterCase):
    """The core's users and consumer, with consents and the shipped surveys."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"grid_survey_quiet_days": 90, "grid_survey_valid_days": 14})
        cls.consumer.write(
            {
                "email": "m.ivanova@example.org",
                "notify_email": True,
                "notify_sms": True,
                "tz": "Europe/Moscow",
            }
        )
        cls.satisfaction = cls.env.ref("grid_contact_center_survey.survey_satisfaction")
        cls.annual = cls.env.ref("grid_contact_center_survey.survey_annual")
        cls.rating_question = cls.env.ref(
            "grid_contact_center_survey.survey_satisfaction_q_rating"
        )
        cls.comment_question = cls.env.ref(
            "grid_contact_center_survey.survey_satisfaction_q_comment"
        )
        cls.Answer = cls.env["survey.user_input"]

    def _interaction(self, partner=None, topic=None, user=None, **values):
        """Create an interaction handled by ``user`` (the operator by default)."""
        values = {
            "partner_id": (partner or self.consumer).id,
            "topic_id": (topic or self.topic_info).id,
            "description": "Как заменить счётчик?",
            "answer": "Рассказали о порядке замены.",
            **values,
        }
        return (
            self.env["grid.interaction"].with_user(user or self.operator).create(values)
        )

    def _invitations(self, partner=None):
        return self.Answer.search(
            [("partner_id", "=", (partner or self.consumer).id)], order="id"
        )

    def _past_invitation(self, partner, days_ago):
        """Record an invitation sent ``days_ago`` days ago."""
        answer = self.Answer.create(
            self.satisfaction._grid_invitation_values(partner, "email", self.company)
        )
        answer.grid_invited_at = fields.Datetime.subtract(
            fields.Datetime.now(), days=days_ago
        )
        answer.grid_send_state = "sent"
        return answer

    def _send_queued(self):
        return self.env["grid.survey.campaign"]._cron_send_invitations()
