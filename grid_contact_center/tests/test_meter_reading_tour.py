from datetime import timedelta

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMeterReadingTour(HttpCase):
    def test_operator_enters_reading_in_browser(self):
        """An operator records a reading on a new interaction in Chromium and
        sees that it needs review before saving it."""
        operator = new_test_user(
            self.env,
            "cc_tour_operator",
            groups="grid_contact_center.group_operator",
            tz="Europe/Moscow",
        )
        point = self.env["grid.service.point"].create({"name": "SP-TOUR-0001"})
        meter = self.env["grid.meter"].create(
            {
                "name": "TOUR-0000001",
                "service_point_id": point.id,
                "installation_date": "2020-01-15",
            }
        )
        # The company's date, which the form proposes whatever the
        # operator's time zone.
        today = self.env.company._grid_today()
        # 5 kWh a day over three months, the last reading 31 days ago.
        for days_ago, value in ((93, 1000.0), (62, 1155.0), (31, 1310.0)):
            day = today - timedelta(days=days_ago)
            self.env["grid.meter.reading"].create(
                {
                    "meter_id": meter.id,
                    "reading_date": day,
                    "received_at": f"{day} 09:00:00",
                    "value_t1": value,
                }
            )
        self.start_tour("/odoo", "grid_meter_reading_entry", login="cc_tour_operator")
        reading = self.env["grid.meter.reading"].search(
            [("meter_id", "=", meter.id), ("value_t1", "=", 2310.0)]
        )
        self.assertEqual(reading.state, "review")
        self.assertEqual(reading.interaction_id.topic_id.code, "3")
        self.assertEqual(reading.create_uid, operator)
