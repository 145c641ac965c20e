from odoo.exceptions import ValidationError
from odoo.tests import Form, users

from .meter_reading_common import MeterReadingCase


class TestMeterReadingForms(MeterReadingCase):
    """Readings typed by an operator in the forms of an interaction and a
    service point: the result shows before saving."""

    @users("cc_operator")
    def test_interaction_form_shows_result_before_saving(self):
        form = Form(self.env["grid.interaction"])
        form.partner_id = self.consumer
        form.service_point_id = self.service_point
        form.topic_id = self.env.ref("grid_contact_center.topic_3")
        with form.meter_reading_ids.new() as line:
            line.meter_id = self.meter
            # 300 kWh in the 14 days since 24 February: 21.4 kWh a day.
            line.value_t1 = 1760.0
            self.assertEqual(line.state, "review")
            self.assertIn("more than 3 times", line.reasons)
            self.assertEqual(line.consumption_total, 300.0)
        interaction = form.save()
        reading = interaction.meter_reading_ids
        self.assertEqual(reading.state, "review")
        self.assertEqual(reading.source, "operator")
        self.assertEqual(reading.reading_date.isoformat(), "2026-03-10")
        self.assertTrue(interaction.is_meter_reading_topic)

    @users("cc_operator")
    def test_form_reports_bad_input(self):
        form = Form(self.env["grid.interaction"])
        form.topic_id = self.env.ref("grid_contact_center.topic_3")
        with form.meter_reading_ids.new() as line:
            line.meter_id = self.meter
            line.value_t1 = 1000000.0
            self.assertFalse(line.state)
            self.assertIn("does not fit the register", line.reasons)
        with self.assertRaisesRegex(ValidationError, "does not fit the register"):
            form.save()
        self.assertFalse(
            self.env["grid.meter.reading"].search([("value_t1", "=", 1000000.0)])
        )

    @users("cc_operator")
    def test_service_point_form_records_readings(self):
        form = Form(self.service_point.with_env(self.env))
        self.assertEqual(len(form.meter_ids), 4)
        with form.meter_reading_ids.new() as line:
            line.meter_id = self.meter_two_zone
            line.value_t1 = 120.5
            line.value_t2 = 40.0
            self.assertEqual(line.state, "accepted")
        form.save()
        reading = self.service_point.meter_reading_ids.filtered(
            lambda reading: reading.meter_id == self.meter_two_zone
        )
        self.assertEqual(reading.value_t2, 40.0)
        self.assertEqual(reading.state, "accepted")

    @users("cc_operator")
    def test_reading_form_shows_window(self):
        form = Form(self.env["grid.meter.reading"])
        form.meter_id = self.meter
        form.value_t1 = 1510.0
        self.assertEqual(form.state, "accepted")
        self.assertIn("day 25", form.window_description)
        reading = form.save()
        self.assertEqual(reading.consumption_t1, 50.0)

    @users("cc_dispatcher")
    def test_dispatcher_opens_forms_without_readings(self):
        point = Form(self.service_point.with_env(self.env))
        self.assertEqual(len(point.meter_ids), 4)
        self.assertNotIn("meter_reading_ids", point._view["fields"])
        interaction = (
            self.env["grid.interaction"]
            .sudo()
            .create({"topic_id": self.topic_outage.id, "user_id": self.operator.id})
        )
        form = Form(interaction.with_env(self.env))
        self.assertNotIn("meter_reading_ids", form._view["fields"])
