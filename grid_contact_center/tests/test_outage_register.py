from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, users

from .outage_common import NOW, GridOutageCase


@freeze_time(NOW)
class TestOutageRegister(GridOutageCase):
    @users("cc_dispatcher")
    def test_etr_changes_are_kept(self):
        outage = self.env["grid.outage"].create(
            {
                "element_ids": [Command.set(self.tp_1.ids)],
                "etr": NOW + timedelta(hours=2),
            }
        )
        self.assertTrue(outage.name.startswith("OUT-2026-"))
        outage.write(
            {"etr": NOW + timedelta(hours=4), "etr_change_reason": "Second fault"}
        )
        outage.write({"etr": NOW + timedelta(hours=4)})
        history = outage.etr_history_ids.sorted("id")
        self.assertEqual(len(history), 2)
        self.assertEqual(history[0].etr, NOW + timedelta(hours=2))
        self.assertFalse(history[0].previous_etr)
        self.assertEqual(history[1].previous_etr, NOW + timedelta(hours=2))
        self.assertEqual(history[1].reason, "Second fault")
        self.assertEqual(history[1].user_id, self.dispatcher)

    @users("cc_dispatcher")
    def test_etr_change_needs_reason(self):
        outage = self.env["grid.outage"].create(
            {"element_ids": [Command.set(self.tp_1.ids)]}
        )
        outage.write({"etr": NOW + timedelta(hours=2)})
        for reason in (False, "", "  "):
            with self.subTest(reason=reason):
                with self.assertRaisesRegex(UserError, "reason"):
                    outage.write(
                        {"etr": NOW + timedelta(hours=3), "etr_change_reason": reason}
                    )
        with self.assertRaisesRegex(UserError, "reason"):
            outage.write({"etr": False})
        self.assertEqual(outage.etr, NOW + timedelta(hours=2))
        self.assertEqual(len(outage.etr_history_ids), 1)

    @users("cc_dispatcher")
    def test_etr_form_asks_new_reason(self):
        outage = self.env["grid.outage"].create(
            {
                "element_ids": [Command.set(self.tp_1.ids)],
                "etr": NOW + timedelta(hours=2),
            }
        )
        outage.write({"etr": NOW + timedelta(hours=3), "etr_change_reason": "Первая"})
        form = Form(outage)
        form.etr = NOW + timedelta(hours=4)
        self.assertFalse(form.etr_change_reason)
        with self.assertRaisesRegex(UserError, "reason"):
            form.save()
        form.etr_change_reason = "Вторая"
        form.save()
        self.assertEqual(outage.etr_history_ids.sorted("id")[-1].reason, "Вторая")

    @users("cc_dispatcher")
    def test_etr_reason_written_later_kept(self):
        outage = self.env["grid.outage"].create(
            {
                "element_ids": [Command.set(self.tp_1.ids)],
                "etr": NOW + timedelta(hours=2),
            }
        )
        outage.write({"etr_change_reason": "Бригада в пути"})
        outage.write({"etr_change_reason": "Другая причина"})
        self.assertEqual(outage.etr_history_ids.reason, "Бригада в пути")

    @users("cc_dispatcher")
    def test_etr_locked_when_closed(self):
        restored = self.env["grid.outage"].create(
            {
                "element_ids": [Command.set(self.tp_1.ids)],
                "etr": NOW + timedelta(hours=2),
            }
        )
        restored.action_restore()
        cancelled = self.env["grid.outage"].create(
            {"element_ids": [Command.set(self.tp_2.ids)], "state": "suspected"}
        )
        cancelled.action_cancel()
        for outage, state in ((restored, "restored"), (cancelled, "cancelled")):
            with self.subTest(state=state):
                with self.assertRaisesRegex(UserError, state):
                    outage.write(
                        {"etr": NOW + timedelta(days=1), "etr_change_reason": "x"}
                    )
        self.assertEqual(restored.etr, NOW + timedelta(hours=2))
        self.assertFalse(cancelled.etr)

    @users("cc_operator")
    def test_operator_reads_but_cannot_create(self):
        self.assertTrue(self._outage(self.tp_1).with_user(self.env.user).name)
        with self.assertRaises(AccessError):
            self.env["grid.outage"].create(
                {"element_ids": [Command.set(self.tp_1.ids)]}
            )

    @users("cc_dispatcher")
    def test_state_flow(self):
        outage = self.env["grid.outage"].create(
            {"element_ids": [Command.set(self.tp_1.ids)], "state": "suspected"}
        )
        outage.action_confirm()
        self.assertEqual(outage.state, "confirmed")
        self.assertEqual(outage.acknowledged_by_id, self.dispatcher)
        self.assertEqual(outage.dispatcher_id, self.dispatcher)
        outage.action_start_repair()
        outage.action_restore()
        self.assertEqual(outage.state, "restored")
        self.assertEqual(outage.restored_at, NOW)
        with self.assertRaises(UserError):
            outage.action_confirm()
        with self.assertRaises(UserError):
            outage.action_restore()

    def test_outage_needs_an_element(self):
        with self.assertRaises(ValidationError):
            self.env["grid.outage"].create({"kind": "emergency"})

    def test_planned_outage_needs_end(self):
        with self.assertRaises(ValidationError):
            self._outage(self.tp_1, kind="planned", state="confirmed")

    def test_etr_before_start_rejected(self):
        with self.assertRaises(ValidationError):
            self._outage(self.tp_1, etr=NOW - timedelta(hours=2))

    def test_active_filter(self):
        running = self._outage(self.tp_1)
        future = self._outage(
            self.tp_2,
            kind="planned",
            state="confirmed",
            start_at=NOW + timedelta(days=1),
            etr=NOW + timedelta(days=1, hours=4),
        )
        found = self.env["grid.outage"].search([("is_active", "=", True)])
        self.assertIn(running, found)
        self.assertNotIn(future, found)
        self.assertIn(
            future, self.env["grid.outage"].search([("is_active", "=", False)])
        )

    def test_caller_summary_tells_etr(self):
        # The caller hears the company's local time, not the operator's.
        self.company.resource_calendar_id.tz = "Europe/Moscow"
        self.env.user.tz = "Asia/Yekaterinburg"
        outage = self._outage(
            self.tp_1,
            etr=NOW + timedelta(hours=3),
            cause="Cable fault",
            area_description="ул. Янтарная, 8-12",
        )
        summary = outage._caller_summary()
        self.assertIn(outage.name, summary)
        self.assertIn("4:00", summary)
        self.assertIn("Cable fault", summary)
        self.assertIn("ул. Янтарная, 8-12", summary)
        outage.write({"etr": False, "etr_change_reason": "Cause not found yet"})
        self.assertIn("not known yet", outage._caller_summary())


