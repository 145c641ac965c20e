import ast
import logging
from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, date_utils

from .survey_user_input import SURVEY_CHANNELS

_logger = logging.getLogger(__name__)

CAMPAIGN_STATES = [
    ("draft", "Draft"),
    ("running", "Sending"),
    ("done", "Sent"),
    ("cancelled", "Cancelled"),
]
PRESETS = [
    ("consumers", "All Consumers"),
    ("households", "Households"),
    ("complained_quarter", "Complained This Quarter"),
    ("contacted_month", "Contacted in the Last 30 Days"),
    ("custom", "Custom Filter"),
]
CONSUMERS_DOMAIN = [("consumer_category", "!=", False)]
BATCH_SIZE_PARAM = "grid_contact_center_survey.batch_size"
DEFAULT_BATCH_SIZE = 500


class GridSurveyCampaign(models.Model):
    """A targeted survey: a survey sent on one channel to the consumers that a
    filter selects, such as everyone who complained this quarter or everyone
    whose service points an outage cut off.

    Launching it only queues the work: the sending job lists the recipients
    once and invites them in batches.
    """

    _name = "grid.survey.campaign"
    _description = "Survey Campaign"
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
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        help="The filter selects the consumers that this user may see.",
    )
    survey_id = fields.Many2one(
        "survey.survey",
        required=True,
        domain=[("access_mode", "=", "token")],
        tracking=True,
    )
    channel = fields.Selection(
        SURVEY_CHANNELS,
        required=True,
        default="email",
        tracking=True,
        help="E-mail and SMS carry a personal link to the survey. Telephone "
        "call: operators call the recipients from the call list and fill the "
        "survey in on their behalf.",
    )
    preset = fields.Selection(
        PRESETS,
        string="Consumers to Survey",
        required=True,
        default="consumers",
        help="Fills in the filter; edit the filter to refine it.",
    )
    partner_domain = fields.Char(
        string="Filter",
        compute="_compute_partner_domain",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        help="Domain on contacts that selects the recipients. Consumers "
        "without consent to the channel, without contact details for it or "
        "surveyed recently are skipped.",
    )
    answer_deadline = fields.Datetime(
        string="Answers Until",
        help="Links expire at this time. Empty: each link is valid for the "
        "company's survey link validity from its sending.",
    )
    state = fields.Selection(
        CAMPAIGN_STATES, required=True, default="draft", tracking=True, index=True
    )
    launched_at = fields.Datetime(readonly=True, copy=False)
    done_at = fields.Datetime(readonly=True, copy=False)
    recipients_listed = fields.Boolean(readonly=True, copy=False)
    recipient_ids = fields.One2many(
        "grid.survey.campaign.recipient", "campaign_id", string="Recipients"
    )
    matching_count = fields.Integer(
        string="Matching Consumers", compute="_compute_matching_count"
    )
    domain_error = fields.Char(compute="_compute_matching_count")
    recipient_count = fields.Integer(compute="_compute_statistics")
    pending_count = fields.Integer(string="Waiting", compute="_compute_statistics")
    skipped_count = fields.Integer(string="Skipped", compute="_compute_statistics")
    invited_count = fields.Integer(string="Invited", compute="_compute_statistics")
    started_count = fields.Integer(string="Started", compute="_compute_statistics")
    completed_count = fields.Integer(string="Completed", compute="_compute_statistics")
    response_rate = fields.Float(
        string="Response Rate (%)",
        compute="_compute_statistics",
        digits=(5, 1),
        help="Completed answers per invited consumer.",
    )

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("preset")
    def _compute_partner_domain(self):
        for campaign in self:
            if campaign.preset != "custom" or not campaign.partner_domain:
                campaign.partner_domain = repr(campaign._preset_domain())

    @api.depends("partner_domain", "company_id", "user_id")
    def _compute_matching_count(self):
        for campaign in self:
            campaign.matching_count = 0
            campaign.domain_error = False
            if not campaign.partner_domain:
                continue
            try:
                domain = campaign._parse_partner_domain()
                campaign.matching_count = campaign._partners().search_count(domain)
            except (UserError, ValueError) as error:
                campaign.domain_error = str(error)

    def _compute_statistics(self):
        groups = self.env["grid.survey.campaign.recipient"]._read_group(
            [("campaign_id", "in", self.ids)],
            ["campaign_id", "state", "answer_state"],
            ["__count"],
        )
        counts = {}
        for campaign, state, answer_state, count in groups:
            stats = counts.setdefault(campaign.id, {})
            stats[state] = stats.get(state, 0) + count
            if answer_state:
                stats[answer_state] = stats.get(answer_state, 0) + count
        for campaign in self:
            stats = counts.get(campaign.id, {})
            invited = stats.get("invited", 0)
            completed = stats.get("done", 0)
            campaign.pending_count = stats.get("pending", 0)
            campaign.skipped_count = stats.get("skipped", 0)
            campaign.invited_count = invited
            campaign.started_count = stats.get("in_progress", 0) + completed
            campaign.completed_count = completed
            campaign.recipient_count = (
                campaign.pending_count + campaign.skipped_count + invited
            )
            campaign.response_rate = 100.0 * completed / invited if invited else 0.0

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("partner_domain")
    def _check_partner_domain(self):
        for campaign in self:
            campaign._parse_partner_domain()

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        started = self.filtered(lambda campaign: campaign.state in ("running", "done"))
        if started:
            raise UserError(
                self.env._(
                    "Campaigns %(names)s have invited consumers; cancel them "
                    "instead of deleting them.",
                    names=", ".join(started.mapped("name")),
                )
            )

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_launch(self):
        """Check the campaign and queue its sending; the sending job lists
        the recipients and invites them in batches."""
        for campaign in self:
            if campaign.state != "draft":
                raise UserError(
                    self.env._(
                        "Campaign %(name)s has already been launched.",
                        name=campaign.name,
                    )
                )
            campaign.survey_id.sudo()._grid_check_sendable()
            domain = campaign._parse_partner_domain()
            if not campaign._partners().search_count(domain, limit=1):
                raise UserError(
                    self.env._(
                        "No consumer matches the filter of campaign %(name)s. "
                        "Change the filter before launching it.",
                        name=campaign.name,
                    )
                )
        self.write({"state": "running", "launched_at": fields.Datetime.now()})
        self.env.ref("grid_contact_center_survey.ir_cron_grid_survey_send")._trigger()
        return True

    def action_cancel(self):
        """Stop inviting: waiting recipients are skipped and invitations not
        yet sent are withdrawn. Answers already given stay."""
        for campaign in self.filtered(lambda c: c.state in ("draft", "running")):
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE grid_survey_campaign_recipient
                       SET state = 'skipped', skip_reason = 'cancelled',
                           write_uid = %s, write_date = %s
                     WHERE campaign_id = %s AND state = 'pending'
                    """,
                    self.env.uid,
                    fields.Datetime.now(),
                    campaign.id,
                )
            )
            self.env["survey.user_input"].sudo().search(
                [
                    ("grid_campaign_id", "=", campaign.id),
                    ("grid_send_state", "=", "queued"),
                ]
            ).write(
                {
                    "grid_send_state": "cancelled",
                    "grid_send_note": self.env._("The campaign was cancelled."),
                }
            )
            campaign.write({"state": "cancelled", "done_at": fields.Datetime.now()})
        self.env["grid.survey.campaign.recipient"].invalidate_model()
        self.invalidate_recordset()
        return True

    def action_reset_to_draft(self):
        for campaign in self:
            if campaign.state != "cancelled" or campaign.recipients_listed:
                raise UserError(
                    self.env._(
                        "Only a campaign cancelled before its recipients were "
                        "listed can return to draft; copy campaign %(name)s "
                        "instead.",
                        name=campaign.name,
                    )
                )
        self.write({"state": "draft", "done_at": False, "launched_at": False})
        return True

    @api.model
    def action_create_for_partners(self, partners):
        """Open a new draft campaign whose filter selects ``partners``."""
        campaign = self.create(
            {
                "name": self.env._(
                    "Survey of %(count)s selected contacts", count=len(partners)
                ),
                "survey_id": self.env.ref(
                    "grid_contact_center_survey.survey_annual"
                ).id,
                "preset": "custom",
                "partner_domain": repr([("id", "in", partners.ids)]),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": campaign.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_matching(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Matching Consumers"),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": self._parse_partner_domain(),
            "context": {"create": False},
        }

    def action_view_recipients(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "grid_contact_center_survey.grid_survey_campaign_recipient_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_view_results(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "grid_contact_center_survey.survey_user_input_action_grid_results"
        )
        action["domain"] = [("grid_campaign_id", "=", self.id)]
        return action

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _partners(self):
        """Return the contact model as the responsible user sees it, so that
        the filter selects only consumers that this user may read."""
        self.ensure_one()
        return (
            self.env["res.partner"]
            .with_user(self.user_id or self.env.user)
            .with_company(self.company_id)
        )

    def _parse_partner_domain(self):
        """Return the filter as a domain, or raise a ValidationError that
        explains why it is not one."""
        self.ensure_one()
        try:
            domain = ast.literal_eval(self.partner_domain or "[]")
            if not isinstance(domain, list):
                raise ValueError(self.partner_domain)
            self.env["res.partner"]._search(domain)
        except (ValueError, SyntaxError, TypeError, KeyError) as error:
            raise ValidationError(
                self.env._(
                    "The filter of campaign %(name)s is not a valid domain on "
                    "contacts: %(error)s",
                    name=self.name,
                    error=error,
                )
            ) from error
        return domain

    def _preset_domain(self):
        self.ensure_one()
        if self.preset == "households":
            return [*CONSUMERS_DOMAIN, ("consumer_category", "=", "household")]
        if self.preset == "complained_quarter":
            today = fields.Date.context_today(self)
            since = self._local_midnight_utc(date_utils.start_of(today, "quarter"))
            return [
                *CONSUMERS_DOMAIN,
                (
                    "interaction_ids",
                    "any",
                    [("topic_kind", "=", "complaint"), ("received_at", ">=", since)],
                ),
            ]
        if self.preset == "contacted_month":
            since = fields.Datetime.to_string(
                fields.Datetime.subtract(fields.Datetime.now(), days=30)
            )
            return [
                *CONSUMERS_DOMAIN,
                ("interaction_ids", "any", [("received_at", ">=", since)]),
            ]
        return list(CONSUMERS_DOMAIN)

    def _local_midnight_utc(self, day):
        zone = (self.company_id or self.env.company)._grid_timezone()
        local = zone.localize(datetime.combine(day, time.min))
        return fields.Datetime.to_string(
            local.astimezone(pytz.utc).replace(tzinfo=None)
        )

    def _list_recipients(self):
        """Store the consumers that the filter selects as waiting recipients,
        in one statement however many they are."""
        self.ensure_one()
        query = self._partners()._search(self._parse_partner_domain())
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO grid_survey_campaign_recipient
                       (campaign_id, partner_id, company_id, state,
                        create_uid, create_date, write_uid, write_date)
                SELECT %(campaign)s, matching.id, %(company)s, 'pending',
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM %(matching)s AS matching
                ON CONFLICT (campaign_id, partner_id) DO NOTHING
                """,
                campaign=self.id,
                company=self.company_id.id,
                uid=self.env.uid,
                now=now,
                matching=query.subselect(),
            )
        )
        listed = self.env.cr.rowcount
        self.recipients_listed = True
        self.env["grid.survey.campaign.recipient"].invalidate_model()
        self.invalidate_recordset(["recipient_ids"])
        _logger.info("Survey campaign %s: listed %s recipients", self.id, listed)
        return listed

    @api.model
    def _cron_send_invitations(self, batch_size=None):
        """Run one batch of survey sending: list the recipients of launched
        campaigns, invite waiting recipients, send due invitations by e-mail
        and SMS, and close the campaigns that have no one left to invite."""
        batch_size = batch_size or int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(BATCH_SIZE_PARAM, DEFAULT_BATCH_SIZE)
        )
        running = self.search([("state", "=", "running")])
        for campaign in running.filtered(lambda c: not c.recipients_listed):
            campaign._list_recipients()
        Recipient = self.env["grid.survey.campaign.recipient"]
        waiting_domain = [
            ("state", "=", "pending"),
            ("campaign_id.state", "=", "running"),
        ]
        waiting = Recipient.search(waiting_domain, limit=batch_size, order="id")
        waiting._invite()
        sent, unsent = self.env["survey.user_input"]._grid_send_queued(batch_size)
        with_waiting = {
            campaign
            for (campaign,) in Recipient._read_group(
                [("campaign_id", "in", running.ids), ("state", "=", "pending")],
                ["campaign_id"],
            )
        }
        finished = running.filtered(lambda campaign: campaign not in with_waiting)
        finished.write({"state": "done", "done_at": fields.Datetime.now()})
        remaining = Recipient.search_count(waiting_domain) + unsent
        self.env["ir.cron"]._notify_progress(
            done=len(waiting) + sent, remaining=remaining
        )
        return remaining
