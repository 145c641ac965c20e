from odoo.tests import users

from .meter_reading_common import MeterReadingCase


class TestMeterReadingIntake(MeterReadingCase):
    """Registration of raw rows, as the endpoint and the file import send
    them: every bad row gets its own error, and nothing wrong is stored."""

    def register(self, rows, source="api"):
        return self.env["grid.meter.reading"]._grid_register(
            rows, source, self.env.company
        )

    def count_readings(self):
        return self.env["grid.meter.reading"].sudo().search_count([])

    @users("cc_operator")
    def test_bad_rows_each_get_an_error(self):
        interaction = self.env["grid.interaction"].create(
            {"topic_id": self.env.ref("grid_contact_center.topic_3").id}
        )
        good = {"meter": "T-0000001", "date": "2026-03-06", "values": {"t1": 1510}}
        cases = [
            (
                {"meter": "T-9999999", "date": "2026-03-06", "values": {"t1": 1}},
                "meter_unknown",
            ),
            ({"date": "2026-03-06", "values": {"t1": 1}}, "meter_missing"),
            (
                {"meter": ["T-0000001"], "date": "2026-03-06", "values": {"t1": 1}},
                "meter_invalid",
            ),
            ({**good, "date": "2026-02-30"}, "date_invalid"),
            ({**good, "date": "yesterday"}, "date_invalid"),
            ({**good, "date": 20260306}, "date_invalid"),
            ({**good, "date": ""}, "date_missing"),
            ({**good, "values": {"t1": "abc"}}, "value_invalid"),
            ({**good, "values": {"t1": "1e400"}}, "value_invalid"),
            ({**good, "values": {"t1": True}}, "value_invalid"),
            ({**good, "values": {"t1": -5}}, "value_negative"),
            ({**good, "values": {"t1": "-5"}}, "value_negative"),
            ({**good, "values": {}}, "value_missing"),
            ({**good, "values": {"t1": 1510, "t2": 3}}, "value_extra_zone"),
            ({**good, "values": {"t1": 1510, "t4": 3}}, "zone_unknown"),
            ({**good, "values": "1510"}, "values_invalid"),
            ({**good, "values": {"t1": 10000000}}, "value_too_large"),
            ({**good, "values": {"t1": 1510.55}}, "value_too_precise"),
            (
                {"meter": "T-0000002", "date": "2026-03-06", "values": {"t1": 5}},
                "value_missing",
            ),
            ({**good, "interaction": "2026-999999"}, "interaction_unknown"),
            ("T-0000001;2026-03-06;1510", "item_invalid"),
        ]
        before = self.count_readings()
        results = self.register([row for row, _code in cases])
        for (row, code), result in zip(cases, results, strict=True):
            with self.subTest(row=row):
                self.assertEqual(result["status"], "error")
                self.assertIsNone(result["reading"])
                self.assertEqual(
                    [finding["code"] for finding in result["findings"]], [code]
                )
        self.assertEqual(self.count_readings(), before)

        results = self.register([{**good, "interaction": interaction.name}])
        self.assertEqual(results[0]["status"], "accepted")
        self.assertEqual(results[0]["reading"].interaction_id, interaction)

    @users("cc_operator")
    def test_numbers_as_strings_accepted(self):
        results = self.register(
            [
                {
                    "meter": "T-0000001",
                    "date": "06.03.2026",
                    "values": {"t1": "1 510,0"},
                },
                {
                    "meter": "T-0000002",
                    "date": "2026-03-06",
                    "values": {"t1": "12.5", "t2": 7},
                },
            ]
        )
        self.assertEqual([result["status"] for result in results], ["accepted"] * 2)
        self.assertEqual(results[0]["reading"].value_t1, 1510.0)
        self.assertEqual(results[1]["reading"].value_t2, 7.0)

    @users("cc_operator")
    def test_duplicates_stored_once_reported_once(self):
        row = {"meter": "T-0000001", "date": "2026-03-06", "values": {"t1": 1510}}
        results = self.register([row, dict(row), {**row, "values": {"t1": "1510.0"}}])
        statuses = [result["status"] for result in results]
        self.assertEqual(statuses, ["accepted", "duplicate", "duplicate"])
        first = results[0]["reading"]
        self.assertEqual(results[1]["reading"], first)
        self.assertEqual(results[2]["reading"], first)

        results = self.register([row])
        self.assertEqual(results[0]["status"], "duplicate")
        self.assertEqual(results[0]["reading"], first)
        stored = self.env["grid.meter.reading"].search_count(
            [("meter_id", "=", self.meter.id), ("reading_date", "=", "2026-03-06")]
        )
        self.assertEqual(stored, 1)

    @users("cc_operator")
    def test_rejected_reading_is_stored_with_reasons(self):
        results = self.register(
            [{"meter": "T-0000001", "date": "2026-03-12", "values": {"t1": 1520}}]
        )
        self.assertEqual(results[0]["status"], "rejected")
        reading = results[0]["reading"]
        self.assertEqual(reading.source, "api")
        self.assertIn("after today", reading.reasons)

    @users("cc_operator")
    def test_other_company_meters_unknown(self):
        other = self.env["res.company"].sudo().create({"name": "Other Grid District"})
        results = self.env["grid.meter.reading"]._grid_register(
            [{"meter": "T-0000001", "date": "2026-03-06", "values": {"t1": 1510}}],
            "api",
            other,
        )
        self.assertEqual(results[0]["status"], "error")
        self.assertEqual(results[0]["findings"][0]["code"], "meter_unknown")

    def test_queries_do_not_grow_with_rows(self):
        # Each meter at its own service point of its own consumer, so that
        # a field read per row would show as a query per row.
        consumers = self.env["res.partner"].create(
            [
                {"name": f"Потребитель {number}", "consumer_category": "household"}
                for number in range(60)
            ]
        )
        points = self.env["grid.service.point"].create(
            [
                {"name": f"SP-Q-{number:04d}", "partner_id": consumer.id}
                for number, consumer in enumerate(consumers)
            ]
        )
        meters = self.env["grid.meter"].create(
            [
                {
                    "name": f"Q-{number:04d}",
                    "service_point_id": point.id,
                    "installation_date": "2020-01-01",
                }
                for number, point in enumerate(points)
            ]
        )
        self.env["grid.meter.reading"].create(
            [
                {
                    "meter_id": meter.id,
                    "reading_date": "2026-01-24",
                    "received_at": "2026-01-24 07:00:00",
                    "value_t1": 100.0,
                }
                for meter in meters
            ]
        )

        def rows(batch):
            return [
                {"meter": meter.name, "date": "2026-03-06", "values": {"t1": 250.5}}
                for meter in batch
            ]

        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        self.register(rows(meters[:10]), source="import")
        self.env.flush_all()
        small = self.cr.sql_log_count - start
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        self.register(rows(meters[10:]), source="import")
        self.env.flush_all()
        large = self.cr.sql_log_count - start
        self.assertEqual(large, small)