@freeze_time(NOW)
class TestPlannedOutageNotices(GridOutageCase):
    def _planned(self, days_ahead):
        start = NOW + timedelta(days=days_ahead)
        return self._outage(
            self.tp_1,
            kind="planned",
            state="confirmed",
            start_at=start,
            etr=start + timedelta(hours=6),
        )

    def _finish_campaign(self, outage, at):
        campaign = self.env["grid.notice.campaign"].create(
            {
                "name": "Notice",
                "outage_id": outage.id,
                "kind": "outage_notice",
                "message": "Planned work",
            }
        )
        campaign.write({"state": "done", "done_at": at})
        return campaign

    def test_notice_due_from_lead_time(self):
        outage = self._planned(5)
        self.assertEqual(outage.notice_lead_days, 3)
        self.assertEqual(outage.notice_due_at, NOW + timedelta(days=2))
        self.assertEqual(outage.notice_status, "pending")

    def test_notice_overdue_when_due_passed(self):
        outage = self._planned(2)
        self.assertEqual(outage.notice_status, "overdue")
        self.assertIn(
            outage,
            self.env["grid.outage"].search([("notice_status", "=", "overdue")]),
        )

    def test_notice_in_time_and_late(self):
        in_time = self._planned(5)
        self._finish_campaign(in_time, NOW + timedelta(days=1))
        late = self._planned(4)
        self._finish_campaign(late, NOW + timedelta(days=2))
        self.assertEqual(in_time.notice_status, "in_time")
        self.assertEqual(late.notice_status, "late")
        outages = self.env["grid.outage"]
        self.assertEqual(
            outages.search([("notice_status", "in", ("late", "overdue"))]), late
        )
        self.assertNotIn(late, outages.search([("notice_status", "!=", "late")]))

    def test_emergency_needs_no_notice(self):
        self.assertEqual(self._outage(self.tp_1).notice_status, "not_required")


