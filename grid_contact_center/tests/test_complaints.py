from datetime import date, datetime

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import users

from .common import GridContactCenterCase


class TestComplaints(GridContactCenterCase):
    def register(self, **values):
        return self.env["grid.interaction"].create(
            {
                "channel": "letter",
                "received_at": datetime(2026, 11, 2, 9, 0),
                "partner_id": self.consumer.id,
                "topic_id": self.topic_complaint.id,
                "description": "The connection is three months late",
                "complaint_demands": "Connect the house this month",
                **values,
            }
        )

    @users("cc_operator")
    def test_complaint_deadline_thirty_calendar_days(self):
        complaint = self.register()
        # Monday 2 November 2026 + 30 days = Wednesday 2 December, end of day
        # in Moscow.
        self.assertEqual(complaint.deadline, datetime(2026, 12, 2, 20, 59, 59))

    @users("cc_operator")
    def test_answer_channel_defaults_from_channel(self):
        self.assertEqual(self.register().complaint_answer_channel, "letter")
        by_phone = self.register(channel="phone_in")
        self.assertEqual(by_phone.complaint_answer_channel, "phone")
        chosen = self.register(channel="phone_in", complaint_answer_channel="email")
        self.assertEqual(chosen.complaint_answer_channel, "email")

    @users("cc_operator")
    def test_complaint_not_closed_without_answer(self):
        complaint = self.register()
        with self.assertRaises(UserError):
            complaint.action_close()
        with self.assertRaisesRegex(ValidationError, "Complaint Was"):
            complaint.write({"state": "closed"})

    @users("cc_operator")
    def test_complaint_needs_verdict(self):
        complaint = self.register(answer="The connection is scheduled")
        with self.assertRaisesRegex(ValidationError, "Complaint Was"):
            complaint.action_answer()

    @users("cc_operator")
    def test_answered_complaint_closes(self):
        complaint = self.register(
            answer="The connection is scheduled for 20 November",
            complaint_resolution="Crew assigned",
            complaint_justified="justified",
        )
        complaint.action_answer()
        self.assertEqual(complaint.state, "answered")
        # The answer date is the operator's local date, not the server's.
        self.assertEqual(
            complaint.complaint_answer_date,
            fields.Date.context_today(complaint),
        )
        complaint.action_close()
        self.assertEqual(complaint.state, "closed")

    @users("cc_operator")
    def test_recorded_answer_date_kept(self):
        complaint = self.register(
            answer="Answered by letter",
            complaint_justified="unjustified",
            complaint_answer_date=date(2026, 11, 20),
        )
        complaint.action_close()
        self.assertEqual(complaint.complaint_answer_date, date(2026, 11, 20))

    @users("cc_operator")
    def test_other_topics_close_without_verdict(self):
        interaction = self.register(topic_id=self.topic_info.id, answer="Told")
        interaction.action_close()
        self.assertEqual(interaction.state, "closed")
