from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, users

from .common import GridContactCenterCase

NOW = datetime(2026, 11, 2, 8, 0)
RECEIVED = datetime(2026, 11, 2, 7, 0)


@freeze_time(NOW)
class TestRegisterDates(GridContactCenterCase):
    """Times and dates of the register that cannot be right are rejected."""

    def register(self, **values):
        return self.env["grid.interaction"].create(
            {
                "channel": "phone_in",
                "received_at": RECEIVED,
                "partner_id": self.consumer.id,
                "topic_id": self.topic_info.id,
                **values,
            }
        )

    def attempt(self, interaction, **values):
        return self.env["grid.callback.attempt"].create(
            {"interaction_id": interaction.id, "result": "no_answer", **values}
        )

    @users("cc_operator")
    def test_received_in_future_rejected(self):
        with self.assertRaisesRegex(ValidationError, "in the future"):
            self.register(received_at=NOW + timedelta(days=1))
        interaction = self.register()
        with self.assertRaisesRegex(ValidationError, "in the future"):
            interaction.received_at = NOW + timedelta(hours=1)

    @users("cc_operator")
    def test_received_within_clock_skew_accepted(self):
        interaction = self.register(received_at=NOW + timedelta(minutes=2))
        self.assertEqual(interaction.received_at, NOW + timedelta(minutes=2))

    @users("cc_operator")
    def test_desk_received_in_future_rejected(self):
        desk = Form(self.env["grid.desk"])
        desk.received_at = datetime(2030, 1, 1)
        desk.topic_id = self.topic_info
        with self.assertRaisesRegex(ValidationError, "in the future"):
            desk.save()._register_interaction()

    @users("cc_operator")
    def test_deadline_before_received_rejected(self):
        interaction = self.register(topic_id=self.topic_complaint.id)
        with self.assertRaisesRegex(ValidationError, "before the interaction"):
            interaction.write(
                {
                    "deadline": RECEIVED - timedelta(days=1),
                    "deadline_change_reason": "Typed by mistake",
                }
            )

    @users("cc_operator")
    def test_complaint_answer_date_bounds(self):
        complaint = self.register(topic_id=self.topic_complaint.id)
        with self.assertRaisesRegex(ValidationError, "in the future"):
            complaint.complaint_answer_date = date(2030, 1, 1)
        with self.assertRaisesRegex(ValidationError, "before the complaint"):
            complaint.complaint_answer_date = date(2020, 1, 1)
        complaint.complaint_answer_date = date(2026, 11, 2)
        self.assertEqual(complaint.complaint_answer_date, date(2026, 11, 2))

    @users("cc_operator")
    def test_attempt_time_bounds(self):
        interaction = self.register()
        with self.assertRaisesRegex(ValidationError, "in the future"):
            self.attempt(interaction, called_at=datetime(2030, 12, 4))
        with self.assertRaisesRegex(ValidationError, "before interaction"):
            self.attempt(interaction, called_at=datetime(2020, 12, 4))
        attempt = self.attempt(interaction, called_at=NOW)
        with self.assertRaisesRegex(ValidationError, "in the future"):
            attempt.called_at = NOW + timedelta(hours=1)

    @users("cc_operator")
    def test_attempt_in_other_name_rejected(self):
        interaction = self.register()
        with self.assertRaisesRegex(AccessError, "Only supervisors"):
            self.attempt(interaction, user_id=self.operator_2.id)
        attempt = self.attempt(interaction)
        self.assertEqual(attempt.user_id, self.operator)
        with self.assertRaisesRegex(AccessError, "Only supervisors"):
            attempt.user_id = self.operator_2

    @users("cc_supervisor")
    def test_supervisor_records_for_operator(self):
        interaction = self.register(user_id=self.operator.id)
        attempt = self.attempt(interaction, user_id=self.operator.id)
        self.assertEqual(attempt.user_id, self.operator)

    @users("cc_operator")
    def test_result_from_latest_attempt(self):
        interaction = self.register()
        reached_at = RECEIVED + timedelta(minutes=40)
        self.attempt(interaction, called_at=reached_at, result="reached")
        # Logged afterwards, but called before the consumer was reached.
        self.attempt(interaction, called_at=RECEIVED + timedelta(minutes=10))
        self.assertEqual(interaction.callback_state, "done")
        self.assertEqual(interaction.callback_done_at, reached_at)
        self.assertEqual(interaction.callback_result, "reached")
        # A later call that finds nobody does not reopen the callback.
        self.attempt(interaction, called_at=NOW, result="busy")
        self.assertEqual(interaction.callback_state, "done")
        self.assertEqual(interaction.callback_result, "reached")

    @users("cc_operator")
    def test_result_follows_called_time(self):
        interaction = self.register()
        self.attempt(interaction, called_at=RECEIVED + timedelta(minutes=30))
        self.attempt(
            interaction, called_at=RECEIVED + timedelta(minutes=20), result="busy"
        )
        self.assertEqual(interaction.callback_state, "due")
        self.assertEqual(interaction.callback_result, "no_answer")
