import threading
import time as clock
from datetime import date, datetime, timedelta

from freezegun import freeze_time

import odoo
from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import BaseCase, new_test_user, users
from odoo.tests.common import get_db_name

from .common import GridContactCenterCase

# Monday 2 November 2026, 09:00 in Moscow.
MONDAY_NINE = datetime(2026, 11, 2, 6, 0)


def _office_calendar_values(name):
    """A Moscow calendar: Monday to Friday, 9:00-13:00 and 14:00-18:00."""
    return {
        "name": name,
        "tz": "Europe/Moscow",
        "attendance_ids": [Command.clear()]
        + [
            Command.create(
                {
                    "name": f"{day} {start}",
                    "dayofweek": str(day),
                    "hour_from": start,
                    "hour_to": end,
                    "day_period": period,
                }
            )
            for day in range(5)
            for start, end, period in ((9, 13, "morning"), (14, 18, "afternoon"))
        ],
    }


@freeze_time("2026-10-30 12:00:00")
class TestAppointments(GridContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        calendar = cls.env["resource.calendar"].create(
            _office_calendar_values("Test office hours")
        )
        cls.office = cls.env["grid.office"].create(
            {
                "name": "Test office",
                "settlement_id": cls.settlement.id,
                "street": "ул. Морская",
                "house": "1",
                "resource_calendar_id": calendar.id,
                "slot_minutes": 30,
                "seats_per_slot": 2,
            }
        )

    def book(self, start=MONDAY_NINE, **values):
        return self.env["grid.appointment"].create(
            {
                "partner_id": self.consumer.id,
                "office_id": self.office.id,
                "slot_start": start,
                "topic_id": self.topic_info.id,
                **values,
            }
        )

    def test_slots_follow_calendar(self):
        slots = self.office._slots(date(2026, 11, 2), date(2026, 11, 2))
        self.assertEqual(len(slots), 16)
        self.assertEqual(slots[0], (MONDAY_NINE, datetime(2026, 11, 2, 6, 30)))
        # The lunch break: the last morning slot ends at 13:00, the first
        # afternoon slot starts at 14:00.
        self.assertEqual(slots[7][1], datetime(2026, 11, 2, 10, 0))
        self.assertEqual(slots[8][0], datetime(2026, 11, 2, 11, 0))

    def test_public_holiday_and_weekend_have_no_slots(self):
        # 4 November is National Unity Day; 7-8 November are a weekend.
        self.assertFalse(self.office._slots(date(2026, 11, 4), date(2026, 11, 4)))
        self.assertFalse(self.office._slots(date(2026, 11, 7), date(2026, 11, 8)))

    def test_office_day_off_removes_slots(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Staff training",
                "calendar_id": self.office.resource_calendar_id.id,
                "date_from": datetime(2026, 11, 3, 11, 0),
                "date_to": datetime(2026, 11, 3, 15, 0),
            }
        )
        slots = self.office._slots(date(2026, 11, 3), date(2026, 11, 3))
        self.assertEqual(len(slots), 8)

    @users("cc_operator")
    def test_booking_takes_seat(self):
        appointment = self.book()
        self.assertEqual(appointment.state, "booked")
        self.assertEqual(appointment.seat, 1)
        self.assertEqual(appointment.slot_end, datetime(2026, 11, 2, 6, 30))
        free = dict(
            (start, seats)
            for start, _end, seats in self.office._availability(
                date(2026, 11, 2), date(2026, 11, 2)
            )
        )
        self.assertEqual(free[MONDAY_NINE], 1)

    @users("cc_operator")
    def test_full_slot_rejected(self):
        self.book()
        self.book()
        with self.assertRaisesRegex(ValidationError, "fully booked"):
            self.book()

    @users("cc_operator")
    def test_cancelling_frees_seat(self):
        first = self.book()
        self.book()
        first.action_cancel()
        self.assertFalse(first.seat)
        self.assertEqual(self.book().seat, 1)

    @users("cc_operator")
    def test_moving_into_full_slot_rejected(self):
        self.book()
        self.book()
        other = self.book(start=datetime(2026, 11, 2, 6, 30))
        with self.assertRaisesRegex(ValidationError, "fully booked"):
            other.slot_start = MONDAY_NINE
        self.assertEqual(other.slot_start, datetime(2026, 11, 2, 6, 30))

    @users("cc_operator")
    def test_booking_outside_slots_rejected(self):
        with self.assertRaisesRegex(ValidationError, "no slot starting"):
            self.book(start=datetime(2026, 11, 2, 6, 10))
        with self.assertRaisesRegex(ValidationError, "no slot starting"):
            self.book(start=datetime(2026, 11, 4, 6, 0))

    @users("cc_operator")
    def test_booking_past_slot_rejected(self):
        with self.assertRaisesRegex(ValidationError, "has begun"):
            self.book(start=datetime(2026, 10, 29, 6, 0))

    @users("cc_operator")
    def test_past_visit_recorded_as_attended(self):
        visit = self.book(start=datetime(2026, 10, 29, 6, 0), state="attended")
        self.assertEqual(visit.seat, 1)

    @users("cc_operator")
    def test_booking_wizard_offers_free_slots(self):
        interaction = self.env["grid.interaction"].create(
            {"partner_id": self.consumer.id, "topic_id": self.topic_info.id}
        )
        booking = (
            self.env["grid.appointment.booking"]
            .with_context(
                default_partner_id=self.consumer.id,
                default_interaction_id=interaction.id,
            )
            .create({"office_id": self.office.id, "day": date(2026, 11, 2)})
        )
        self.assertEqual(len(booking.slot_ids), 16)
        booking.slot_ids[0].action_book()
        self.assertEqual(interaction.appointment_ids.slot_start, MONDAY_NINE)
        self.assertEqual(interaction.appointment_count, 1)

    def test_booking_noted_without_email(self):
        operator = new_test_user(
            self.env,
            "cc_operator_no_email",
            groups="grid_contact_center.group_operator",
            email=False,
        )
        interaction = (
            self.env["grid.interaction"]
            .with_user(operator)
            .create({"partner_id": self.consumer.id, "topic_id": self.topic_info.id})
        )
        booking = (
            self.env["grid.appointment.booking"]
            .with_user(operator)
            .with_context(
                default_partner_id=self.consumer.id,
                default_interaction_id=interaction.id,
            )
            .create({"office_id": self.office.id, "day": date(2026, 11, 2)})
        )
        booking.slot_ids[0].action_book()
        self.assertEqual(interaction.appointment_ids.slot_start, MONDAY_NINE)
        notes = interaction.message_ids.filtered(
            lambda message: message.author_id == operator.partner_id
        )
        self.assertTrue(notes)


