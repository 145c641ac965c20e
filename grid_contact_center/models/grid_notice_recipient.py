import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, plaintext2html

from ..tools.phone import RUSSIAN_MOBILE_KEY_PATTERN
from .grid_interaction_outage import NOTICE_CHANNELS

_logger = logging.getLogger(__name__)

RECIPIENT_STATES = [
    ("pending", "Waiting"),
    ("deferred", "Deferred for Quiet Hours"),
    ("in_progress", "Being Called"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("done", "Reached"),
    ("failed", "Failed"),
    ("excluded", "Excluded"),
    ("cancelled", "Cancelled"),
]
EXCLUSION_REASONS = [
    ("no_consent", "No Consent to the Channel"),
    ("no_contact", "No Number or Address for the Channel"),
]
CALL_OUTCOMES = [
    ("reached", "Reached"),
    ("no_answer", "No Answer"),
    ("busy", "Busy"),
    ("wrong_number", "Wrong Number"),
    ("refused", "Refused to Listen"),
]
# Outcomes after which the consumer is called again, until the campaign's
# number of attempts is used up.
RETRY_OUTCOMES = ("no_answer", "busy")
# Outcomes in which an operator spoke with the consumer; each is registered
# as an outgoing interaction.
CONTACT_OUTCOMES = ("reached", "refused")
# How many waiting call tasks "next call" locks at once while it skips those
# in quiet hours.
NEXT_CALL_CANDIDATES = 20


class GridNoticeRecipient(models.Model):
    """One consumer to notify in a campaign, on one channel, with the state
    and attempts of the notice. Recipients on the call channel are the call
    tasks that operators work through as a queue."""

    _name = "grid.notice.recipient"
    _description = "Notice Recipient"
    _order = "priority desc, next_attempt_at, id"
    _rec_name = "partner_id"

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    campaign_id = fields.Many2one(
        "grid.notice.campaign", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    campaign_state = fields.Selection(
        related="campaign_id.state", string="Campaign State"
    )
    priority = fields.Selection(related="campaign_id.priority", store=True)
    outage_id = fields.Many2one(related="campaign_id.outage_id")
    message = fields.Text(related="campaign_id.message")
    partner_id = fields.Many2one("res.partner", string="Consumer", index=True)
    service_point_id = fields.Many2one("grid.service.point")
    address = fields.Char(related="service_point_id.full_address")
    report_id = fields.Many2one(
        "grid.interaction",
        string="Report",
        help="The report whose caller asked for this notice.",
    )
    channel = fields.Selection(NOTICE_CHANNELS, index=True)
    phone = fields.Char(help="Number to call or text, in E.164 form.")
    email = fields.Char(string="E-mail")
    state = fields.Selection(
        RECIPIENT_STATES, required=True, default="pending", index=True
    )
    excluded_reason = fields.Selection(EXCLUSION_REASONS)
    attempt_count = fields.Integer(string="Attempts", default=0)
    last_attempt_at = fields.Datetime()
    next_attempt_at = fields.Datetime(
        index=True,
        help="Not before this time: the end of the consumer's quiet hours or "
        "the pause between call attempts.",
    )
    user_id = fields.Many2one("res.users", string="Operator", index=True)
    call_outcome = fields.Selection(CALL_OUTCOMES)
    note = fields.Text(help="What the consumer said.")
    interaction_id = fields.Many2one(
        "grid.interaction",
        string="Registered Call",
        help="The outgoing interaction registered for the call.",
    )
    sms_uuid = fields.Char(string="SMS UUID", index="btree_not_null", copy=False)
    mail_id = fields.Many2one(
        "mail.mail",
        string="Queued E-mail",
        ondelete="set null",
        groups="base.group_system",
    )
    failure_reason = fields.Char()

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    @api.model
    def action_take_next_call(self):
        """Assign the operator the next waiting call task and open it.

        The candidate rows are locked with SKIP LOCKED, so operators who ask
        at the same moment get different tasks. Tasks whose consumer is in
        quiet hours are deferred to the end of them.
        """
        task = self._take_next_call()
        if not task:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": self.env._("No call tasks are waiting."),
                },
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": task.id,
            "views": [
                (
                    self.env.ref(
                        "grid_contact_center.grid_notice_recipient_view_form_call"
                    ).id,
                    "form",
                )
            ],
            "target": "current",
        }

    def action_take(self):
        for task in self:
            if task.channel != "call" or task.state not in ("pending", "deferred"):
                raise UserError(
                    self.env._(
                        "The call to %(consumer)s is not waiting in the queue.",
                        consumer=task.partner_id.display_name or task.phone,
                    )
                )
        self.write({"state": "in_progress", "user_id": self.env.uid})

    def action_release(self):
        self.filtered(lambda task: task.state == "in_progress").write(
            {"state": "pending", "user_id": False}
        )

    def action_call_reached(self):
        return self._record_call_outcome("reached")

    def action_call_no_answer(self):
        return self._record_call_outcome("no_answer")

    def action_call_busy(self):
        return self._record_call_outcome("busy")

    def action_call_wrong_number(self):
        return self._record_call_outcome("wrong_number")

    def action_call_refused(self):
        return self._record_call_outcome("refused")

    # ------------------------------------------------------------
    # Call tasks
    # ------------------------------------------------------------

    @api.model
    def _take_next_call(self, now=None):
        now = now or fields.Datetime.now()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT task.id
                  FROM grid_notice_recipient task
                  JOIN grid_notice_campaign campaign
                    ON campaign.id = task.campaign_id
                 WHERE task.channel = 'call'
                   AND task.state IN ('pending', 'deferred')
                   AND campaign.state = 'running'
                   AND task.company_id IN %(companies)s
                   AND (task.next_attempt_at IS NULL OR task.next_attempt_at <= %(now)s)
                 ORDER BY task.priority DESC NULLS LAST,
                          task.next_attempt_at NULLS FIRST, task.id
                 LIMIT %(limit)s
                   FOR UPDATE OF task SKIP LOCKED
                """,
                companies=tuple(self.env.companies.ids),
                now=now,
                limit=NEXT_CALL_CANDIDATES,
            )
        )
        candidates = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        for task in candidates:
            quiet_until = task._quiet_until(now)
            if quiet_until:
                task.write({"state": "deferred", "next_attempt_at": quiet_until})
                continue
            task.write({"state": "in_progress", "user_id": self.env.uid})
            return task.with_env(self.env)
        return self.browse()

    def _check_call_outcome_allowed(self):
        """Raise a UserError that gives the reason when this notice takes no
        call outcome: it is not a call, or it is closed or deferred."""
        consumer = self.partner_id.display_name or self.phone or self.email
        states = dict(self._fields["state"]._description_selection(self.env))
        if self.channel != "call":
            channels = dict(self._fields["channel"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "The notice to %(consumer)s goes by %(channel)s, not by a call, "
                    "so it has no call outcome.",
                    consumer=consumer,
                    channel=channels.get(self.channel, self.channel),
                )
            )
        if self.state == "deferred":
            raise UserError(
                self.env._(
                    "The call to %(consumer)s is deferred for quiet hours: take it "
                    "from the queue before recording its outcome.",
                    consumer=consumer,
                )
            )
        if self.state not in ("pending", "in_progress"):
            raise UserError(
                self.env._(
                    "The call to %(consumer)s is already closed (%(state)s), so no "
                    "further outcome can be recorded.",
                    consumer=consumer,
                    state=states.get(self.state, self.state),
                )
            )

    def _record_call_outcome(self, outcome):
        now = fields.Datetime.now()
        for task in self:
            task._check_call_outcome_allowed()
            attempts = task.attempt_count + 1
            values = {
                "attempt_count": attempts,
                "last_attempt_at": now,
                "call_outcome": outcome,
                "user_id": self.env.uid,
            }
            if outcome in CONTACT_OUTCOMES:
                values["state"] = "done"
                values["interaction_id"] = task._register_call(outcome).id
            elif outcome in RETRY_OUTCOMES and attempts < task.campaign_id.max_attempts:
                values.update(
                    state="pending",
                    user_id=False,
                    next_attempt_at=now
                    + timedelta(minutes=task.campaign_id.retry_minutes),
                )
            else:
                values["state"] = "failed"
                values["failure_reason"] = dict(CALL_OUTCOMES)[outcome]
            task.write(values)
        self.campaign_id.sudo()._finish_completed()
        return True

    def _register_call(self, outcome):
        """Register the call in which the operator spoke with the consumer as
        an outgoing interaction, answered during the call."""
        self.ensure_one()
        outcomes = dict(self._fields["call_outcome"]._description_selection(self.env))
        campaign = self.campaign_id
        answer = self.note or outcomes[outcome]
        return self.env["grid.interaction"].create(
            {
                "company_id": self.company_id.id,
                "channel": "phone_out",
                "partner_id": self.partner_id.id,
                "service_point_id": self.service_point_id.id,
                "caller_phone": self.phone,
                "topic_id": campaign.topic_id.id,
                "description": campaign.message,
                "answer": answer,
                "answered_in_contact": True,
                "state": "answered",
                "answered_at": fields.Datetime.now(),
            }
        )

    # ------------------------------------------------------------
    # SMS and e-mail
    # ------------------------------------------------------------

    @api.model
    def _due_messages_domain(self, now):
        return [
            ("channel", "in", ("sms", "email")),
            ("state", "in", ("pending", "deferred")),
            ("campaign_id.state", "=", "running"),
            "|",
            ("next_attempt_at", "=", False),
            ("next_attempt_at", "<=", now),
        ]

    @api.model
    def _count_due_messages(self):
        return self.sudo().search_count(
            self._due_messages_domain(fields.Datetime.now())
        )

    @api.model
    def _send_due(self, limit):
        """Hand one batch of due SMS and e-mails to Odoo's queues and return
        the recipients processed. SMS to consumers in quiet hours are deferred
        to the end of them."""
        now = fields.Datetime.now()
        due = self.sudo().search(self._due_messages_domain(now), limit=limit)
        if not due:
            return due
        deferred = self.browse()
        sms_tasks = self.browse()
        for recipient in due.filtered(lambda recipient: recipient.channel == "sms"):
            quiet_until = recipient._quiet_until(now)
            if quiet_until:
                recipient.write({"state": "deferred", "next_attempt_at": quiet_until})
                deferred |= recipient
            else:
                sms_tasks |= recipient
        sms_tasks._queue_sms(now)
        (due.filtered(lambda recipient: recipient.channel == "email"))._queue_emails(
            now
        )
        return due

    def _queue_sms(self, now):
        if not self:
            return
        sms_values = []
        for recipient in self:
            sms_values.append(
                {
                    "number": recipient.phone,
                    "body": recipient.campaign_id.message,
                    "partner_id": recipient.partner_id.id,
                }
            )
        sms_records = self.env["sms.sms"].sudo().create(sms_values)
        self.env["sms.tracker"].sudo().create(
            [
                {"sms_uuid": sms.uuid, "grid_notice_recipient_id": recipient.id}
                for sms, recipient in zip(sms_records, self, strict=True)
            ]
        )
        for recipient, sms in zip(self, sms_records, strict=True):
            recipient.sms_uuid = sms.uuid
        self.write({"state": "sent", "last_attempt_at": now, "attempt_count": 1})
        self.env.ref("sms.ir_cron_sms_scheduler_action")._trigger()

    def _queue_emails(self, now):
        if not self:
            return
        mails = self.env["mail.mail"].sudo()
        queued = self.browse()
        for campaign, recipients in self.grouped("campaign_id").items():
            sender = (
                campaign.company_id.email_formatted
                or self.env["ir.mail_server"]._get_default_from_address()
            )
            if not sender:
                recipients.write(
                    {
                        "state": "failed",
                        "failure_reason": self.env._(
                            "The company has no e-mail address to send from."
                        ),
                    }
                )
                continue
            body = plaintext2html(campaign.message or "")
            created = mails.create(
                [
                    {
                        "subject": campaign.email_subject,
                        "body_html": body,
                        "email_from": sender,
                        "email_to": recipient.email,
                        "recipient_ids": [],
                        "auto_delete": True,
                    }
                    for recipient in recipients
                ]
            )
            for recipient, mail in zip(recipients, created, strict=True):
                recipient.mail_id = mail
            queued |= recipients
        if queued:
            queued.write({"state": "sent", "last_attempt_at": now, "attempt_count": 1})
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()

    def _apply_delivery_state(self, delivered, failure_reason=False):
        """Record what the SMS provider or the mail server reported."""
        if delivered:
            self.filtered(lambda recipient: recipient.state == "sent").write(
                {"state": "delivered"}
            )
        else:
            self.write({"state": "failed", "failure_reason": failure_reason})

    # ------------------------------------------------------------
    # Quiet hours
    # ------------------------------------------------------------

    def _quiet_until(self, now):
        """Return the UTC time at which the consumer's quiet hours around
        ``now`` end, or None when the consumer may be called now."""
        self.ensure_one()
        if not self.partner_id:
            return None
        return self.partner_id._grid_quiet_hours_end(now, self.company_id)

    @api.model
    def _schedule_deferred(self):
        """Wake the notice job when the earliest deferred SMS falls due."""
        first = self.sudo().search(
            [
                ("channel", "in", ("sms", "email")),
                ("state", "=", "deferred"),
                ("next_attempt_at", ">", fields.Datetime.now()),
            ],
            order="next_attempt_at",
            limit=1,
        )
        if first:
            self.env.ref("grid_contact_center.ir_cron_grid_notice_process")._trigger(
                first.next_attempt_at
            )

    # ------------------------------------------------------------
    # Building
    # ------------------------------------------------------------

    @api.model
    def _insert_for_partners(self, campaign, source):
        """Insert one recipient per consumer of ``source``, an SQL query of
        ``partner_id`` and ``service_point_id`` columns, and return how many
        were inserted.

        The channel follows the campaign's channel mode and the consumer's
        consent flags. A consumer without consent, or without a mobile number
        for SMS, a number for calls or an address for e-mail, is inserted as
        excluded with the reason, so that the campaign shows whom it missed.
        """
        self.env.flush_all()
        mode = campaign.channel_mode
        has_sms = SQL("partner.notify_sms AND mobile.e164 IS NOT NULL")
        has_email = SQL("partner.notify_email AND COALESCE(partner.email, '') <> ''")
        has_call = SQL("partner.notify_call AND phone.e164 IS NOT NULL")
        if mode == "consent":
            channel = SQL(
                "CASE WHEN %s THEN 'sms' WHEN %s THEN 'email' WHEN %s THEN 'call' END",
                has_sms,
                has_email,
                has_call,
            )
            consent = SQL(
                "(partner.notify_sms OR partner.notify_email OR partner.notify_call)"
            )
        else:
            usable = {"sms": has_sms, "email": has_email, "call": has_call}[mode]
            channel = SQL("CASE WHEN %s THEN %s END", usable, mode)
            consent = SQL.identifier("partner", f"notify_{mode}")
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO grid_notice_recipient (
                    campaign_id, company_id, priority, partner_id,
                    service_point_id, channel, phone, email, state,
                    excluded_reason, attempt_count,
                    create_uid, write_uid, create_date, write_date)
                SELECT %(campaign)s, %(company)s, %(priority)s, partner.id,
                       source.service_point_id, decided.channel,
                       CASE decided.channel
                            WHEN 'sms' THEN mobile.e164
                            WHEN 'call' THEN phone.e164 END,
                       CASE WHEN decided.channel = 'email' THEN partner.email END,
                       CASE WHEN decided.channel IS NULL
                            THEN 'excluded' ELSE 'pending' END,
                       CASE WHEN decided.channel IS NOT NULL THEN NULL
                            WHEN %(consent)s THEN 'no_contact'
                            ELSE 'no_consent' END,
                       0, %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM (%(source)s) source
                  JOIN res_partner partner ON partner.id = source.partner_id
                  LEFT JOIN LATERAL (
                        SELECT number.e164
                          FROM grid_contact_number number
                         WHERE number.partner_id = partner.id
                           AND (number.origin = 'mobile'
                                OR number.number_key ~ %(mobile_pattern)s)
                         ORDER BY number.origin = 'mobile' DESC, number.id
                         LIMIT 1) mobile ON TRUE
                  LEFT JOIN LATERAL (
                        SELECT number.e164
                          FROM grid_contact_number number
                         WHERE number.partner_id = partner.id
                           AND number.origin IN ('phone', 'mobile')
                         ORDER BY number.origin = 'phone' DESC, number.id
                         LIMIT 1) phone ON TRUE
                 CROSS JOIN LATERAL (SELECT %(channel)s AS channel) decided
                 WHERE partner.active
                """,
                campaign=campaign.id,
                company=campaign.company_id.id,
                priority=campaign.priority or "0",
                consent=consent,
                uid=self.env.uid,
                now=fields.Datetime.now(),
                source=source,
                mobile_pattern=RUSSIAN_MOBILE_KEY_PATTERN,
                channel=channel,
            )
        )
        count = self.env.cr.rowcount
        self.invalidate_model()
        return count

    @api.model
    def _create_for_reports(self, campaign):
        """Create one recipient per caller of the campaign's reports who asked
        to be told, on the channel the caller chose. The request itself is the
        consent, so the consumer's consent flags only choose the channel when
        the caller named none."""
        values = []
        seen = set()
        for report in campaign.report_ids:
            partner = report.partner_id
            channel, phone, email = report._restoration_notice_contact()
            key = (partner.id, channel, phone, email)
            if key in seen:
                continue
            seen.add(key)
            reachable = bool(phone if channel in ("sms", "call") else email)
            values.append(
                {
                    "campaign_id": campaign.id,
                    "company_id": campaign.company_id.id,
                    "partner_id": partner.id,
                    "service_point_id": report.service_point_id.id,
                    "report_id": report.id,
                    "channel": channel,
                    "phone": phone,
                    "email": email,
                    "state": "pending" if reachable else "excluded",
                    "excluded_reason": False if reachable else "no_contact",
                }
            )
        return self.sudo().create(values)
