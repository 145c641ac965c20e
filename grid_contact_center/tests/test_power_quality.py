from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, users

from .outage_common import NOW, GridOutageCase


@freeze_time(NOW)
class TestPowerQuality(GridOutageCase):
    def _details(self, **values):
        report = self._report(self.point_b, topic=self.topic_quality)
        return self.env["grid.power.quality.report"].create(
            {"interaction_id": report.id, "symptom": "low_voltage", **values}
        )

    @users("cc_operator")
    def test_band_of_gost_32144(self):
        details = self._details()
        self.assertAlmostEqual(details.band_low, 198.0)
        self.assertAlmostEqual(details.band_high, 242.0)
        self.assertFalse(details.verdict)
        cases = [
            (198.0, 242.0, "within"),
            (197.9, 230.0, "below"),
            (205.0, 242.5, "above"),
            (180.0, 250.0, "outside"),
            (0.0, 241.0, "within"),
        ]
        for low, high, verdict in cases:
            with self.subTest(low=low, high=high):
                details.write({"voltage_min": low, "voltage_max": high})
                self.assertEqual(details.verdict, verdict)

    @users("cc_operator")
    def test_tolerance_from_company(self):
        self.company.sudo().grid_voltage_tolerance = 5.0
        details = self._details(voltage_min=205.0)
        self.assertAlmostEqual(details.band_low, 209.0)
        self.assertEqual(details.verdict, "below")

    @users("cc_operator")
    def test_band_rounded_to_hundredths(self):
        self.company.sudo().grid_voltage_tolerance = 10.0
        details = self._details(nominal_voltage=230.0, voltage_max=253.0)
        [values] = details.read(["band_low", "band_high"])
        self.assertEqual(values["band_high"], 253.0)
        self.assertEqual(values["band_low"], 207.0)
        self.assertEqual(details.verdict, "within")

    @users("cc_operator")
    def test_inverted_measurement_rejected(self):
        with self.assertRaises(ValidationError):
            self._details(voltage_min=230.0, voltage_max=210.0)

    @users("cc_operator")
    def test_details_entered_on_interaction_form(self):
        with Form(self.env["grid.interaction"]) as form:
            form.service_point_id = self.point_b
            form.topic_id = self.topic_quality
            with form.power_quality_ids.new() as details:
                details.symptom = "fluctuation"
                details.measurement_requested = True
        interaction = form.record
        self.assertEqual(interaction.power_quality_ids.symptom, "fluctuation")
        self.assertEqual(interaction.state, "forwarded")
        self.assertEqual(
            interaction.power_quality_ids.answer_deadline, interaction.deadline
        )

    @users("cc_dispatcher")
    def test_dispatcher_records_measurement(self):
        details = self._details(
            measurement_requested=True,
        ).with_user(self.env.user)
        details.write({"voltage_min": 190.0, "measured_by_id": self.env.uid})
        self.assertEqual(details.verdict, "below")

    def _report(self, point, minutes=0, topic=None, env=None, **values):
        return super()._report(
            point, minutes, topic, env=env or self.env(user=self.operator), **values
        )
