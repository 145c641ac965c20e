from datetime import datetime

import pytz

from odoo.tests import BaseCase, users

from ..tools.quiet_hours import quiet_hours_end, quiet_hours_end_utc
from .common import GridContactCenterCase


class TestQuietHours(BaseCase):
    def test_span_over_midnight(self):
        cases = [
            (datetime(2026, 1, 14, 23, 30), datetime(2026, 1, 15, 8, 0)),
            (datetime(2026, 1, 15, 6, 0), datetime(2026, 1, 15, 8, 0)),
            (datetime(2026, 1, 15, 22, 0), datetime(2026, 1, 16, 8, 0)),
            (datetime(2026, 1, 15, 8, 0), None),
            (datetime(2026, 1, 15, 21, 59), None),
        ]
        for local_now, expected in cases:
            with self.subTest(local_now=local_now):
                self.assertEqual(quiet_hours_end(local_now, 22.0, 8.0), expected)

    def test_span_within_day(self):
        self.assertEqual(
            quiet_hours_end(datetime(2026, 1, 15, 13, 15), 13.0, 14.5),
            datetime(2026, 1, 15, 14, 30),
        )
        self.assertIsNone(quiet_hours_end(datetime(2026, 1, 15, 14, 30), 13.0, 14.5))

    def test_equal_bounds_mean_no_quiet_hours(self):
        self.assertIsNone(quiet_hours_end(datetime(2026, 1, 15, 3, 0), 0.0, 0.0))


class TestQuietHoursUtc(BaseCase):
    """Quiet hours around a UTC time, read in the consumer's time zone."""

    def test_outside_quiet_hours_is_none(self):
        now = datetime(2026, 3, 10, 9, 0)  # 12:00 in Moscow
        self.assertIsNone(quiet_hours_end_utc(now, "Europe/Moscow", 22.0, 8.0))

    def test_evening_waits_until_next_morning(self):
        now = datetime(2026, 3, 10, 20, 30)  # 23:30 in Moscow
        self.assertEqual(
            quiet_hours_end_utc(now, "Europe/Moscow", 22.0, 8.0),
            datetime(2026, 3, 11, 5, 0),
        )

    def test_night_waits_until_same_morning(self):
        now = datetime(2026, 3, 10, 1, 0)  # 04:00 in Moscow
        self.assertEqual(
            quiet_hours_end_utc(now, "Europe/Moscow", 22.0, 8.0),
            datetime(2026, 3, 10, 5, 0),
        )

    def test_zone_decides_quiet_hours(self):
        # 17:30 UTC is still before 22:00 in Kaliningrad but after it in
        # Vladivostok, where it is 03:30 of the next day.
        now = datetime(2026, 3, 10, 17, 30)
        self.assertIsNone(quiet_hours_end_utc(now, "Europe/Kaliningrad", 22.0, 8.0))
        self.assertEqual(
            quiet_hours_end_utc(now, "Asia/Vladivostok", 22.0, 8.0),
            datetime(2026, 3, 10, 22, 0),
        )

    def test_daytime_quiet_hours(self):
        now = datetime(2026, 3, 10, 11, 0)  # 13:00 in Kaliningrad
        self.assertEqual(
            quiet_hours_end_utc(now, "Europe/Kaliningrad", 13.0, 14.5),
            datetime(2026, 3, 10, 12, 30),
        )

    def test_equal_hours_mean_none(self):
        now = datetime(2026, 3, 10, 23, 0)
        self.assertIsNone(quiet_hours_end_utc(now, "Europe/Moscow", 0.0, 0.0))

    def test_zone_object_accepted(self):
        now = datetime(2026, 3, 10, 20, 30)
        self.assertEqual(
            quiet_hours_end_utc(now, pytz.timezone("Europe/Moscow"), 22.0, 8.0),
            datetime(2026, 3, 11, 5, 0),
        )

    def test_unknown_zone_counts_as_utc(self):
        now = datetime(2026, 3, 10, 23, 0)
        for zone in ("Mars/Olympus", False):
            with self.subTest(zone=zone):
                self.assertEqual(
                    quiet_hours_end_utc(now, zone, 22.0, 8.0),
                    datetime(2026, 3, 11, 8, 0),
                )


class TestPartnerQuietHours(GridContactCenterCase):
    """A consumer's quiet hours, in the consumer's or the company's zone."""

    @users("cc_operator")
    def test_consumer_zone_first(self):
        self.consumer.sudo().write(
            {"tz": "Europe/Moscow", "quiet_hours_start": 22.0, "quiet_hours_end": 8.0}
        )
        self.env.company.sudo().resource_calendar_id.tz = "Asia/Vladivostok"
        consumer = self.consumer.with_env(self.env)
        self.assertEqual(
            consumer._grid_quiet_hours_end(
                datetime(2026, 3, 10, 20, 30), self.env.company
            ),
            datetime(2026, 3, 11, 5, 0),
        )

    @users("cc_operator")
    def test_company_zone_without_consumer_zone(self):
        self.consumer.sudo().write(
            {"tz": False, "quiet_hours_start": 22.0, "quiet_hours_end": 8.0}
        )
        self.env.company.sudo().resource_calendar_id.tz = "Asia/Vladivostok"
        consumer = self.consumer.with_env(self.env)
        # 17:30 UTC is 03:30 in Vladivostok, inside the quiet hours.
        self.assertEqual(
            consumer._grid_quiet_hours_end(
                datetime(2026, 3, 10, 17, 30), self.env.company
            ),
            datetime(2026, 3, 10, 22, 0),
        )
