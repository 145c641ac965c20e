from datetime import datetime

from odoo.tests import BaseCase

from ..tools.quiet_hours import quiet_hours_end


class TestQuietHours(BaseCase):
    def test_outside_quiet_hours_is_now(self):
        now = datetime(2026, 3, 10, 9, 0)  # 12:00 in Moscow
        self.assertEqual(quiet_hours_end(now, "Europe/Moscow", 22.0, 8.0), now)

    def test_evening_waits_until_next_morning(self):
        now = datetime(2026, 3, 10, 20, 30)  # 23:30 in Moscow
        self.assertEqual(
            quiet_hours_end(now, "Europe/Moscow", 22.0, 8.0),
            datetime(2026, 3, 11, 5, 0),
        )

    def test_night_waits_until_same_morning(self):
        now = datetime(2026, 3, 10, 1, 0)  # 04:00 in Moscow
        self.assertEqual(
            quiet_hours_end(now, "Europe/Moscow", 22.0, 8.0),
            datetime(2026, 3, 10, 5, 0),
        )

    def test_daytime_quiet_hours(self):
        now = datetime(2026, 3, 10, 11, 0)  # 13:00 in Kaliningrad
        self.assertEqual(
            quiet_hours_end(now, "Europe/Kaliningrad", 13.0, 14.5),
            datetime(2026, 3, 10, 12, 30),
        )

    def test_equal_hours_mean_none(self):
        now = datetime(2026, 3, 10, 23, 0)
        self.assertEqual(quiet_hours_end(now, "Europe/Moscow", 0.0, 0.0), now)

    def test_unknown_zone_counts_as_utc(self):
        now = datetime(2026, 3, 10, 23, 0)
        self.assertEqual(
            quiet_hours_end(now, "Mars/Olympus", 22.0, 8.0),
            datetime(2026, 3, 11, 8, 0),
        )