@freeze_time(NOW)
class TestReliabilityLimits(GridOutageCase):
    def test_single_interruption_over_limit(self):
        outage = self._outage(self.tp_1, start_at=NOW - timedelta(hours=25))
        outage._check_reliability_limits()
        self.assertEqual(outage.reliability_breach_count, 3)
        self.assertTrue(outage.reliability_breach)

    def test_interruption_within_limit(self):
        outage = self._outage(self.tp_1, start_at=NOW - timedelta(hours=23))
        outage._check_reliability_limits()
        self.assertEqual(outage.reliability_breach_count, 0)
        self.assertFalse(outage.reliability_breach)

    def test_yearly_total_over_limit(self):
        for day in (2, 4, 6):
            previous = self._outage(self.feeder, start_at=NOW.replace(day=day, hour=0))
            previous.write(
                {"state": "restored", "restored_at": NOW.replace(day=day, hour=23)}
            )
        outage = self._outage(self.tp_1, start_at=NOW - timedelta(hours=4))
        self.assertAlmostEqual(self.service_point.interruption_hours_year, 73.0)
        self.assertAlmostEqual(self.point_b.interruption_hours_year, 69.0)
        outage._check_reliability_limits()
        self.assertEqual(outage.reliability_breach_count, 3)

    def test_category_limit_zero_is_not_checked(self):
        outage = self._outage(self.tp_2, start_at=NOW - timedelta(hours=30))
        outage._check_reliability_limits()
        self.assertEqual(outage.reliability_breach_count, 0)
        self.company.grid_reliability_2_single_hours = 12.0
        outage._check_reliability_limits()
        self.assertEqual(outage.reliability_breach_count, 1)

    def test_last_year_outages_not_counted(self):
        old = self._outage(self.tp_1, start_at=NOW.replace(year=2025, month=12, day=1))
        old.write(
            {
                "state": "restored",
                "restored_at": NOW.replace(year=2025, month=12, day=10),
            }
        )
        self.assertAlmostEqual(self.service_point.interruption_hours_year, 0.0)

    def test_cron_checks_active_outages(self):
        outage = self._outage(self.tp_1, start_at=NOW - timedelta(hours=30))
        self.env["grid.outage"]._cron_check_reliability_limits()
        self.assertTrue(outage.reliability_breach)
        self.assertEqual(outage.reliability_checked_at, NOW)


@freeze_time(NOW)
class TestOutageMerge(GridOutageCase):
    @users("cc_dispatcher")
    def test_merge_into_earliest(self):
        operator_env = self.env(user=self.operator)
        first = self._report(self.service_point, env=operator_env)
        self._report(self.point_a2, minutes=1, env=operator_env)
        second_tp = (
            self.env["grid.service.point"]
            .sudo()
            .create({"name": "SP-TEST-0006", "grid_element_id": self.tp_2.id})
        )
        later = self._report(self.point_b, minutes=5, env=operator_env)
        self._report(second_tp, minutes=6, env=operator_env)
        outages = (first.outage_id | later.outage_id).with_user(self.env.user)
        self.assertEqual(len(outages), 2)
        outages.action_merge()
        target = first.outage_id
        self.assertEqual(later.outage_id, target)
        self.assertEqual(target.element_ids, self.tp_1 | self.tp_2)
        self.assertEqual(target.report_count, 4)
        self.assertEqual((outages - target).state, "cancelled")

    @users("cc_dispatcher")
    def test_merge_needs_two_open_outages(self):
        outage = self._outage(self.tp_1).with_user(self.env.user)
        with self.assertRaises(UserError):
            outage.action_merge()
        restored = self._outage(self.tp_2).with_user(self.env.user)
        restored.action_restore()
        with self.assertRaises(UserError):
            (outage | restored).action_merge()
