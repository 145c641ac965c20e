from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import users
from odoo.tools import mute_logger

from .meter_reading_common import MeterReadingCase


class TestMeterReadingRules(MeterReadingCase):
    """Each plausibility rule on fixed dates. Today is 10 March 2026; the
    history of ``meter`` is 5 kWh a day up to 1460.0 on 24 February."""

    # ------------------------------------------------------------
    # Consumption
    # ------------------------------------------------------------

    @users("cc_operator")
    def test_consumption_since_previous_accepted(self):
        reading = self.record(self.meter, "2026-03-06", 1510.0)
        self.assertEqual(reading.state, "accepted")
        self.assertEqual(reading.previous_date, date(2026, 2, 24))
        self.assertEqual(reading.previous_value_t1, 1460.0)
        self.assertEqual(reading.days, 10)
        self.assertEqual(reading.consumption_t1, 50.0)
        self.assertEqual(reading.consumption_total, 50.0)
        self.assertFalse(reading.reasons)

    @users("cc_operator")
    def test_first_reading_accepted_without_consumption(self):
        reading = self.record(self.meter_two_zone, "2026-03-02", 100.0, 40.0)
        self.assertEqual(reading.state, "accepted")
        self.assertEqual(self.codes(reading), ["first_reading"])
        self.assertFalse(reading.previous_date)
        self.assertEqual(reading.days, 0)

    @users("cc_operator")
    def test_consumption_per_zone_times_multiplier(self):
        self.record(self.meter_ct, "2026-02-01", 100.25)
        reading = self.record(self.meter_ct, "2026-03-01", 150.75)
        self.assertEqual(reading.consumption_t1, 2020.0)
        two_zone = self.meter_two_zone
        self.record(two_zone, "2026-02-01", 100.0, 40.0)
        reading = self.record(two_zone, "2026-03-01", 180.5, 70.0)
        self.assertEqual(reading.consumption_t1, 80.5)
        self.assertEqual(reading.consumption_t2, 30.0)
        self.assertEqual(reading.consumption_total, 110.5)

    # ------------------------------------------------------------
    # Value below the previous one and register wrap
    # ------------------------------------------------------------

    @users("cc_operator")
    def test_reading_below_previous_is_rejected(self):
        reading = self.record(self.meter, "2026-03-06", 1450.0)
        self.assertEqual(reading.state, "rejected")
        self.assertEqual(self.codes(reading), ["below_previous"])
        self.assertIn("1450", reading.reasons)
        self.assertIn("1460", reading.reasons)
        self.assertIn("999990", reading.reasons)
        self.assertFalse(reading.days)

    @users("cc_operator")
    def test_register_wrap_is_rollover(self):
        self.record(self.meter_small, "2026-02-01", 99990.0)
        reading = self.record(self.meter_small, "2026-03-01", 10.0)
        self.assertEqual(reading.state, "accepted")
        self.assertEqual(self.codes(reading), ["rollover"])
        self.assertEqual(reading.consumption_t1, 20.0)

    @users("cc_operator")
    def test_wrap_beyond_share_is_rejected(self):
        # 60000 to 50000 on a 5-digit register would be a wrap of 90,000
        # kWh, above 10 % of the register's range of 100,000.
        self.record(self.meter_small, "2026-02-01", 60000.0)
        reading = self.record(self.meter_small, "2026-03-01", 50000.0)
        self.assertEqual(reading.state, "rejected")
        self.assertEqual(self.codes(reading), ["below_previous"])

    @users("cc_operator")
    def test_wrap_share_is_configurable(self):
        self.company.sudo().grid_reading_rollover_max_percent = 95.0
        self.record(self.meter_small, "2026-02-01", 60000.0)
        reading = self.record(self.meter_small, "2026-03-01", 50000.0)
        self.assertEqual(reading.state, "accepted")
        self.assertEqual(reading.consumption_t1, 90000.0)

    def test_wrap_above_history_is_rejected(self):
        self.record_history(
            self.meter_small,
            [("2025-12-24", 99500.0), ("2026-01-24", 99655.0), ("2026-02-24", 99810.0)],
        )
        # 240 kWh in 10 days is 24 kWh a day, above 3 times 5 kWh a day.
        reading = self.record(self.meter_small, "2026-03-06", 50.0)
        self.assertEqual(reading.state, "rejected")
        self.assertEqual(self.codes(reading), ["below_previous"])
        # 200 kWh in 14 days is 14.3 kWh a day: a plausible wrap.
        reading = self.record(self.meter_small, "2026-03-10", 10.0)
        self.assertEqual(reading.state, "accepted")
        self.assertEqual(reading.consumption_t1, 200.0)

    # ------------------------------------------------------------
    # Deviation from the history
    # ------------------------------------------------------------

    @users("cc_operator")
    def test_high_daily_consumption_needs_review(self):
        reading = self.record(self.meter, "2026-03-06", 1660.0)
        self.assertEqual(reading.state, "review")
        self.assertEqual(self.codes(reading), ["consumption_high"])
        self.assertIn("20 kWh", reading.reasons)
        self.assertIn("5 kWh", reading.reasons)
        self.assertEqual(reading.consumption_t1, 200.0)

    @users("cc_operator")
    def test_low_daily_consumption_needs_review(self):
        reading = self.record(self.meter, "2026-03-06", 1470.0)
        self.assertEqual(reading.state, "review")
        self.assertEqual(self.codes(reading), ["consumption_low"])

    @users("cc_operator")
    def test_deviation_factor_is_configurable(self):
        self.company.sudo().grid_reading_deviation_factor = 5.0
        reading = self.record(self.meter, "2026-03-06", 1660.0)
        self.assertEqual(reading.state, "accepted")

    @users("cc_operator")
    def test_deviation_factor_zero_disables_check(self):
        self.company.sudo().grid_reading_deviation_factor = 0.0
        reading = self.record(self.meter, "2026-03-06", 5000.0)
        self.assertEqual(reading.state, "accepted")

    def test_short_history_skips_deviation_check(self):
        self.record_history(
            self.meter_two_zone, [("2026-02-01", 10.0, 5.0), ("2026-02-20", 20.0, 8.0)]
        )
        # 19 days of history, fewer than the 30 required.
        reading = self.record(self.meter_two_zone, "2026-03-01", 900.0, 400.0)
        self.assertEqual(reading.state, "accepted")

    def test_history_period_is_configurable(self):
        # A history period of 20 days keeps only the last interval, 31 days
        # long, short of the 40 days now required.
        self.company.grid_reading_history_days = 20
        self.company.grid_reading_history_min_days = 40
        reading = self.record(self.meter, "2026-03-06", 5000.0)
        self.assertEqual(reading.state, "accepted")

    # ------------------------------------------------------------
    # Dates
    # ------------------------------------------------------------

    @users("cc_operator")
    def test_reading_dated_in_future_is_rejected(self):
        reading = self.record(self.meter, "2026-03-11", 1520.0)
        self.assertEqual(reading.state, "rejected")
        self.assertEqual(self.codes(reading), ["future_date"])
        self.assertIn("03/11/2026", reading.reasons)

    @users("cc_operator")
    def test_days_ahead_allowed_is_configurable(self):
        self.company.sudo().grid_reading_future_days = 1
        reading = self.record(self.meter, "2026-03-11", 1540.0)
        self.assertEqual(reading.state, "accepted")

    @users("cc_operator")
    def test_reading_before_installation_is_rejected(self):
        reading = self.record(self.meter_two_zone, "2020-01-10", 1.0, 1.0)
        self.assertEqual(reading.state, "rejected")
        self.assertIn("before_installation", self.codes(reading))

    @users("cc_operator")
    def test_reading_before_last_accepted_is_rejected(self):
        reading = self.record(self.meter, "2026-02-20", 1440.0)
        self.assertEqual(reading.state, "rejected")
        self.assertEqual(self.codes(reading), ["before_last_accepted"])

    @users("cc_operator")
    def test_second_value_on_accepted_date_is_rejected(self):
        reading = self.record(self.meter, "2026-02-24", 1470.0)
        self.assertEqual(reading.state, "rejected")
        self.assertEqual(self.codes(reading), ["same_date_accepted"])

    # ------------------------------------------------------------
    # Verification
    # ------------------------------------------------------------

    @users("cc_operator")
    def test_overdue_verification_is_accepted_with_warning(self):
        meter = self.create_meter(
            "T-0000009", verification_date="2009-01-01", installation_date="2009-02-01"
        ).with_env(self.env)
        self.assertEqual(meter.next_verification_date, date(2025, 1, 1))
        self.assertTrue(meter.is_verification_overdue)
        reading = self.record(meter, "2026-03-02", 500.0)
        self.assertEqual(reading.state, "accepted")
        self.assertTrue(reading.has_warning)
        self.assertIn("verification_overdue", self.codes(reading))
        self.assertIn("01/01/2025", reading.reasons)

    @users("cc_operator")
    def test_verification_warning_can_be_switched_off(self):
        self.company.sudo().grid_reading_warn_verification = False
        meter = self.create_meter(
            "T-0000009", verification_date="2009-01-01", installation_date="2009-02-01"
        )
        reading = self.record(meter, "2026-03-02", 500.0)
        self.assertFalse(reading.has_warning)

    # ------------------------------------------------------------
    # Duplicates
    # ------------------------------------------------------------

    @users("cc_operator")
    def test_same_reading_twice_is_refused(self):
        first = self.record(self.meter, "2026-03-06", 1510.0)
        with self.assertRaisesRegex(ValidationError, "already received"):
            self.record(self.meter, "2026-03-06", 1510.0)
        readings = self.env["grid.meter.reading"].search(
            [("meter_id", "=", self.meter.id), ("reading_date", "=", "2026-03-06")]
        )
        self.assertEqual(readings, first)

    @users("cc_operator")
    def test_same_reading_twice_in_one_batch_is_refused(self):
        vals = {"meter_id": self.meter.id, "reading_date": "2026-03-06"}
        with self.assertRaisesRegex(ValidationError, "entered twice"):
            self.env["grid.meter.reading"].create(
                [{**vals, "value_t1": 1510.0}, {**vals, "value_t1": 1510.0}]
            )

    # ------------------------------------------------------------
    # Batches and order
    # ------------------------------------------------------------

    @users("cc_operator")
    def test_batch_judged_in_date_order(self):
        later, earlier = self.env["grid.meter.reading"].create(
            [
                {
                    "meter_id": self.meter.id,
                    "reading_date": "2026-03-08",
                    "value_t1": 1520.0,
                },
                {
                    "meter_id": self.meter.id,
                    "reading_date": "2026-03-04",
                    "value_t1": 1480.0,
                },
            ]
        )
        self.assertEqual(earlier.state, "accepted")
        self.assertEqual(earlier.previous_date, date(2026, 2, 24))
        self.assertEqual(later.state, "accepted")
        self.assertEqual(later.previous_date, date(2026, 3, 4))
        self.assertEqual(later.consumption_t1, 40.0)

    @users("cc_operator")
    def test_rejected_reading_is_not_previous(self):
        self.record(self.meter, "2026-03-04", 1400.0)
        reading = self.record(self.meter, "2026-03-06", 1510.0)
        self.assertEqual(reading.previous_date, date(2026, 2, 24))
        self.assertEqual(reading.consumption_t1, 50.0)

    # ------------------------------------------------------------
    # Input
    # ------------------------------------------------------------

    @users("cc_operator")
    def test_bad_values_are_refused(self):
        cases = [
            (self.meter_two_zone, {"value_t1": 10.0}, "T2 has no value"),
            (self.meter, {"value_t1": 10.0, "value_t2": 5.0}, "only 1 tariff"),
            (self.meter, {"value_t1": 1000000.0}, "6 integer digits"),
            (self.meter, {"value_t1": 1500.25}, "more decimal places"),
            (self.meter, {"value_t1": -1.0}, "negative"),
        ]
        for meter, values, message in cases:
            with self.subTest(message=message):
                with self.assertRaisesRegex(ValidationError, message):
                    self.env["grid.meter.reading"].create(
                        {"meter_id": meter.id, "reading_date": "2026-03-06", **values}
                    )

    @users("cc_operator")
    def test_removed_meter_takes_no_readings(self):
        self.meter.sudo().state = "removed"
        with self.assertRaisesRegex(ValidationError, "takes no readings"):
            self.record(self.meter, "2026-03-06", 1510.0)

    # ------------------------------------------------------------
    # Review and changes
    # ------------------------------------------------------------

    @users("cc_supervisor")
    def test_supervisor_accepts_reviewed_reading(self):
        reading = self.record(self.meter, "2026-03-06", 1660.0)
        reading.action_accept()
        self.assertEqual(reading.state, "accepted")
        self.assertEqual(reading.reviewed_by_id, self.supervisor)
        following = self.record(self.meter, "2026-03-09", 1675.0)
        self.assertEqual(following.previous_date, date(2026, 3, 6))

    @users("cc_supervisor")
    def test_accept_refused_after_newer_accepted(self):
        reviewed = self.record(self.meter, "2026-03-06", 1660.0)
        self.record(self.meter, "2026-03-08", 1530.0)
        with self.assertRaisesRegex(UserError, "out of date"):
            reviewed.action_accept()
        reviewed.action_reject()
        self.assertEqual(reviewed.state, "rejected")

    @users("cc_supervisor")
    def test_only_reviewed_readings_are_judged_by_hand(self):
        reading = self.record(self.meter, "2026-03-06", 1510.0)
        with self.assertRaisesRegex(UserError, "need review"):
            reading.action_reject()

    @users("cc_operator")
    def test_operator_cannot_accept(self):
        reading = self.record(self.meter, "2026-03-06", 1660.0)
        with self.assertRaises(AccessError):
            reading.action_accept()
        with self.assertRaises(AccessError):
            reading.write({"state": "accepted"})
        interaction = self.env["grid.interaction"].create(
            {"topic_id": self.env.ref("grid_contact_center.topic_3").id}
        )
        reading.interaction_id = interaction
        self.assertEqual(interaction.meter_reading_ids, reading)

    @users("cc_supervisor")
    def test_received_reading_cannot_change(self):
        reading = self.record(self.meter, "2026-03-06", 1510.0)
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            reading.value_t1 = 1520.0

    @users("cc_supervisor")
    def test_changed_reading_error_names_state(self):
        reading = self.record(self.meter, "2026-03-06", 1660.0)
        self.assertEqual(reading.state, "review")
        with self.assertRaisesRegex(UserError, r"\(Needs Review\) cannot be changed"):
            reading.value_t1 = 1520.0
        self.env["res.lang"].sudo()._activate_lang("ru_RU")
        with self.assertRaises(UserError) as caught:
            reading.with_context(lang="ru_RU").value_t1 = 1520.0
        self.assertNotIn("Принятое", str(caught.exception))
        self.assertIn("нельзя изменить после получения", str(caught.exception))

    def test_previous_reading_cannot_be_deleted(self):
        last = self.record(self.meter, "2026-03-06", 1510.0)
        previous = last.previous_date
        earlier = self.env["grid.meter.reading"].search(
            [("meter_id", "=", self.meter.id), ("reading_date", "=", previous)]
        )
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            earlier.unlink()
        last.unlink()
        earlier.unlink()
        self.assertFalse(earlier.exists())


