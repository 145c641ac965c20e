from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, users

from .outage_common import NOW, GridOutageCase


@freeze_time(NOW)
class TestOutageReports(GridOutageCase):
    @users("cc_operator")
    def test_report_inside_outage_is_linked(self):
        outage = self._outage(self.feeder, etr=NOW + timedelta(hours=2))
        report = self._report(self.point_line)
        self.assertEqual(report.outage_id, outage)
        self.assertEqual(report.state, "new")
        self.assertIn(outage.name, report.outage_alert)
        self.assertEqual(report.outage_etr, NOW + timedelta(hours=2))

    @users("cc_operator")
    def test_form_shows_outage_before_saving(self):
        outage = self._outage(self.tp_1, etr=NOW + timedelta(hours=2))
        with Form(self.env["grid.interaction"]) as form:
            form.service_point_id = self.service_point
            self.assertIn(outage.name, form.outage_alert)
            form.topic_id = self.topic_outage
        self.assertEqual(form.record.outage_id, outage)

    @users("cc_operator")
    def test_answer_with_outage_details(self):
        outage = self._outage(self.tp_1, etr=NOW + timedelta(hours=2))
        report = self._report(self.service_point)
        report.action_answer_with_outage()
        self.assertEqual(report.state, "answered")
        self.assertTrue(report.answered_in_contact)
        self.assertIn(outage.name, report.answer)

    @users("cc_operator")
    def test_answer_with_outage_needs_outage(self):
        report = self._report(self.point_c, topic=self.topic_info)
        with self.assertRaises(UserError):
            report.action_answer_with_outage()

    @users("cc_operator")
    def test_lone_report_forwarded(self):
        report = self._report(self.point_c)
        self.assertEqual(report.state, "forwarded")
        self.assertEqual(report.forwarded_at, NOW)
        self.assertFalse(report.outage_id)

    @users("cc_operator")
    def test_report_without_service_point_forwarded(self):
        report = self.env["grid.interaction"].create(
            {"topic_id": self.topic_outage.id, "received_at": NOW}
        )
        self.assertEqual(report.state, "forwarded")

    @users("cc_operator")
    def test_information_call_not_routed(self):
        self._outage(self.tp_1)
        call = self._report(self.service_point, topic=self.topic_info)
        self.assertEqual(call.state, "new")
        self.assertFalse(call.outage_id)

    @users("cc_operator")
    def test_two_reports_make_suspected_outage(self):
        first = self._report(self.service_point)
        second = self._report(self.point_line, minutes=12)
        outage = first.outage_id
        self.assertTrue(outage)
        self.assertEqual(second.outage_id, outage)
        self.assertEqual(outage.state, "suspected")
        self.assertEqual(outage.element_ids, self.tp_1)
        self.assertEqual(outage.start_at, NOW)
        self.assertEqual(outage.report_count, 2)
        self.assertEqual((first | second).mapped("state"), ["forwarded", "forwarded"])
        third = self._report(self.point_a2, minutes=40)
        self.assertEqual(third.outage_id, outage)
        self.assertEqual(outage.report_count, 3)

    @users("cc_operator")
    def test_reports_outside_window_not_grouped(self):
        first = self._report(self.service_point)
        second = self._report(self.point_line, minutes=31)
        self.assertFalse(first.outage_id)
        self.assertFalse(second.outage_id)
        self.assertEqual(second.state, "forwarded")

    @users("cc_operator")
    def test_reports_from_different_transformers_not_grouped(self):
        first = self._report(self.service_point)
        second = self._report(self.point_b, minutes=1)
        self.assertFalse(first.outage_id | second.outage_id)

    @users("cc_operator")
    def test_threshold_from_company(self):
        self.company.sudo().grid_outage_group_threshold = 3
        first = self._report(self.service_point)
        second = self._report(self.point_line, minutes=1)
        self.assertFalse(second.outage_id)
        third = self._report(self.point_a2, minutes=2)
        self.assertTrue(third.outage_id)
        self.assertEqual(first.outage_id, third.outage_id)
        self.assertEqual(third.outage_id.report_count, 3)

    @users("cc_operator_2")
    def test_grouping_links_other_operators_reports(self):
        first = self._report(self.service_point, env=self.env(user=self.operator))
        self.assertEqual(first.user_id, self.operator)
        second = self._report(self.point_a2, minutes=5)
        self.assertEqual(first.outage_id, second.outage_id)
        self.assertTrue(second.outage_id)

    @users("cc_operator")
    def test_answered_report_not_grouped(self):
        first = self._report(self.service_point)
        first.write({"answer": "Own breaker tripped", "state": "answered"})
        second = self._report(self.point_a2, minutes=5)
        self.assertFalse(second.outage_id)

    @users("cc_operator")
    def test_cancelled_suspected_outage_returns_reports(self):
        first = self._report(self.service_point)
        self._report(self.point_a2, minutes=5)
        outage = first.outage_id
        outage.with_user(self.dispatcher).action_cancel()
        self.assertFalse(first.outage_id)
        self.assertEqual(first.state, "forwarded")

    @users("cc_operator")
    def test_power_quality_linked_or_forwarded(self):
        outage = self._outage(self.tp_1)
        linked = self._report(self.service_point, topic=self.topic_quality)
        alone = self._report(self.point_b, topic=self.topic_quality)
        also_alone = self._report(self.point_b, minutes=1, topic=self.topic_quality)
        self.assertEqual(linked.outage_id, outage)
        self.assertEqual(alone.state, "forwarded")
        self.assertFalse(also_alone.outage_id)

    @users("cc_operator")
    def test_unmetered_report_goes_to_inspection(self):
        report = self.env["grid.interaction"].create(
            {"topic_id": self.topic_unmetered.id, "received_at": NOW}
        )
        self.assertEqual(report.state, "forwarded")
        self.assertFalse(report.outage_id)

    @users("cc_operator")
    def test_service_point_set_later_links(self):
        outage = self._outage(self.tp_1)
        report = self.env["grid.interaction"].create(
            {"topic_id": self.topic_outage.id, "received_at": NOW}
        )
        report.service_point_id = self.service_point
        self.assertEqual(report.outage_id, outage)

    @users("cc_dispatcher")
    def test_dispatcher_acknowledges(self):
        report = self._report(self.point_c, env=self.env(user=self.operator)).with_user(
            self.dispatcher
        )
        report.action_dispatch_acknowledge()
        self.assertEqual(report.dispatch_acknowledged_by_id, self.dispatcher)
        self.assertEqual(report.dispatch_acknowledged_at, NOW)
