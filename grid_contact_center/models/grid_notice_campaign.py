import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_datetime
from odoo.tools.safe_eval import safe_eval

_logger = logging.getLogger(__name__)

CAMPAIGN_KINDS = [
    ("outage_notice", "Outage Notice"),
    ("restoration", "Restoration Notice"),
    ("information", "Information"),
]
CAMPAIGN_SOURCES = [
    ("outage", "Consumers Affected by the Outage"),
    ("partners", "Consumers Matching a Filter"),
    ("reports", "Reporters Who Asked to Be Told"),
]
CHANNEL_MODES = [
    ("consent", "By Consent: SMS, Else E-mail, Else a Call"),
    ("call", "Call by an Operator"),
    ("sms", "SMS"),
    ("email", "E-mail"),
]
CAMPAIGN_STATES = [
    ("draft", "Draft"),
    ("queued", "Waiting to Start"),
    ("running", "Sending"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
# Recipient states that still need work; a campaign is done without them.
OPEN_RECIPIENT_STATES = ("pending", "deferred", "in_progress")
# SMS and e-mails handed to the gateways in one run of the cron callback. The
# cron commits after each run and calls back while work remains.
SEND_BATCH_SIZE = 1000


class GridNoticeCampaign(models.Model):
    """A batch of outbound notices: consumers affected by an outage, those
    matching a filter, or reporters who asked to be told about restoration.

    Each recipient gets one channel according to the campaign's channel mode
    and the consumer's consents: a call task that operators work through as
    a queue, an SMS or an e-mail. Building the recipients and sending runs in
    the background through a cron job, never in the web request.
    """

    _name = "grid.notice.campaign"
    _description = "Notice Campaign"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(
        CAMPAIGN_KINDS, required=True, default="outage_notice", tracking=True
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Urgent")],
        default="0",
        help="Call tasks of urgent campaigns come first in the operators' queue.",
    )
    source = fields.Selection(
        CAMPAIGN_SOURCES, required=True, default="outage", string="Recipients From"
    )
    outage_id = fields.Many2one(
        "grid.outage", index="btree_not_null", check_company=True, tracking=True
    )
    partner_domain = fields.Char(
        string="Consumer Filter",
        default="[('consumer_category', '!=', False)]",
        help="The consumers to notify when the recipients are consumers "
        "matching a filter.",
    )
    report_ids = fields.Many2many(
        "grid.interaction",
        "grid_notice_campaign_report_rel",
        "campaign_id",
        "interaction_id",
        string="Reports",
    )
    topic_id = fields.Many2one(
        "grid.topic",
        string="Topic of Calls",
        default=lambda self: self.env.ref(
            "grid_contact_center.topic_6", raise_if_not_found=False
        ),
        help="Topic of the interactions registered for the calls in which "
        "an operator reached the consumer.",
    )
    channel_mode = fields.Selection(
        CHANNEL_MODES,
        required=True,
        default="consent",
        string="Channel",
        help="How each recipient is notified. Consumers who did not consent to "
        "the channel, or have no number or address for it, are excluded.",
    )
    message = fields.Text(
        compute="_compute_message",
        store=True,
        readonly=False,
        help="Text of the SMS and e-mails, and what operators say on calls.",
    )
    email_subject = fields.Char(
        string="E-mail Subject",
        compute="_compute_email_subject",
        store=True,
        readonly=False,
    )
    max_attempts = fields.Integer(
        string="Call Attempts",
        default=3,
        help="How many times operators call a consumer who does not answer.",
    )
    retry_minutes = fields.Integer(string="Minutes Between Attempts", default=30)
    state = fields.Selection(
        CAMPAIGN_STATES, required=True, default="draft", tracking=True, index=True
    )
    launched_at = fields.Datetime(readonly=True, copy=False)
    built_at = fields.Datetime(string="Recipients Built", readonly=True, copy=False)
    done_at = fields.Datetime(readonly=True, copy=False, tracking=True)
    recipient_ids = fields.One2many(
        "grid.notice.recipient", "campaign_id", string="Recipients", readonly=True
    )
    recipient_count = fields.Integer(compute="_compute_progress")
    open_count = fields.Integer(string="Waiting", compute="_compute_progress")
    sent_count = fields.Integer(string="Sent", compute="_compute_progress")
    reached_count = fields.Integer(string="Reached", compute="_compute_progress")
    failed_count = fields.Integer(string="Failed", compute="_compute_progress")
    excluded_count = fields.Integer(string="Excluded", compute="_compute_progress")
    progress = fields.Float(
        compute="_compute_progress",
        help="Share of the recipients to notify that have been processed.",
    )

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("outage_id", "kind")
    def _compute_message(self):
        for campaign in self:
            if campaign.message or not campaign.outage_id:
                continue
            campaign.message = campaign._default_message()

    @api.depends("outage_id", "kind")
    def _compute_email_subject(self):
        for campaign in self:
            if campaign.email_subject:
                continue
            campaign.email_subject = campaign._default_email_subject()

    def _default_email_subject(self):
        self.ensure_one()
        localized = self._in_consumers_language()
        kinds = dict(localized._fields["kind"]._description_selection(localized.env))
        return f"{self.company_id.name}: {kinds[self.kind]}"

    def _in_consumers_language(self):
        """Return the campaign in its company's language, which is the
        language of the notice whoever prepares it."""
        self.ensure_one()
        return self.with_context(lang=self.company_id.partner_id.lang or self.env.lang)

    def _compute_progress(self):
        counts = defaultdict(dict)
        for campaign, state, count in self.env["grid.notice.recipient"]._read_group(
            [("campaign_id", "in", self.ids)], ["campaign_id", "state"], ["__count"]
        ):
            counts[campaign.id][state] = count
        for campaign in self:
            by_state = counts.get(campaign.id, {})
            total = sum(by_state.values())
            excluded = by_state.get("excluded", 0)
            campaign.recipient_count = total
            campaign.open_count = sum(
                by_state.get(state, 0) for state in OPEN_RECIPIENT_STATES
            )
            campaign.sent_count = by_state.get("sent", 0) + by_state.get("delivered", 0)
            campaign.reached_count = by_state.get("done", 0)
            campaign.failed_count = by_state.get("failed", 0)
            campaign.excluded_count = excluded
            to_notify = total - excluded - by_state.get("cancelled", 0)
            processed = to_notify - campaign.open_count
            campaign.progress = 100.0 * processed / to_notify if to_notify else 0.0

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("max_attempts", "retry_minutes")
    def _check_attempts(self):
        for campaign in self:
            if campaign.max_attempts < 1 or campaign.retry_minutes < 0:
                raise UserError(
                    self.env._(
                        "A campaign needs at least one call attempt and a "
                        "non-negative pause between attempts."
                    )
                )

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_launch(self):
        """Queue the campaigns for the background job that builds their
        recipients and sends their SMS and e-mails."""
        for campaign in self:
            if campaign.state != "draft":
                raise UserError(
                    self.env._(
                        "Campaign %(campaign)s has already been started.",
                        campaign=campaign.name,
                    )
                )
            if not (campaign.message or "").strip():
                raise UserError(
                    self.env._(
                        "Write the message of campaign %(campaign)s before "
                        "starting it.",
                        campaign=campaign.name,
                    )
                )
            if campaign.source == "outage" and not campaign.outage_id:
                raise UserError(
                    self.env._(
                        "Choose the outage whose consumers campaign %(campaign)s "
                        "notifies.",
                        campaign=campaign.name,
                    )
                )
            if campaign.source == "partners":
                campaign._partner_domain()
        self.write({"state": "queued", "launched_at": fields.Datetime.now()})
        self._trigger_processing()

    def action_cancel(self):
        """Cancel the campaigns and withdraw the notices not sent yet. SMS and
        e-mails already handed to the gateways are not recalled."""
        self.write({"state": "cancelled"})
        self.env["grid.notice.recipient"].sudo().search(
            [
                ("campaign_id", "in", self.ids),
                ("state", "in", OPEN_RECIPIENT_STATES),
            ]
        ).write({"state": "cancelled"})

    def action_view_recipients(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "grid_contact_center.grid_notice_recipient_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"search_default_group_state": 1}
        return action

    @api.model
    def action_new_for_partners(self):
        """Open a new campaign for the consumers selected in a list, or for
        all those matching the list's filter when the whole list is selected.
        """
        context = self.env.context
        if context.get("active_domain") is not None and not context.get("active_ids"):
            domain = context["active_domain"]
        else:
            domain = [("id", "in", context.get("active_ids", []))]
        campaign = self.create(
            {
                "name": self.env._("Notice to selected consumers"),
                "kind": "information",
                "source": "partners",
                "partner_domain": repr(domain),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": campaign.id,
            "views": [(False, "form")],
            "target": "current",
        }

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _default_message(self):
        """Return the notice text about the campaign's outage, in the
        company's language, with the times in the company's time zone."""
        self.ensure_one()
        localized = self._in_consumers_language()
        outage = self.outage_id
        timezone = self.company_id._grid_timezone().zone

        def when(value):
            return format_datetime(localized.env, value, tz=timezone, dt_format="short")

        area = outage.area_description or ", ".join(outage.element_ids.mapped("name"))
        if self.kind == "restoration":
            return localized.env._(
                "Supply restored: %(area)s. %(company)s",
                area=area,
                company=self.company_id.name,
            )
        if outage.kind == "planned":
            return localized.env._(
                "Planned outage for repair work: %(area)s, from %(start)s to "
                "%(end)s. %(company)s",
                area=area,
                start=when(outage.start_at),
                end=when(outage.etr),
                company=self.company_id.name,
            )
        if outage.etr:
            return localized.env._(
                "Emergency outage: %(area)s since %(start)s. Estimated "
                "restoration: %(etr)s. %(company)s",
                area=area,
                start=when(outage.start_at),
                etr=when(outage.etr),
                company=self.company_id.name,
            )
        return localized.env._(
            "Emergency outage: %(area)s since %(start)s. Crews are restoring "
            "supply. %(company)s",
            area=area,
            start=when(outage.start_at),
            company=self.company_id.name,
        )

    def _partner_domain(self):
        self.ensure_one()
        try:
            domain = safe_eval(self.partner_domain or "[]")
        except Exception as error:
            raise UserError(
                self.env._(
                    "The consumer filter of campaign %(campaign)s is not a valid "
                    "domain: %(error)s",
                    campaign=self.name,
                    error=error,
                )
            ) from error
        if not isinstance(domain, list):
            raise UserError(
                self.env._(
                    "The consumer filter of campaign %(campaign)s must be a list "
                    "of conditions.",
                    campaign=self.name,
                )
            )
        return domain

    def _trigger_processing(self):
        self.env.ref("grid_contact_center.ir_cron_grid_notice_process")._trigger()

    def _build_recipients(self):
        """Create the recipients of a queued campaign and start it.

        Consumers of an outage or of a filter are inserted by one SQL
        statement, which chooses each one's channel and contact from the
        consents and the phone index, because tens of thousands of rows
        through the ORM would take minutes.
        """
        self.ensure_one()
        recipients = self.env["grid.notice.recipient"]
        if self.source == "reports":
            count = len(recipients._create_for_reports(self))
        else:
            if self.source == "outage":
                source = self.outage_id._affected_points_by_partner_sql()
            else:
                domain = self._partner_domain() + [
                    ("company_id", "in", [False, self.company_id.id])
                ]
                partner_ids = self.env["res.partner"].sudo().search(domain).ids
                source = SQL(
                    "SELECT unnest(%s::int[]) AS partner_id, "
                    "NULL::int AS service_point_id",
                    partner_ids,
                )
            count = recipients._insert_for_partners(self, source)
        self.write({"state": "running", "built_at": fields.Datetime.now()})
        _logger.info(
            "Notice campaign %s (%s): %s recipients built", self.name, self.id, count
        )
        return count

    def _finish_completed(self):
        """Mark done the running campaigns that have no recipient left to
        notify."""
        running = self.filtered(lambda campaign: campaign.state == "running")
        if not running:
            return
        open_campaigns = {
            campaign.id
            for [campaign] in self.env["grid.notice.recipient"]._read_group(
                [
                    ("campaign_id", "in", running.ids),
                    ("state", "in", OPEN_RECIPIENT_STATES),
                ],
                ["campaign_id"],
            )
        }
        finished = running.filtered(lambda campaign: campaign.id not in open_campaigns)
        if finished:
            finished.write({"state": "done", "done_at": fields.Datetime.now()})

    @api.model
    def _cron_process(self):
        """Build one queued campaign or send one batch of due SMS and
        e-mails, and report the progress to the cron, which calls again
        while work remains."""
        queued = self.search([("state", "=", "queued")], order="launched_at, id")
        recipients = self.env["grid.notice.recipient"]
        done = 0
        if queued:
            done = queued[0]._build_recipients()
        else:
            done = len(recipients._send_due(limit=SEND_BATCH_SIZE))
        self.search([("state", "=", "running")])._finish_completed()
        remaining = len(queued) - 1 if queued else 0
        remaining += recipients._count_due_messages()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        recipients._schedule_deferred()
