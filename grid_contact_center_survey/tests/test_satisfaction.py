from datetime import datetime

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError

from .common import GridSurveyCase


class TestSatisfactionSurvey(GridSurveyCase):
    def test_closing_invites_by_email_with_consent(self):
        interaction = self._interaction()
        interaction.action_close()
        answer = self._invitations()
        self.assertEqual(len(answer), 1)
        self.assertEqual(answer.survey_id, self.satisfaction)
        self.assertEqual(answer.grid_interaction_id, interaction)
        self.assertEqual(answer.grid_channel, "email")
        self.assertEqual(answer.grid_send_state, "queued")
        self.assertEqual(answer.grid_topic_id, self.topic_info)
        self.assertEqual(answer.grid_operator_id, self.operator)
        self.assertTrue(answer.invite_token)
        self.assertTrue(answer.deadline)

    def test_email_invitation_is_queued_as_mail(self):
        self._interaction().action_close()
        answer = self._invitations()
        self._send_queued()
        self.assertEqual(answer.grid_send_state, "sent")
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.consumer.ids)], order="id desc", limit=1
        )
        self.assertTrue(mail, "no e-mail was queued for the consumer")
        self.assertIn(f"/survey/i/{answer.access_token}", mail.body_html)
        self.assertEqual(mail.state, "outgoing")

    def test_sms_when_only_sms_is_consented(self):
        self.consumer.notify_email = False
        with freeze_time("2026-03-10 09:00:00"):  # 12:00 in Moscow
            self._interaction().action_close()
            answer = self._invitations()
            self.assertEqual(answer.grid_channel, "sms")
            self._send_queued()
        sms = self.env["sms.sms"].search([("partner_id", "=", self.consumer.id)])
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.number, "+79997654321")
        self.assertEqual(sms.state, "outgoing")
        self.assertIn(f"/survey/i/{answer.access_token}", sms.body)
        self.assertEqual(answer.grid_send_state, "sent")

    def test_sms_waits_for_end_of_quiet_hours(self):
        self.consumer.write(
            {"notify_email": False, "quiet_hours_start": 22.0, "quiet_hours_end": 8.0}
        )
        with freeze_time("2026-03-10 20:30:00"):  # 23:30 in Moscow
            self._interaction().action_close()
            answer = self._invitations()
            self.assertEqual(answer.grid_send_after, datetime(2026, 3, 11, 5, 0))
            self._send_queued()
            self.assertEqual(answer.grid_send_state, "queued")
        with freeze_time("2026-03-11 05:01:00"):
            self._send_queued()
            self.assertEqual(answer.grid_send_state, "sent")
        self.assertEqual(
            self.env["sms.sms"].search_count([("partner_id", "=", self.consumer.id)]),
            1,
        )

    def test_sms_outside_quiet_hours_due_now(self):
        self.consumer.write(
            {"notify_email": False, "quiet_hours_start": 22.0, "quiet_hours_end": 8.0}
        )
        with freeze_time("2026-03-10 09:00:00"):  # 12:00 in Moscow
            self._interaction().action_close()
            answer = self._invitations()
        self.assertEqual(answer.grid_channel, "sms")
        self.assertEqual(answer.grid_send_after, datetime(2026, 3, 10, 9, 0))

    def test_no_invitation_without_consent(self):
        self.consumer.write({"notify_email": False, "notify_sms": False})
        self._interaction().action_close()
        self.assertFalse(self._invitations())

    def test_email_channel_needs_email_consent(self):
        self.topic_info.parent_id.satisfaction_channel = "email"
        self.consumer.notify_email = False
        self._interaction().action_close()
        self.assertFalse(self._invitations(), "SMS consent must not allow e-mail")

    def test_sms_channel_skips_landline_only_consumer(self):
        self.topic_info.parent_id.satisfaction_channel = "sms"
        self.consumer.mobile = False  # the phone left is a landline in 4012
        self._interaction().action_close()
        self.assertFalse(self._invitations())

    def test_not_surveyed_again_within_period(self):
        self._past_invitation(self.consumer, days_ago=10)
        self._interaction().action_close()
        self.assertEqual(len(self._invitations()), 1, "invited again within 90 days")

    def test_surveyed_again_after_period(self):
        self._past_invitation(self.consumer, days_ago=100)
        self._interaction().action_close()
        self.assertEqual(len(self._invitations()), 2)

    def test_one_invitation_when_two_interactions_close(self):
        first = self._interaction()
        second = self._interaction()
        (first | second).action_close()
        self.assertEqual(len(self._invitations()), 1)

    def test_reclosing_does_not_invite_again(self):
        self.company.grid_survey_quiet_days = 0
        interaction = self._interaction()
        interaction.action_close()
        interaction.with_user(self.supervisor).action_reopen()
        interaction.action_close()
        self.assertEqual(len(self._invitations()), 1)

    def test_topic_without_survey_sends_nothing(self):
        self._interaction(topic=self.env.ref("grid_contact_center.topic_6"))
        self.assertFalse(self._invitations())
        interaction = self._interaction(
            topic=self.env.ref("grid_contact_center.topic_6")
        )
        interaction.action_close()
        self.assertFalse(self._invitations())

    def test_subtopic_uses_parent_survey_and_channel(self):
        self.topic_info.parent_id.satisfaction_channel = "sms"
        interaction = self._interaction()
        self.assertEqual(interaction.satisfaction_survey_id, self.satisfaction)
        self.assertEqual(interaction.satisfaction_channel, "sms")
        interaction.action_close()
        self.assertEqual(self._invitations().grid_channel, "sms")

    def test_withdrawn_consent_cancels_queued_invitation(self):
        self._interaction().action_close()
        answer = self._invitations()
        self.consumer.notify_email = False
        self._send_queued()
        self.assertEqual(answer.grid_send_state, "cancelled")
        self.assertFalse(
            self.env["mail.mail"].search([("recipient_ids", "in", self.consumer.ids)])
        )

    def test_operator_channel_sends_nothing_on_close(self):
        self.topic_info.parent_id.satisfaction_channel = "call"
        self._interaction().action_close()
        self.assertFalse(self._invitations())

    def test_operator_asks_survey_during_call(self):
        self.topic_info.parent_id.satisfaction_channel = "call"
        interaction = self._interaction()
        action = interaction.with_user(
            self.operator
        ).action_grid_ask_satisfaction_survey()
        answer = self._invitations()
        self.assertEqual(answer.grid_channel, "call")
        self.assertEqual(answer.grid_entered_by_id, self.operator)
        self.assertEqual(answer.grid_interaction_id, interaction)
        self.assertFalse(answer.grid_send_state)
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(answer.access_token, action["url"])
        self.assertEqual(interaction.satisfaction_state, "invited")
        again = interaction.with_user(
            self.operator
        ).action_grid_ask_satisfaction_survey()
        self.assertEqual(again["url"], action["url"], "the open answer is reused")
        self.assertEqual(len(self._invitations()), 1)

    def test_operator_takes_over_queued_invitation(self):
        interaction = self._interaction()
        interaction.action_close()
        answer = self._invitations()
        interaction.with_user(self.operator).action_grid_ask_satisfaction_survey()
        self.assertEqual(answer.grid_channel, "call")
        self.assertEqual(answer.grid_send_state, "cancelled")
        self._send_queued()
        self.assertFalse(
            self.env["mail.mail"].search([("recipient_ids", "in", self.consumer.ids)])
        )

    def test_operator_cannot_ask_twice_within_period(self):
        self._past_invitation(self.consumer, days_ago=3)
        interaction = self._interaction()
        with self.assertRaisesRegex(UserError, "at most once in 90 days"):
            interaction.with_user(self.operator).action_grid_ask_satisfaction_survey()

    def test_operator_cannot_ask_without_consumer(self):
        interaction = self._interaction(partner_id=False)
        with self.assertRaisesRegex(UserError, "Choose the consumer"):
            interaction.with_user(self.operator).action_grid_ask_satisfaction_survey()

    def test_operator_cannot_ask_survey_of_another_operator(self):
        interaction = self._interaction(user=self.operator_2)
        with self.assertRaises(UserError):
            interaction.with_user(self.operator).action_grid_ask_satisfaction_survey()

    def test_quality_score_from_rating(self):
        answer = self.Answer.create(
            self.satisfaction._grid_invitation_values(
                self.consumer, "call", self.company
            )
        )
        answer._save_lines(self.rating_question, "4")
        answer._save_lines(self.comment_question, "Всё хорошо")
        self.assertAlmostEqual(answer.grid_quality_score, 75.0)
        self.assertEqual(answer.grid_satisfied, 100.0)
        self.assertTrue(answer.grid_scored)
        answer._save_lines(self.rating_question, "2")
        self.assertAlmostEqual(answer.grid_quality_score, 25.0)
        self.assertEqual(answer.grid_satisfied, 0.0)

    def test_skipped_rating_gives_no_score(self):
        answer = self.Answer.create(
            self.annual._grid_invitation_values(self.consumer, "email", self.company)
        )
        overall = self.env.ref("grid_contact_center_survey.survey_annual_q_overall")
        phone = self.env.ref("grid_contact_center_survey.survey_annual_q_phone")
        answer._save_lines(phone, "")
        self.assertFalse(answer.grid_scored)
        answer._save_lines(overall, "5")
        self.assertTrue(answer.grid_scored)
        self.assertAlmostEqual(answer.grid_quality_score, 100.0)

    def test_quality_question_must_be_a_scale(self):
        with self.assertRaisesRegex(Exception, "rating scale"):
            self.comment_question.grid_quality_question = True

    def test_invitation_link_expires_after_validity(self):
        with freeze_time("2026-03-10 09:00:00"):
            self._interaction().action_close()
        self.assertEqual(
            self._invitations().deadline,
            fields.Datetime.to_datetime("2026-03-24 09:00:00"),
        )
