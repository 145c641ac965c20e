from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import users

from .outage_common import NOW, GridOutageCase


@freeze_time(NOW)
class TestUnmeteredReport(GridOutageCase):
    def _register(self, anonymous=True, notify=False, **interaction_values):
        interaction = (
            self.env["grid.interaction"]
            .with_user(self.operator)
            .create(
                {
                    "topic_id": self.topic_unmetered.id,
                    "received_at": NOW,
                    **interaction_values,
                }
            )
        )
        return (
            self.env["grid.unmetered.report"]
            .with_user(self.operator)
            .create(
                {
                    "interaction_id": interaction.id,
                    "kind": "non_contractual",
                    "suspected_address": "ул. Лесная, д. 7",
                    "anonymous": anonymous,
                    "notify_reporter": notify,
                }
            )
        )

    def test_anonymous_report_without_name(self):
        report = self._register()
        self.assertEqual(report.interaction_id.state, "forwarded")
        with self.assertRaises(ValidationError):
            self._register(caller_name="Сидоров")

    def test_telling_reporter_needs_contact(self):
        with self.assertRaises(ValidationError):
            self._register(notify=True)
        report = self._register(notify=True, caller_phone="+7 911 000-11-22")
        self.assertTrue(report.notify_reporter)

    @users("cc_inspector")
    def test_inspector_records_act_and_operator_tells_reporter(self):
        report = self._register(notify=True, caller_phone="+7 911 000-11-22")
        report = report.with_user(self.env.user)
        report.action_schedule_inspection()
        self.assertEqual(report.inspector_id, self.inspector)
        self.assertEqual(report.state, "inspection")
        with self.assertRaises(ValidationError):
            report.action_record_act()
        report.write(
            {"act_number": "БУ-17", "act_date": date(2026, 1, 20), "volume_kwh": 1450.0}
        )
        report.action_record_act()
        self.assertEqual(report.state, "act")
        interaction = report.interaction_id.sudo()
        self.assertIn("БУ-17", interaction.answer)
        self.assertIn("1450", interaction.answer)
        activity = interaction.activity_ids
        self.assertEqual(activity.user_id, self.operator)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("grid_contact_center.mail_activity_type_tell_reporter"),
        )
        self.assertEqual(report.reporter_notice_requested_at, NOW)
        with self.assertRaises(UserError):
            report.action_record_no_violation()

    @users("cc_inspector")
    def test_no_violation_without_telling(self):
        report = self._register().with_user(self.env.user)
        report.action_record_no_violation()
        self.assertEqual(report.state, "no_violation")
        self.assertIn("no violation", report.interaction_id.answer)
        self.assertFalse(report.interaction_id.activity_ids)

    @users("cc_dispatcher")
    def test_dispatcher_has_no_access(self):
        report = self._register()
        with self.assertRaises(AccessError):
            report.with_user(self.env.user).read(["suspected_address"])
