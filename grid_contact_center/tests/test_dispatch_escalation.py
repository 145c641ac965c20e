from datetime import timedelta

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import users

from .outage_common import NOW, GridOutageCase


@freeze_time(NOW)
class TestDispatchEscalation(GridOutageCase):
    """The escalation rules shipped as automation rules, run by their
    scheduler at fixed times."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.automations = (
            cls.env.ref("grid_contact_center.base_automation_report_unacknowledged")
            | cls.env.ref("grid_contact_center.base_automation_outage_unacknowledged")
            | cls.env.ref("grid_contact_center.base_automation_etr_passed")
        )
        cls.automations.write({"last_run": NOW - timedelta(minutes=1)})
        cls.escalation_type = cls.env.ref(
            "grid_contact_center.mail_activity_type_dispatch_escalation"
        )
        cls.etr_type = cls.env.ref("grid_contact_center.mail_activity_type_etr_passed")

    def _run_scheduler(self, minutes):
        with freeze_time(NOW + timedelta(minutes=minutes)):
            self.env["base.automation"].sudo()._check()

    def _activities(self, record, activity_type):
        return record.sudo().activity_ids.filtered(
            lambda activity: activity.activity_type_id == activity_type
        )

    @users("cc_operator")
    def test_unacknowledged_report_tells_duty_supervisor(self):
        report = self._report(self.point_c)
        self._run_scheduler(10)
        self.assertFalse(self._activities(report, self.escalation_type))
        self._run_scheduler(16)
        activity = self._activities(report, self.escalation_type)
        self.assertEqual(activity.user_id, self.supervisor)
        self._run_scheduler(30)
        self.assertEqual(len(self._activities(report, self.escalation_type)), 1)

    @users("cc_operator")
    def test_team_supervisor_is_told_first(self):
        team = (
            self.env["grid.team"]
            .sudo()
            .create(
                {
                    "name": "Night shift",
                    "user_ids": [Command.link(self.operator.id)],
                    "supervisor_id": self.manager.id,
                }
            )
        )
        report = self._report(self.point_c, team_id=team.id)
        self._run_scheduler(16)
        self.assertEqual(
            self._activities(report, self.escalation_type).user_id, self.manager
        )

    @users("cc_operator")
    def test_acknowledged_report_not_escalated(self):
        report = self._report(self.point_c)
        with freeze_time(NOW + timedelta(minutes=5)):
            report.with_user(self.dispatcher).action_dispatch_acknowledge()
        self._run_scheduler(16)
        self.assertFalse(self._activities(report, self.escalation_type))

    @users("cc_operator")
    def test_suspected_outage_escalated(self):
        first = self._report(self.service_point)
        # The second report, two minutes later, makes the suspected outage.
        self._report(self.point_a2, minutes=2)
        outage = first.outage_id
        self._run_scheduler(18)
        self.assertFalse(self._activities(first, self.escalation_type))
        self.assertEqual(
            self._activities(outage, self.escalation_type).user_id, self.supervisor
        )

    def test_passed_etr_prompts_dispatcher(self):
        outage = self._outage(
            self.tp_1, etr=NOW + timedelta(hours=1), dispatcher_id=self.dispatcher.id
        )
        restored = self._outage(
            self.tp_2, etr=NOW + timedelta(hours=1), dispatcher_id=self.dispatcher.id
        )
        restored.action_restore()
        self._run_scheduler(65)
        self.assertFalse(self._activities(outage, self.etr_type))
        self._run_scheduler(71)
        self.assertEqual(
            self._activities(outage, self.etr_type).user_id, self.dispatcher
        )
        self.assertFalse(self._activities(restored, self.etr_type))

    def test_new_etr_prompts_again_when_passed(self):
        outage = self._outage(
            self.tp_1, etr=NOW + timedelta(hours=1), dispatcher_id=self.dispatcher.id
        )
        self._run_scheduler(71)
        outage.write(
            {"etr": NOW + timedelta(hours=2), "etr_change_reason": "Второе повреждение"}
        )
        self._run_scheduler(125)
        self.assertFalse(len(self._activities(outage, self.etr_type)) > 1)
        self._run_scheduler(131)
        self.assertEqual(len(self._activities(outage, self.etr_type)), 2)

    @users("cc_operator")
    def test_delay_is_editable_data(self):
        rule = self.env.ref("grid_contact_center.base_automation_report_unacknowledged")
        rule.sudo().trg_date_range = 5
        report = self._report(self.point_c)
        self._run_scheduler(6)
        self.assertTrue(self._activities(report, self.escalation_type))
