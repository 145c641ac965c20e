from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import users

from odoo.addons.base.tests.common import MockSmtplibCase

from .outage_common import NOW, GridOutageCase


@freeze_time(NOW)
class TestNoticeCampaign(GridOutageCase, MockSmtplibCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outage = cls._outage(
            cls.feeder,
            kind="planned",
            state="confirmed",
            start_at=NOW + timedelta(days=4),
            etr=NOW + timedelta(days=4, hours=6),
            area_description="ул. Янтарная",
        )

    def _campaign(self, **values):
        return self.env["grid.notice.campaign"].create(
            {
                "name": "Planned work",
                "outage_id": self.outage.id,
                **values,
            }
        )

    def _process(self):
        """Run the cron callback until it reports nothing left to do."""
        campaigns = self.env["grid.notice.campaign"].sudo()
        for _run in range(20):
            campaigns._cron_process()
            if (
                not campaigns.search([("state", "=", "queued")])
                and not self.env["grid.notice.recipient"]._count_due_messages()
            ):
                return
        self.fail("the notice job did not finish")

    def _by_partner(self, campaign):
        return {recipient.partner_id: recipient for recipient in campaign.recipient_ids}

    @users("cc_supervisor")
    def test_channel_by_consent(self):
        campaign = self._campaign()
        self.assertIn("ул. Янтарная", campaign.message)
        campaign.action_launch()
        self.assertEqual(campaign.state, "queued")
        self._process()
        recipients = self._by_partner(campaign)
        self.assertEqual(len(recipients), 4)
        self.assertEqual(recipients[self.consumer_sms].channel, "sms")
        self.assertEqual(recipients[self.consumer_sms].phone, "+79215551020")
        self.assertEqual(recipients[self.consumer_email].channel, "email")
        self.assertEqual(
            recipients[self.consumer_email].email, "office@yantar.example.com"
        )
        self.assertEqual(recipients[self.consumer_call].channel, "call")
        self.assertEqual(recipients[self.consumer_call].phone, "+74012445566")
        self.assertEqual(recipients[self.consumer].state, "excluded")
        self.assertEqual(recipients[self.consumer].excluded_reason, "no_consent")
        self.assertEqual(recipients[self.consumer_sms].state, "sent")
        self.assertEqual(recipients[self.consumer_email].state, "sent")
        self.assertEqual(recipients[self.consumer_call].state, "pending")
        self.assertEqual(campaign.state, "running")
        self.assertEqual(campaign.excluded_count, 1)
        self.assertEqual(campaign.open_count, 1)

    @users("cc_supervisor")
    def test_single_channel_excludes_others(self):
        campaign = self._campaign(channel_mode="sms")
        campaign.action_launch()
        self._process()
        recipients = self._by_partner(campaign)
        self.assertEqual(recipients[self.consumer_sms].channel, "sms")
        for partner in (self.consumer_email, self.consumer_call, self.consumer):
            self.assertEqual(recipients[partner].state, "excluded")
            self.assertEqual(recipients[partner].excluded_reason, "no_consent")

    @users("cc_supervisor")
    def test_consent_without_contact_is_reported(self):
        self.consumer_call.sudo().write({"phone": False, "notify_sms": True})
        campaign = self._campaign()
        campaign.action_launch()
        self._process()
        recipient = self._by_partner(campaign)[self.consumer_call]
        self.assertEqual(recipient.state, "excluded")
        self.assertEqual(recipient.excluded_reason, "no_contact")

    @users("cc_supervisor")
    def test_quiet_hours_defer_sms_not_email(self):
        late_evening = datetime(2026, 1, 14, 20, 30)  # 23:30 in Moscow
        with freeze_time(late_evening):
            campaign = self._campaign()
            campaign.action_launch()
            self._process()
        recipients = self._by_partner(campaign)
        sms = recipients[self.consumer_sms]
        self.assertEqual(sms.state, "deferred")
        self.assertEqual(sms.next_attempt_at, datetime(2026, 1, 15, 5, 0))
        self.assertEqual(recipients[self.consumer_email].state, "sent")
        self.assertFalse(
            self.env["sms.sms"].sudo().search([("number", "=", "+79215551020")])
        )
        with freeze_time(datetime(2026, 1, 15, 5, 1)):
            self._process()
        self.assertEqual(sms.state, "sent")
        self.assertTrue(
            self.env["sms.sms"].sudo().search([("uuid", "=", sms.sms_uuid)])
        )

    @users("cc_supervisor")
    def test_delivery_reports_update_recipients(self):
        campaign = self._campaign()
        campaign.action_launch()
        self._process()
        recipients = self._by_partner(campaign)
        tracker = (
            self.env["sms.tracker"]
            .sudo()
            .search([("sms_uuid", "=", recipients[self.consumer_sms].sms_uuid)])
        )
        tracker._action_update_from_sms_state("sent")
        self.assertEqual(recipients[self.consumer_sms].state, "delivered")
        mail = recipients[self.consumer_email].sudo().mail_id
        self.assertEqual(mail.email_to, "office@yantar.example.com")
        with self.mock_smtplib_connection():
            mail.send()
        self.assertEqual(recipients[self.consumer_email].state, "delivered")

    @users("cc_supervisor")
    def test_refused_email_marks_failed(self):
        campaign = self._campaign(channel_mode="email")
        campaign.action_launch()
        self._process()
        recipient = self._by_partner(campaign)[self.consumer_email]
        mail = recipient.sudo().mail_id
        mail.write({"state": "exception", "failure_reason": "Mailbox unavailable"})
        mail._postprocess_sent_message(
            success_pids=[], failure_type="mail_email_invalid"
        )
        self.assertEqual(recipient.state, "failed")
        self.assertEqual(recipient.failure_reason, "Mailbox unavailable")

    @users("cc_supervisor")
    def test_sms_error_marks_failed(self):
        campaign = self._campaign(channel_mode="sms")
        campaign.action_launch()
        self._process()
        recipient = self._by_partner(campaign)[self.consumer_sms]
        tracker = (
            self.env["sms.tracker"]
            .sudo()
            .search([("sms_uuid", "=", recipient.sms_uuid)])
        )
        tracker._action_update_from_sms_state("error", failure_type="sms_number_format")
        self.assertEqual(recipient.state, "failed")
        self.assertEqual(recipient.failure_reason, "sms_number_format")

    @users("cc_supervisor")
    def test_notice_in_company_language(self):
        self.env["res.lang"].sudo()._activate_lang("ru_RU")
        self.env["ir.module.module"].sudo()._load_module_terms(
            ["grid_contact_center"], ["ru_RU"]
        )
        self.env.company.partner_id.sudo().lang = "ru_RU"
        self.assertEqual(self.env.user.lang, "en_US")
        campaign = self._campaign()
        self.assertIn("Плановое отключение", campaign.message)
        self.assertIn("ул. Янтарная", campaign.message)
        self.assertIn("Уведомление об отключении", campaign.email_subject)

    @users("cc_supervisor")
    def test_campaign_for_selected_consumers(self):
        action = (
            self.env["grid.notice.campaign"]
            .with_context(active_ids=(self.consumer_sms | self.consumer_silent).ids)
            .action_new_for_partners()
        )
        campaign = self.env["grid.notice.campaign"].browse(action["res_id"])
        self.assertEqual(campaign.source, "partners")
        with self.assertRaises(UserError):
            campaign.action_launch()
        campaign.message = "Meter replacement next week"
        campaign.action_launch()
        self._process()
        recipients = self._by_partner(campaign)
        self.assertEqual(set(recipients), {self.consumer_sms, self.consumer_silent})
        self.assertEqual(recipients[self.consumer_silent].state, "excluded")

    @users("cc_supervisor")
    def test_campaign_from_filter(self):
        campaign = self.env["grid.notice.campaign"].create(
            {
                "name": "Legal entities",
                "source": "partners",
                "partner_domain": "[('consumer_category', '=', 'legal_entity'), "
                "('account_number', '=like', '3900990%')]",
                "message": "New contract terms",
                "channel_mode": "email",
            }
        )
        campaign.action_launch()
        self._process()
        self.assertEqual(campaign.recipient_ids.partner_id, self.consumer_email)

    @users("cc_supervisor")
    def test_bad_filter_rejected(self):
        campaign = self.env["grid.notice.campaign"].create(
            {
                "name": "Broken",
                "source": "partners",
                "partner_domain": "[('name', '=',",
                "message": "Text",
            }
        )
        with self.assertRaises(UserError):
            campaign.action_launch()

    @users("cc_supervisor")
    def test_cancel_withdraws_waiting_notices(self):
        campaign = self._campaign(channel_mode="call")
        campaign.action_launch()
        self._process()
        campaign.action_cancel()
        self.assertEqual(
            set(campaign.recipient_ids.mapped("state")), {"cancelled", "excluded"}
        )


@freeze_time(NOW)
class TestCallTasks(GridOutageCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        outage = cls._outage(cls.feeder)
        cls.campaign = cls.env["grid.notice.campaign"].create(
            {
                "name": "Emergency",
                "outage_id": outage.id,
                "channel_mode": "call",
                "max_attempts": 2,
                "retry_minutes": 30,
            }
        )
        cls.campaign.action_launch()
        cls.campaign._build_recipients()
        cls.tasks = {
            task.partner_id: task
            for task in cls.campaign.recipient_ids.filtered(
                lambda task: task.state == "pending"
            )
        }

    @users("cc_operator")
    def test_next_call_skips_quiet_hours(self):
        with freeze_time(datetime(2026, 1, 14, 20, 30)):
            taken = self.env["grid.notice.recipient"]._take_next_call()
            second = self.env["grid.notice.recipient"]._take_next_call()
            third = self.env["grid.notice.recipient"]._take_next_call()
        self.assertEqual(
            {taken.partner_id, second.partner_id},
            {self.consumer_email, self.consumer_call},
        )
        self.assertFalse(third)
        quiet = self.tasks[self.consumer_sms]
        self.assertEqual(quiet.state, "deferred")
        self.assertEqual(quiet.next_attempt_at, datetime(2026, 1, 15, 5, 0))
        self.assertEqual(taken.user_id, self.operator)
        self.assertEqual(taken.state, "in_progress")

    @users("cc_operator")
    def test_reached_call_is_registered(self):
        task = self.env["grid.notice.recipient"]._take_next_call()
        task.note = "Will stay at the dacha"
        task.action_call_reached()
        self.assertEqual(task.state, "done")
        interaction = task.interaction_id
        self.assertEqual(interaction.channel, "phone_out")
        self.assertEqual(
            interaction.topic_id, self.env.ref("grid_contact_center.topic_6")
        )
        self.assertEqual(interaction.partner_id, task.partner_id)
        self.assertEqual(interaction.state, "answered")
        self.assertEqual(interaction.answer, "Will stay at the dacha")

    @users("cc_operator")
    def test_closed_call_takes_no_outcome(self):
        task = self.env["grid.notice.recipient"]._take_next_call()
        task.action_call_reached()
        with self.assertRaisesRegex(UserError, r"already closed \(Reached\)"):
            task.action_call_no_answer()
        self.assertEqual(task.call_outcome, "reached")
        self.assertEqual(task.attempt_count, 1)

    @users("cc_operator")
    def test_unanswered_call_retried_then_failed(self):
        task = self.env["grid.notice.recipient"]._take_next_call()
        task.action_call_no_answer()
        self.assertEqual(task.state, "pending")
        self.assertFalse(task.user_id)
        self.assertEqual(task.next_attempt_at, NOW + timedelta(minutes=30))
        self.assertNotEqual(self.env["grid.notice.recipient"]._take_next_call(), task)
        with freeze_time(NOW + timedelta(minutes=31)):
            again = self.env["grid.notice.recipient"].browse(task.id)
            again.action_take()
            again.action_call_busy()
        self.assertEqual(task.state, "failed")
        self.assertEqual(task.attempt_count, 2)

    @users("cc_operator")
    def test_campaign_done_after_last_call(self):
        for _task in self.tasks:
            task = self.env["grid.notice.recipient"]._take_next_call()
            task.action_call_wrong_number()
        self.assertEqual(self.campaign.state, "done")
        self.assertEqual(self.campaign.done_at, NOW)
        self.assertEqual(self.campaign.failed_count, 3)
        self.assertEqual(self.campaign.progress, 100.0)

    @users("cc_operator_2")
    def test_other_operators_call_is_protected(self):
        task = self.tasks[self.consumer_call].with_user(self.operator)
        task.action_take()
        with self.assertRaises(AccessError):
            self.tasks[self.consumer_call].with_user(
                self.env.user
            ).action_call_reached()

    @users("cc_operator")
    def test_next_call_action_opens_task(self):
        action = self.env["grid.notice.recipient"].action_take_next_call()
        self.assertEqual(action["res_model"], "grid.notice.recipient")
        task = self.env["grid.notice.recipient"].browse(action["res_id"])
        self.assertEqual(task.user_id, self.env.user)
