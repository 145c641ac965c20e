from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import Form, users

from ..tools.meter_readings import ReadingWindow, billing_period
from .meter_reading_common import MeterReadingCase, moscow

HOUSEHOLD = ReadingWindow(1, 25, 25)
DECREE_442 = ReadingWindow(23, 25, 26)


class TestBillingPeriod(MeterReadingCase):
    """The billing period of a reading from its dates and a window."""

    def test_household_by_25th(self):
        self.assertEqual(
            billing_period(date(2026, 2, 25), date(2026, 2, 25), HOUSEHOLD),
            (date(2026, 2, 1), "in_window"),
        )

    def test_household_after_25th_counts_next_month(self):
        self.assertEqual(
            billing_period(date(2026, 2, 26), date(2026, 2, 26), HOUSEHOLD),
            (date(2026, 3, 1), "late"),
        )

    def test_taken_in_window_passed_by_26th(self):
        self.assertEqual(
            billing_period(date(2026, 2, 25), date(2026, 2, 26), DECREE_442),
            (date(2026, 2, 1), "in_window"),
        )

    def test_taken_after_window_is_late(self):
        self.assertEqual(
            billing_period(date(2026, 2, 26), date(2026, 2, 26), DECREE_442),
            (date(2026, 3, 1), "late"),
        )

    def test_passed_after_26th_is_late(self):
        self.assertEqual(
            billing_period(date(2026, 2, 24), date(2026, 2, 27), DECREE_442),
            (date(2026, 3, 1), "late"),
        )

    def test_taken_before_window_is_early(self):
        self.assertEqual(
            billing_period(date(2026, 2, 10), date(2026, 2, 10), DECREE_442),
            (date(2026, 2, 1), "early"),
        )

    def test_late_in_december_counts_toward_january(self):
        self.assertEqual(
            billing_period(date(2026, 12, 28), date(2026, 12, 28), HOUSEHOLD),
            (date(2027, 1, 1), "late"),
        )

    def test_taken_last_month_received_in_time(self):
        self.assertEqual(
            billing_period(date(2026, 1, 31), date(2026, 2, 3), DECREE_442),
            (date(2026, 2, 1), "in_window"),
        )

    def test_window_days_past_short_month_end(self):
        window = ReadingWindow(20, 31, 31)
        self.assertEqual(
            billing_period(date(2026, 2, 28), date(2026, 2, 28), window),
            (date(2026, 2, 1), "in_window"),
        )

    def test_no_window_counts_month_of_receipt(self):
        self.assertEqual(
            billing_period(date(2026, 2, 27), date(2026, 2, 28), None),
            (date(2026, 2, 1), "in_window"),
        )


class TestReadingWindows(MeterReadingCase):
    """Readings of the test consumer (a household) and of a legal entity,
    against the company's windows."""

    @users("cc_operator")
    def test_household_reading_received_late(self):
        meter = self.meter_two_zone
        on_time = self.record(
            meter, "2026-02-25", 10.0, 5.0, received_at=moscow(2026, 2, 25)
        )
        self.assertEqual(on_time.period_start, date(2026, 2, 1))
        self.assertEqual(on_time.window_status, "in_window")
        late = self.record(
            meter, "2026-02-26", 12.0, 6.0, received_at=moscow(2026, 2, 26)
        )
        self.assertEqual(late.period_start, date(2026, 3, 1))
        self.assertEqual(late.window_status, "late")
        self.assertEqual(late.state, "accepted")
        self.assertIn("window_late", self.codes(late))
        self.assertIn("March 2026", late.reasons)

    def test_receipt_day_in_company_time_zone(self):
        # 25 February 22:30 UTC is already 26 February in Moscow.
        reading = self.record(
            self.meter_two_zone,
            "2026-02-25",
            10.0,
            5.0,
            received_at="2026-02-25 22:30:00",
        )
        self.assertEqual(reading.window_status, "late")

    def test_legal_entity_window(self):
        self.consumer.consumer_category = "legal_entity"
        meter = self.meter_two_zone
        early = self.record(
            meter, "2026-02-10", 10.0, 5.0, received_at=moscow(2026, 2, 10)
        )
        self.assertEqual(early.window_status, "early")
        self.assertEqual(early.period_start, date(2026, 2, 1))
        passed = self.record(
            meter, "2026-02-25", 20.0, 9.0, received_at=moscow(2026, 2, 26)
        )
        self.assertEqual(passed.window_status, "in_window")
        self.assertEqual(passed.period_start, date(2026, 2, 1))

    def test_window_is_configurable(self):
        window = self.env["grid.meter.reading.window"].search(
            [
                ("company_id", "=", self.company.id),
                ("consumer_category", "=", "household"),
            ]
        )
        window.write({"last_day": 20, "transmit_day": 20})
        reading = self.record(
            self.meter_two_zone,
            "2026-02-21",
            10.0,
            5.0,
            received_at=moscow(2026, 2, 21),
        )
        self.assertEqual(reading.window_status, "late")

    def test_new_company_gets_default_windows(self):
        company = self.env["res.company"].create({"name": "New Grid District"})
        windows = self.env["grid.meter.reading.window"].search(
            [("company_id", "=", company.id)]
        )
        by_category = {
            window.consumer_category: (
                window.first_day,
                window.last_day,
                window.transmit_day,
            )
            for window in windows
        }
        self.assertEqual(by_category["household"], (1, 25, 25))
        self.assertEqual(by_category["legal_entity"], (23, 25, 26))
        self.assertEqual(by_category["entrepreneur"], (23, 25, 26))

    def test_window_days_must_be_ordered(self):
        window = self.env["grid.meter.reading.window"].search([], limit=1)
        with self.assertRaises(ValidationError):
            window.write({"first_day": 26, "last_day": 25})

    @users("cc_operator")
    def test_window_shown_on_interaction(self):
        form = Form(self.env["grid.interaction"])
        form.topic_id = self.env.ref("grid_contact_center.topic_3")
        form.partner_id = self.consumer
        self.assertEqual(
            form.meter_reading_window,
            "Readings are passed by the end of day 25 of the month; later "
            "readings count toward the next month.",
        )
        bakery = (
            self.env["res.partner"]
            .sudo()
            .create({"name": "ООО «Хлеб»", "consumer_category": "legal_entity"})
        )
        form.partner_id = bakery.with_env(self.env)
        self.assertIn("from day 23 to day 25", form.meter_reading_window)
