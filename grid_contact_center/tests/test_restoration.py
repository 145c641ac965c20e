from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import users

from .outage_common import NOW, GridOutageCase


@freeze_time(NOW)
class TestRestoration(GridOutageCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outage = cls._outage(
            cls.tp_1, etr=NOW + timedelta(hours=2), dispatcher_id=cls.dispatcher.id
        )
        interactions = cls.env["grid.interaction"].with_user(cls.operator)
        cls.open_report = interactions.create(
            {
                "service_point_id": cls.service_point.id,
                "partner_id": cls.consumer.id,
                "topic_id": cls.topic_outage.id,
                "received_at": NOW,
                "caller_phone": "+7 999 765-43-21",
                "notify_on_restoration": True,
                "restoration_notice_channel": "sms",
            }
        )
        cls.answered_report = interactions.create(
            {
                "service_point_id": cls.point_a2.id,
                "partner_id": cls.consumer_sms.id,
                "topic_id": cls.topic_outage.id,
                "received_at": NOW,
                "notify_on_restoration": True,
            }
        )
        cls.answered_report.action_answer_with_outage()
        cls.call_report = interactions.create(
            {
                "service_point_id": cls.point_line.id,
                "partner_id": cls.consumer_call.id,
                "topic_id": cls.topic_outage.id,
                "received_at": NOW,
                "notify_on_restoration": True,
                "restoration_notice_channel": "call",
            }
        )

    @users("cc_dispatcher")
    def test_restoration_closes_reports_with_note(self):
        with freeze_time(NOW + timedelta(hours=1)):
            self.outage.with_user(self.env.user).action_restore()
        reports = self.open_report | self.answered_report | self.call_report
        self.assertEqual(set(reports.mapped("state")), {"closed"})
        self.assertIn("Supply restored", self.open_report.answer)
        self.assertIn(self.outage.name, self.answered_report.answer)
        notes = self.open_report.sudo().message_ids.filtered(
            lambda message: "Supply restored" in (message.body or "")
        )
        self.assertTrue(notes)
        self.assertEqual(self.outage.restored_at, NOW + timedelta(hours=1))

    @users("cc_dispatcher")
    def test_reporters_who_asked_are_notified(self):
        self.outage.with_user(self.env.user).action_restore()
        campaign = self.outage.sudo().campaign_ids
        self.assertEqual(campaign.kind, "restoration")
        self.assertEqual(campaign.state, "queued")
        self.env["grid.notice.campaign"].sudo()._cron_process()
        recipients = {
            recipient.report_id: recipient for recipient in campaign.recipient_ids
        }
        self.assertEqual(len(recipients), 3)
        self.assertEqual(recipients[self.open_report].channel, "sms")
        self.assertEqual(recipients[self.open_report].phone, "+79997654321")
        self.assertEqual(recipients[self.answered_report].channel, "sms")
        self.assertEqual(recipients[self.answered_report].phone, "+79215551020")
        self.assertEqual(recipients[self.call_report].channel, "call")
        self.assertEqual(recipients[self.call_report].phone, "+74012445566")
        self.env["grid.notice.campaign"].sudo()._cron_process()
        sms = (
            self.env["sms.sms"]
            .sudo()
            .search([("number", "in", ("+79997654321", "+79215551020"))])
        )
        self.assertEqual(len(sms), 2)
        self.assertIn("Supply restored", sms[0].body)
        self.assertEqual(recipients[self.call_report].state, "pending")

    @users("cc_dispatcher")
    def test_no_notice_without_request(self):
        (self.open_report | self.answered_report | self.call_report).sudo().write(
            {"notify_on_restoration": False}
        )
        self.outage.with_user(self.env.user).action_restore()
        self.assertFalse(self.outage.sudo().campaign_ids)

    @users("cc_operator")
    def test_foreign_mobile_gets_sms(self):
        report = self.open_report.with_env(self.env)
        report.caller_phone = "+375 29 123-45-67"
        # The number the caller called from comes before the consumer's own.
        channel, phone, _email = report._restoration_notice_contact()
        self.assertEqual(channel, "sms")
        self.assertEqual(phone, "+375291234567")