class TestMeters(MeterReadingCase):
    def test_serial_unique_per_company(self):
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
        ):
            self.create_meter("T-0000001")
        other = self.env["res.company"].create({"name": "Other Grid District"})
        point = self.env["grid.service.point"].create(
            {"name": "SP-OTHER-1", "company_id": other.id}
        )
        meter = self.env["grid.meter"].create(
            {"name": "T-0000001", "service_point_id": point.id, "company_id": other.id}
        )
        self.assertEqual(meter.company_id, other)

    def test_next_verification_follows_interval(self):
        self.meter.verification_interval = 8
        self.assertEqual(self.meter.next_verification_date, date(2028, 1, 10))
        self.meter.verification_date = False
        self.assertFalse(self.meter.next_verification_date)

    def test_register_frozen_once_read(self):
        with self.assertRaisesRegex(UserError, "already have readings"):
            self.meter.zone_count = 2
        self.meter_small.integer_digits = 6
        self.assertEqual(self.meter_small.integer_digits, 6)

    def test_register_limits(self):
        for values in (
            {"zone_count": 4},
            {"integer_digits": 10},
            {"decimal_digits": 4},
            {"multiplier": 0},
        ):
            with self.subTest(values=values):
                with (
                    mute_logger("odoo.sql_db"),
                    self.assertRaises(IntegrityError),
                    self.cr.savepoint(),
                ):
                    self.meter_small.write(values)
                    self.meter_small.flush_recordset()

    @users("cc_operator")
    def test_operator_cannot_change_meters(self):
        with self.assertRaises(AccessError):
            self.meter.with_env(self.env).multiplier = 2

    def test_overdue_filter(self):
        overdue = self.create_meter(
            "T-0000010", verification_date="2009-01-01", installation_date="2009-02-01"
        )
        found = self.env["grid.meter"].search([("is_verification_overdue", "=", True)])
        self.assertIn(overdue, found)
        self.assertNotIn(self.meter, found)
