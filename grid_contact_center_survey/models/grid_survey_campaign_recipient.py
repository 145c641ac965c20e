import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from .res_partner import SKIP_REASONS

_logger = logging.getLogger(__name__)

RECIPIENT_STATES = [
    ("pending", "Waiting"),
    ("invited", "Invited"),
    ("skipped", "Skipped"),
]
ANSWER_STATES = [
    ("new", "Not Started"),
    ("in_progress", "Started"),
    ("done", "Completed"),
]


class GridSurveyCampaignRecipient(models.Model):
    """A consumer that a survey campaign selected, with the outcome: invited,
    with the progress of the answer, or skipped, with the reason."""

    _name = "grid.survey.campaign.recipient"
    _description = "Survey Campaign Recipient"
    _order = "id"
    _rec_name = "partner_id"

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    campaign_id = fields.Many2one(
        "grid.survey.campaign",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Consumer", required=True, index=True, readonly=True
    )
    phone = fields.Char(related="partner_id.phone")
    mobile = fields.Char(related="partner_id.mobile")
    channel = fields.Selection(related="campaign_id.channel")
    state = fields.Selection(
        RECIPIENT_STATES, required=True, default="pending", readonly=True
    )
    skip_reason = fields.Selection(SKIP_REASONS, readonly=True)
    user_input_ids = fields.One2many(
        "survey.user_input", "grid_recipient_id", string="Answers", readonly=True
    )
    quiet_until = fields.Datetime(
        string="Quiet Hours Until",
        compute="_compute_quiet_until",
        help="The consumer is in quiet hours now, until this time: call later.",
    )
    answer_state = fields.Selection(
        ANSWER_STATES,
        string="Answer",
        compute="_compute_answer_state",
        store=True,
        index="btree_not_null",
    )

    _sql_constraints = [
        (
            "campaign_partner_unique",
            "unique (campaign_id, partner_id)",
            "A consumer is a recipient of a campaign only once.",
        ),
    ]

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    def _compute_quiet_until(self):
        now = fields.Datetime.now()
        for recipient in self:
            recipient.quiet_until = (
                recipient.channel == "call"
                and recipient.partner_id._grid_quiet_hours_end(
                    now, recipient.company_id
                )
            ) or False

    @api.depends("user_input_ids.state")
    def _compute_answer_state(self):
        for recipient in self:
            answers = recipient.user_input_ids
            recipient.answer_state = answers[:1].state if answers else False

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_fill_in(self):
        """Open the recipient's survey for the operator on the telephone."""
        self.ensure_one()
        answer = self.sudo().user_input_ids[:1]
        if self.campaign_id.channel != "call" or not answer:
            raise UserError(
                self.env._(
                    "%(consumer)s was not invited to be surveyed by telephone.",
                    consumer=self.partner_id.display_name,
                )
            )
        return answer.action_grid_fill_in()

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _invite(self):
        """Invite these waiting recipients, campaign by campaign: one batch
        of answers (survey.user_input) for those who may be surveyed, and the
        skip reason for the others."""
        answers = self.env["survey.user_input"].sudo()
        for campaign in self.campaign_id:
            recipients = self.filtered(lambda r, c=campaign: r.campaign_id == c)
            survey = campaign.survey_id.sudo()
            if not survey._grid_is_sendable():
                # A logged note needs no sender e-mail address.
                campaign._message_log(
                    body=self.env._(
                        "Sending stopped: survey %(survey)s can no longer be sent "
                        "to consumers.",
                        survey=survey.title,
                    ),
                    message_type="comment",
                )
                campaign.action_cancel()
                continue
            company = campaign.company_id
            recent = recipients.partner_id._grid_recently_surveyed(company)
            extra = {"grid_campaign_id": campaign.id}
            if campaign.answer_deadline:
                extra["deadline"] = campaign.answer_deadline
            skipped = defaultdict(lambda: self.browse())
            invited = self.browse()
            vals_list = []
            for recipient in recipients:
                partner = recipient.partner_id
                reason = partner._grid_survey_skip_reason(campaign.channel, recent)
                if reason:
                    skipped[reason] |= recipient
                    continue
                recent.add(partner.id)
                invited |= recipient
                vals_list.append(
                    survey._grid_invitation_values(
                        partner,
                        campaign.channel,
                        company,
                        grid_recipient_id=recipient.id,
                        **extra,
                    )
                )
            answers.create(vals_list)
            invited.write({"state": "invited"})
            for reason, group in skipped.items():
                group.write({"state": "skipped", "skip_reason": reason})
            _logger.info(
                "Survey campaign %s: invited %s, skipped %s",
                campaign.id,
                len(invited),
                len(recipients) - len(invited),
            )
