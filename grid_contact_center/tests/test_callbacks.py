from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import new_test_user, users

from .common import GridContactCenterCase

RECEIVED = datetime(2026, 11, 2, 7, 0)


@freeze_time("2026-11-02 08:00:00")
class TestCallbacks(GridContactCenterCase):
    """Callbacks of incoming calls that were not answered during the call."""

    def register(self, **values):
        return self.env["grid.interaction"].create(
            {
                "channel": "phone_in",
                "received_at": RECEIVED,
                "partner_id": self.consumer.id,
                "topic_id": self.topic_info.id,
                "caller_phone": "+7 999 765-43-21",
                **values,
            }
        )

    def callback_activities(self, interaction):
        return interaction.activity_ids.filtered(
            lambda activity: (
                activity.activity_type_id
                == self.env.ref("grid_contact_center.mail_activity_type_callback")
            )
        )

    @users("cc_operator")
    def test_unanswered_call_makes_callback_due(self):
        interaction = self.register()
        self.assertTrue(interaction.callback_required)
        self.assertEqual(interaction.callback_state, "due")
        self.assertEqual(interaction.callback_due, RECEIVED + timedelta(hours=4))
        activity = self.callback_activities(interaction)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.operator)
        self.assertEqual(str(activity.date_deadline), "2026-11-02")
        self.assertIn("14:00", activity.summary)

    @users("cc_operator")
    def test_answered_call_needs_no_callback(self):
        interaction = self.register(answered_in_contact=True, answer="Office hours")
        self.assertEqual(interaction.callback_state, "none")
        self.assertFalse(interaction.callback_due)
        self.assertFalse(self.callback_activities(interaction))

    @users("cc_operator")
    def test_report_topic_needs_no_callback(self):
        interaction = self.register(topic_id=self.topic_outage.id)
        self.assertFalse(interaction.callback_required)
        self.assertEqual(interaction.callback_state, "none")

    @users("cc_operator")
    def test_letter_needs_no_callback(self):
        interaction = self.register(channel="letter")
        self.assertEqual(interaction.callback_state, "none")

    @users("cc_operator")
    def test_reached_attempt_completes_callback(self):
        interaction = self.register()
        called_at = datetime(2026, 11, 2, 7, 30)
        self.env["grid.callback.attempt"].create(
            {
                "interaction_id": interaction.id,
                "called_at": called_at,
                "result": "reached",
                "note": "Told the office hours",
            }
        )
        self.assertEqual(interaction.callback_state, "done")
        self.assertEqual(interaction.callback_done_at, called_at)
        self.assertEqual(interaction.callback_result, "reached")
        self.assertFalse(self.callback_activities(interaction))
        self.assertFalse(interaction.callback_missed)
        bodies = interaction.message_ids.mapped("body")
        self.assertTrue(any("Told the office hours" in body for body in bodies))

    def test_attempt_logged_without_email(self):
        operator = new_test_user(
            self.env,
            "cc_operator_no_email",
            groups="grid_contact_center.group_operator",
            email=False,
        )
        self.assertFalse(operator.email)
        interaction = self.register(user_id=operator.id).with_user(operator)
        attempts = self.env["grid.callback.attempt"].with_user(operator)
        attempt = attempts.create(
            {"interaction_id": interaction.id, "result": "no_answer", "note": "Busy"}
        )
        self.assertEqual(attempt.user_id, operator)
        note = interaction.message_ids.filtered(lambda message: "Busy" in message.body)
        self.assertEqual(note.author_id, operator.partner_id)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        attempts.create({"interaction_id": interaction.id, "result": "reached"})
        self.assertEqual(interaction.callback_state, "done")
        self.assertFalse(self.callback_activities(interaction))

    @users("cc_operator")
    def test_failed_attempt_keeps_callback_due(self):
        interaction = self.register()
        self.env["grid.callback.attempt"].create(
            {"interaction_id": interaction.id, "result": "no_answer"}
        )
        self.assertEqual(interaction.callback_state, "due")
        self.assertEqual(interaction.callback_result, "no_answer")
        self.assertEqual(len(self.callback_activities(interaction)), 1)

    @users("cc_operator")
    def test_answering_in_contact_later_removes_activity(self):
        interaction = self.register()
        interaction.answered_in_contact = True
        self.assertEqual(interaction.callback_state, "none")
        self.assertFalse(self.callback_activities(interaction))

    @users("cc_supervisor")
    def test_reassignment_moves_callback_activity(self):
        interaction = self.register(user_id=self.operator.id)
        interaction.user_id = self.operator_2
        self.assertEqual(self.callback_activities(interaction).user_id, self.operator_2)

    @users("cc_supervisor")
    def test_callback_summary_in_assignee_language(self):
        self.env["res.lang"].sudo()._activate_lang("ru_RU")
        self.operator_2.sudo().lang = "ru_RU"
        interaction = self.register(user_id=self.operator_2.id)
        summary = self.callback_activities(interaction).summary
        self.assertEqual(self.env.user.lang, "en_US")
        self.assertTrue(summary.startswith("Перезвонить до"), summary)

    def test_callback_term_follows_callback_topic(self):
        self.env["grid.topic.deadline"].create(
            {
                "topic_id": self.env.ref("grid_contact_center.topic_8").id,
                "company_id": self.company.id,
                "deadline_amount": 2,
                "deadline_unit": "hours",
            }
        )
        interaction = self.register()
        self.assertEqual(interaction.callback_due, RECEIVED + timedelta(hours=2))

    @users("cc_supervisor")
    def test_missed_callbacks_listed_for_supervisor(self):
        missed = self.register(received_at=datetime(2026, 11, 1, 7, 0))
        late = self.register(received_at=datetime(2026, 11, 1, 7, 0))
        in_time = self.register(received_at=datetime(2026, 11, 1, 7, 0))
        pending = self.register()
        attempts = self.env["grid.callback.attempt"]
        attempts.create(
            [
                {
                    "interaction_id": late.id,
                    "called_at": datetime(2026, 11, 1, 12, 0),
                    "result": "reached",
                },
                {
                    "interaction_id": in_time.id,
                    "called_at": datetime(2026, 11, 1, 9, 0),
                    "result": "reached",
                },
            ]
        )
        listed = self.env["grid.interaction"].search(
            [
                ("callback_missed", "=", True),
                ("id", "in", (missed | late | in_time | pending).ids),
            ]
        )
        self.assertEqual(listed, missed | late)
        self.assertTrue(missed.callback_missed)
        self.assertTrue(late.callback_missed)
        self.assertFalse(in_time.callback_missed)
        self.assertFalse(pending.callback_missed)
        not_missed = self.env["grid.interaction"].search(
            [
                ("callback_missed", "=", False),
                ("id", "in", (missed | late | in_time | pending).ids),
            ]
        )
        self.assertEqual(not_missed, in_time | pending)
