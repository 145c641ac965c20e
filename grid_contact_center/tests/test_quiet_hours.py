from datetime import datetime

from odoo.tests import BaseCase

from ..tools.quiet_hours import quiet_hours_end


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
