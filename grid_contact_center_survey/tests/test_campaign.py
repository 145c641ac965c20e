from datetime import datetime

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, users

from .common import GridSurveyCase


class TestSurveyCampaign(GridSurveyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.reachable = Partner.create(
            [
                {
                    "name": f"Потребитель {number}",
                    "consumer_category": "household",
                    "email": f"consumer{number}@example.org",
                    "notify_email": True,
                }
                for number in range(5)
            ]
        )
        cls.without_consent = Partner.create(
            {
                "name": "Без согласия",
                "consumer_category": "household",
                "email": "no.consent@example.org",
            }
        )
        cls.without_email = Partner.create(
            {
                "name": "Без почты",
                "consumer_category": "household",
                "notify_email": True,
            }
        )
        cls.targets = cls.reachable | cls.without_consent | cls.without_email

    def _campaign(self, partners=None, **values):
        partners = self.targets if partners is None else partners
        return (
            self.env["grid.survey.campaign"]
            .with_user(self.supervisor)
            .create(
                {
                    "name": "Годовое анкетирование",
                    "survey_id": self.annual.id,
                    "channel": "email",
                    "preset": "custom",
                    "partner_domain": repr([("id", "in", partners.ids)]),
                    **values,
                }
            )
        )

    def _run_until_done(self, batch_size):
        Campaign = self.env["grid.survey.campaign"]
        for _run in range(20):
            if not Campaign._cron_send_invitations(batch_size=batch_size):
                return
        self.fail("the sending job did not finish")

    def test_campaign_without_recipients_is_rejected(self):
        campaign = self._campaign(partners=self.env["res.partner"])
        with self.assertRaisesRegex(UserError, "No consumer matches"):
            campaign.action_launch()
        self.assertEqual(campaign.state, "draft")

    def test_invalid_filter_is_rejected(self):
        campaign = self._campaign()
        with self.assertRaisesRegex(ValidationError, "not a valid domain"):
            campaign.partner_domain = "[('no_such_field', '=', 1)]"
        with self.assertRaisesRegex(ValidationError, "not a valid domain"):
            campaign.partner_domain = "import os"

    def test_public_survey_cannot_be_sent(self):
        survey = self.annual.copy({"access_mode": "public"})
        campaign = self._campaign(survey_id=survey.id)
        with self.assertRaisesRegex(UserError, "anyone with its link"):
            campaign.action_launch()

    def test_launch_only_queues_the_work(self):
        campaign = self._campaign()
        campaign.action_launch()
        self.assertEqual(campaign.state, "running")
        self.assertFalse(campaign.recipient_ids, "recipients listed in the request")
        self.assertFalse(self.Answer.search([("grid_campaign_id", "=", campaign.id)]))

    def test_campaign_invites_in_batches(self):
        self._past_invitation(self.reachable[0], days_ago=5)
        campaign = self._campaign()
        campaign.action_launch()
        self._run_until_done(batch_size=2)
        self.assertEqual(campaign.state, "done")
        recipients = campaign.recipient_ids
        self.assertEqual(len(recipients), 7)
        reasons = {r.partner_id: r.skip_reason for r in recipients}
        self.assertEqual(reasons[self.reachable[0]], "recently_surveyed")
        self.assertEqual(reasons[self.without_consent], "no_consent")
        self.assertEqual(reasons[self.without_email], "no_contact")
        self.assertEqual(campaign.invited_count, 4)
        self.assertEqual(campaign.skipped_count, 3)
        answers = self.Answer.search([("grid_campaign_id", "=", campaign.id)])
        self.assertEqual(answers.partner_id, self.reachable[1:])
        self.assertEqual(set(answers.mapped("grid_send_state")), {"sent"})
        self.assertEqual(answers.grid_recipient_id.partner_id, self.reachable[1:])
        mails = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.reachable[1:].ids)]
        )
        self.assertEqual(len(mails), 4)

    def test_campaign_tracks_started_and_completed(self):
        campaign = self._campaign(partners=self.reachable[:3])
        campaign.action_launch()
        self._run_until_done(batch_size=10)
        first, second, _third = campaign.recipient_ids.user_input_ids.sorted("id")
        first._mark_in_progress()
        second._mark_in_progress()
        second._mark_done()
        self.assertEqual(campaign.invited_count, 3)
        self.assertEqual(campaign.started_count, 2)
        self.assertEqual(campaign.completed_count, 1)
        self.assertAlmostEqual(campaign.response_rate, 33.3, places=1)

    def test_cancel_skips_waiting_recipients(self):
        campaign = self._campaign()
        campaign.action_launch()
        Campaign = self.env["grid.survey.campaign"]
        Campaign._cron_send_invitations(batch_size=2)
        invited_before = campaign.invited_count
        self.assertEqual(campaign.pending_count, 5)
        campaign.action_cancel()
        self.assertEqual(campaign.state, "cancelled")
        self.assertEqual(campaign.pending_count, 0)
        cancelled = campaign.recipient_ids.filtered(
            lambda recipient: recipient.skip_reason == "cancelled"
        )
        self.assertEqual(len(cancelled), 5)
        Campaign._cron_send_invitations(batch_size=10)
        self.assertEqual(campaign.invited_count, invited_before)
        self.assertEqual(campaign.state, "cancelled")

    def test_preset_complained_this_quarter(self):
        complaint = self._interaction(
            partner=self.reachable[0], topic=self.topic_complaint
        )
        self._interaction(partner=self.reachable[1])
        form = Form(self.env["grid.survey.campaign"].with_user(self.supervisor))
        form.name = "Жалобы квартала"
        form.survey_id = self.satisfaction
        form.preset = "complained_quarter"
        campaign = form.save()
        partners = self.env["res.partner"].search(campaign._parse_partner_domain())
        self.assertIn(complaint.partner_id, partners)
        self.assertNotIn(self.reachable[1], partners)

    def test_filter_follows_responsible_user_rules(self):
        other_company = self.env["res.company"].create({"name": "Другая сетевая"})
        stranger = self.env["res.partner"].create(
            {
                "name": "Чужой потребитель",
                "consumer_category": "household",
                "email": "stranger@example.org",
                "notify_email": True,
                "company_id": other_company.id,
            }
        )
        campaign = self._campaign(partners=self.reachable[:1] | stranger)
        campaign.action_launch()
        self._run_until_done(batch_size=10)
        self.assertEqual(campaign.recipient_ids.partner_id, self.reachable[:1])

    def test_call_campaign_filled_by_operator(self):
        self.reachable[:2].write({"notify_call": True, "phone": "+7 4012 11-22-33"})
        campaign = self._campaign(partners=self.reachable[:2], channel="call")
        campaign.action_launch()
        self._run_until_done(batch_size=10)
        recipient = (
            self.env["grid.survey.campaign.recipient"]
            .with_user(self.operator)
            .search([("campaign_id", "=", campaign.id)], limit=1)
        )
        self.assertEqual(recipient.state, "invited")
        action = recipient.action_fill_in()
        answer = recipient.sudo().user_input_ids
        self.assertIn(answer.access_token, action["url"])
        self.assertEqual(answer.grid_entered_by_id, self.operator)
        self.assertFalse(
            self.env["mail.mail"].search(
                [("recipient_ids", "in", self.reachable[:2].ids)]
            )
        )

    def test_call_list_shows_quiet_hours(self):
        self.reachable[:2].write(
            {
                "notify_call": True,
                "phone": "+7 4012 11-22-33",
                "tz": "Europe/Moscow",
                "quiet_hours_start": 22.0,
                "quiet_hours_end": 8.0,
            }
        )
        campaign = self._campaign(partners=self.reachable[:2], channel="call")
        campaign.action_launch()
        self._run_until_done(batch_size=10)
        recipients = (
            self.env["grid.survey.campaign.recipient"]
            .with_user(self.operator)
            .search([("campaign_id", "=", campaign.id)])
        )
        with freeze_time("2026-03-10 20:30:00"):  # 23:30 in Moscow
            recipients.invalidate_recordset(["quiet_until"])
            self.assertEqual(
                set(recipients.mapped("quiet_until")), {datetime(2026, 3, 11, 5, 0)}
            )
        with freeze_time("2026-03-10 09:00:00"):  # 12:00 in Moscow
            recipients.invalidate_recordset(["quiet_until"])
            self.assertEqual(set(recipients.mapped("quiet_until")), {False})

    @users("cc_operator")
    def test_operator_cannot_create_campaign(self):
        with self.assertRaises(UserError):
            self.env["grid.survey.campaign"].create(
                {"name": "Нельзя", "survey_id": self.annual.id}
            )

    def test_started_campaign_cannot_be_deleted(self):
        campaign = self._campaign()
        campaign.action_launch()
        with self.assertRaisesRegex(UserError, "cancel them"):
            campaign.unlink()

    def test_campaign_deadline_applies_to_links(self):
        deadline = fields.Datetime.add(fields.Datetime.now(), days=3)
        campaign = self._campaign(partners=self.reachable[:1], answer_deadline=deadline)
        campaign.action_launch()
        self._run_until_done(batch_size=10)
        self.assertEqual(campaign.recipient_ids.user_input_ids.deadline, deadline)

    def test_campaign_from_selected_partners(self):
        action = (
            self.env["grid.survey.campaign"]
            .with_user(self.supervisor)
            .action_create_for_partners(self.reachable[:2])
        )
        campaign = self.env["grid.survey.campaign"].browse(action["res_id"])
        self.assertEqual(campaign.matching_count, 2)
        self.assertEqual(campaign.state, "draft")

    def test_campaign_from_domain_in_context(self):
        domain = [("id", "in", self.reachable[:3].ids)]
        form = Form(
            self.env["grid.survey.campaign"]
            .with_user(self.supervisor)
            .with_context(default_preset="custom", default_partner_domain=repr(domain))
        )
        form.name = "Отключение 12 мая"
        form.survey_id = self.satisfaction
        campaign = form.save()
        self.assertEqual(campaign.partner_domain, repr(domain))
        self.assertEqual(campaign.matching_count, 3)
