from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, users

from .common import GridContactCenterCase


class TestDeadlines(GridContactCenterCase):
    """Answer deadlines on fixed dates over the Moscow five-day calendar with
    the Russian public holidays of 2026 and 2027."""

    def deadline(self, received_at, amount, unit):
        return self.company._grid_deadline(received_at, amount, unit)

    def test_calendar_days_cross_year_end(self):
        # Thursday 3 December 2026, 10:00 in Moscow. Day 30 is Saturday
        # 2 January 2027, inside the New Year holidays (1-8 January), and
        # 9-10 January are a weekend: the term ends on Monday 11 January.
        self.assertEqual(
            self.deadline(datetime(2026, 12, 3, 7, 0), 30, "calendar_days"),
            datetime(2027, 1, 11, 20, 59, 59),
        )

    def test_calendar_days_on_weekday_stay(self):
        # Monday 2 November 2026 + 30 days = Wednesday 2 December 2026.
        self.assertEqual(
            self.deadline(datetime(2026, 11, 2, 9, 0), 30, "calendar_days"),
            datetime(2026, 12, 2, 20, 59, 59),
        )

    def test_calendar_days_skip_weekend_and_holiday(self):
        # Friday 20 February 2026 + 1 day = Saturday; Sunday follows and
        # Monday 23 February is Defender of the Fatherland Day.
        self.assertEqual(
            self.deadline(datetime(2026, 2, 20, 9, 0), 1, "calendar_days"),
            datetime(2026, 2, 24, 20, 59, 59),
        )

    def test_working_days_skip_transferred_holiday(self):
        # Friday 8 May 2026: 9-10 May are a weekend, 11 May is the day off
        # moved from Victory Day; the fifth working day is Monday 18 May.
        self.assertEqual(
            self.deadline(datetime(2026, 5, 8, 9, 0), 5, "working_days"),
            datetime(2026, 5, 18, 20, 59, 59),
        )

    def test_working_days_across_new_year(self):
        # Wednesday 30 December 2026: 31 December 2026 and 1-10 January 2027
        # are days off, so the first working day is Monday 11 January.
        self.assertEqual(
            self.deadline(datetime(2026, 12, 30, 9, 0), 1, "working_days"),
            datetime(2027, 1, 11, 20, 59, 59),
        )

    def test_hours_ignore_holidays(self):
        self.assertEqual(
            self.deadline(datetime(2026, 12, 31, 22, 0), 4, "hours"),
            datetime(2027, 1, 1, 2, 0),
        )

    def test_start_late_evening_counts_local_date(self):
        # 22:30 UTC on Friday 6 March 2026 is already Saturday 7 March in
        # Moscow; one working day later is Tuesday 10 March (9 March is the
        # day off for Women's Day).
        self.assertEqual(
            self.deadline(datetime(2026, 3, 6, 22, 30), 1, "working_days"),
            datetime(2026, 3, 10, 20, 59, 59),
        )

    def test_transferred_working_day_counts(self):
        self.env["grid.workday"].create(
            {"date": "2026-02-21", "name": "Working Saturday"}
        )
        self.assertEqual(
            self.deadline(datetime(2026, 2, 20, 9, 0), 1, "calendar_days"),
            datetime(2026, 2, 21, 20, 59, 59),
        )

    def test_company_holiday_of_other_company_ignored(self):
        other = self.env["res.company"].create({"name": "Other Grid District"})
        regional = (
            self.env["resource.calendar.leaves"]
            .with_company(other)
            .create(
                {
                    "name": "Regional holiday",
                    "date_from": "2026-11-02 00:00:00",
                    "date_to": "2026-11-02 23:59:59",
                }
            )
        )
        self.assertEqual(regional.company_id, other)
        self.assertEqual(
            self.deadline(datetime(2026, 10, 30, 9, 0), 1, "working_days"),
            datetime(2026, 11, 2, 20, 59, 59),
        )

    def test_calendar_without_working_days_raises(self):
        self.company.resource_calendar_id.attendance_ids.unlink()
        self.company.resource_calendar_id.attendance_ids = [
            Command.create(
                {"name": "Sunday", "dayofweek": "6", "hour_from": 8, "hour_to": 9}
            )
        ]
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Closed",
                "date_from": "2026-01-01 00:00:00",
                "date_to": "2028-12-31 23:59:59",
                "calendar_id": self.company.resource_calendar_id.id,
            }
        )
        with self.assertRaises(UserError):
            self.deadline(datetime(2026, 5, 8, 9, 0), 5, "working_days")

    def test_company_term_overrides_topic(self):
        self.env["grid.topic.deadline"].create(
            {
                "topic_id": self.topic_complaint.id,
                "company_id": self.company.id,
                "deadline_amount": 10,
                "deadline_unit": "working_days",
            }
        )
        interaction = self.env["grid.interaction"].create(
            {
                "topic_id": self.topic_complaint.id,
                "received_at": datetime(2026, 11, 2, 9, 0),
            }
        )
        # Ten working days from Monday 2 November 2026, with 4 November off.
        self.assertEqual(interaction.deadline, datetime(2026, 11, 17, 20, 59, 59))

    @users("cc_operator")
    def test_interaction_deadline_from_topic(self):
        interaction = self.env["grid.interaction"].create(
            {
                "topic_id": self.topic_complaint.id,
                "received_at": datetime(2026, 12, 3, 7, 0),
            }
        )
        self.assertEqual(interaction.deadline, datetime(2027, 1, 11, 20, 59, 59))

    @users("cc_operator")
    def test_manual_deadline_change_needs_reason(self):
        interaction = self.env["grid.interaction"].create(
            {"topic_id": self.topic_complaint.id}
        )
        with self.assertRaises(UserError):
            interaction.deadline = datetime(2030, 1, 1)
        interaction.write(
            {
                "deadline": datetime(2030, 1, 1),
                "deadline_change_reason": "The consumer asked to wait for documents",
            }
        )
        self.assertEqual(interaction.deadline, datetime(2030, 1, 1))
        # Tracking messages are written when the transaction commits.
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = interaction.sudo().message_ids.tracking_value_ids.field_id.mapped(
            "name"
        )
        self.assertIn("deadline", tracked)
        self.assertIn("deadline_change_reason", tracked)

    @users("cc_operator")
    def test_topic_change_in_form_needs_no_reason(self):
        interaction = self.env["grid.interaction"].create(
            {"topic_id": self.topic_complaint.id}
        )
        with Form(interaction) as form:
            form.topic_id = self.topic_outage
        self.assertEqual(
            interaction.deadline,
            self.company._grid_deadline(interaction.received_at, 24, "hours"),
        )

    def test_overdue_filter(self):
        late = self.env["grid.interaction"].create(
            {
                "topic_id": self.topic_outage.id,
                "received_at": datetime(2026, 1, 12, 9, 0),
            }
        )
        answered = self.env["grid.interaction"].create(
            {
                "topic_id": self.topic_outage.id,
                "received_at": datetime(2026, 1, 12, 9, 0),
                "answer": "Supply restored",
            }
        )
        answered.action_answer()
        overdue = self.env["grid.interaction"].search([("is_overdue", "=", True)])
        self.assertIn(late, overdue)
        self.assertNotIn(answered, overdue)
        self.assertTrue(late.is_overdue)
        not_overdue = self.env["grid.interaction"].search([("is_overdue", "=", False)])
        self.assertIn(answered, not_overdue)

    @freeze_time("2026-11-02 08:00:00")
    @users("cc_operator")
    def test_immediate_topic_due_by_callback_term(self):
        # Topic 1.4 has a term of 0 because it is answered during the
        # contact. A question left open is due with its callback, 4 hours
        # after reception.
        received_at = datetime(2026, 11, 2, 7, 0)
        self.assertEqual(self.topic_info._deadline_rule(self.company)[0], 0)
        open_question = self.env["grid.interaction"].create(
            {
                "channel": "phone_in",
                "received_at": received_at,
                "topic_id": self.topic_info.id,
            }
        )
        self.assertEqual(open_question.deadline, datetime(2026, 11, 2, 11, 0))
        self.assertEqual(open_question.deadline, open_question.callback_due)
        self.assertFalse(open_question.is_overdue)
        overdue = self.env["grid.interaction"].search([("is_overdue", "=", True)])
        self.assertNotIn(open_question, overdue)

        answered = self.env["grid.interaction"].create(
            {
                "channel": "phone_in",
                "received_at": received_at,
                "topic_id": self.topic_info.id,
                "answered_in_contact": True,
            }
        )
        self.assertEqual(answered.deadline, received_at)

        desk = Form(self.env["grid.desk"])
        desk.received_at = received_at
        desk.topic_id = self.topic_info
        self.assertEqual(desk.deadline, open_question.deadline)
        desk.answered_in_contact = True
        self.assertEqual(desk.deadline, received_at)