class TestAppointmentConcurrency(BaseCase):
    """Two operators book the last seat of a slot at the same moment, each in
    a transaction of its own on a real database cursor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = odoo.modules.registry.Registry(get_db_name())

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            operator = env.ref("base.user_demo")
            operator.groups_id = [
                Command.link(env.ref("grid_contact_center.group_operator").id)
            ]
            self.operator_uid = operator.id
            calendar = env["resource.calendar"].create(
                _office_calendar_values("Concurrency test hours")
            )
            office = (
                env["grid.office"]
                .with_context(mail_create_nolog=True)
                .create(
                    {
                        "name": "Concurrency test office",
                        "settlement_id": env["grid.settlement"].search([], limit=1).id,
                        "resource_calendar_id": calendar.id,
                        "slot_minutes": 30,
                        "seats_per_slot": 1,
                    }
                )
            )
            self.office_id = office.id
            self.calendar_id = calendar.id
            self.partner_id = (
                env["res.partner"].create({"name": "Concurrency test consumer"}).id
            )
            # The first slot of the first working day a week ahead.
            day = date.today() + timedelta(days=7)
            slots = office._slots(day, day)
            while not slots:
                day += timedelta(days=1)
                slots = office._slots(day, day)
            self.start = slots[0][0]
        self.addCleanup(self._remove_records)

    def _remove_records(self):
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["grid.appointment"].search(
                [("office_id", "=", self.office_id)]
            ).unlink()
            env["grid.office"].browse(self.office_id).unlink()
            env["resource.calendar"].browse(self.calendar_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

    def _book(self, cr):
        env = odoo.api.Environment(cr, self.operator_uid, {})
        return env["grid.appointment"].create(
            {
                "partner_id": self.partner_id,
                "office_id": self.office_id,
                "slot_start": self.start,
            }
        )

    def test_second_booking_of_last_seat_after_first_commit(self):
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_b = odoo.api.Environment(cr_b, self.operator_uid, {})
            office_b = env_b["grid.office"].browse(self.office_id)
            # Operator B's transaction sees the seat free...
            self.assertEqual(
                env_b["grid.appointment"]._free_seats(office_b, self.start), [1]
            )
            # ...while operator A books it and commits.
            self._book(cr_a)
            cr_a.commit()
            with self.assertRaisesRegex(ValidationError, "fully booked"):
                self._book(cr_b)
            cr_b.rollback()

    def test_simultaneous_bookings_of_last_seat(self):
        outcome = {}

        def book_as_b():
            with self.registry.cursor() as cr_b:
                try:
                    self._book(cr_b)
                    cr_b.commit()
                    outcome["b"] = "booked"
                except ValidationError as error:
                    outcome["b"] = str(error)

        with self.registry.cursor() as cr_a, self.registry.cursor() as watcher:
            self._book(cr_a)
            thread = threading.Thread(target=book_as_b)
            thread.start()
            # Commit A only once B waits for A's row in the unique index.
            deadline = clock.monotonic() + 20
            while clock.monotonic() < deadline:
                watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if watcher.fetchone()[0]:
                    break
                watcher.rollback()
                clock.sleep(0.05)
            else:
                self.fail("the second booking never waited for the first")
            cr_a.commit()
            thread.join(timeout=20)
        self.assertFalse(thread.is_alive())
        self.assertIn("fully booked", outcome.get("b", ""))
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM grid_appointment WHERE office_id = %s",
                [self.office_id],
            )
            self.assertEqual(cr.fetchone()[0], 1)
