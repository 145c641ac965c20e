import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from .grid_topic import SATISFACTION_CHANNELS

_logger = logging.getLogger(__name__)

SATISFACTION_STATES = [
    ("queued", "Queued"),
    ("invited", "Invited"),
    ("started", "Started"),
    ("completed", "Completed"),
    ("expired", "Expired"),
    ("not_sent", "Not Sent"),
]
CRON_XMLID = "grid_contact_center_survey.ir_cron_grid_survey_send"


class GridInteraction(models.Model):
    _inherit = "grid.interaction"

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    satisfaction_survey_id = fields.Many2one(
        "survey.survey", compute="_compute_satisfaction_survey"
    )
    satisfaction_channel = fields.Selection(
        SATISFACTION_CHANNELS,
        string="Satisfaction Survey Channel",
        compute="_compute_satisfaction_survey",
    )
    satisfaction_state = fields.Selection(
        SATISFACTION_STATES,
        string="Satisfaction Survey Status",
        compute="_compute_satisfaction",
        help="State of the latest satisfaction survey of this interaction.",
    )
    satisfaction_score = fields.Float(
        string="Quality Score (%)", compute="_compute_satisfaction", digits=(5, 1)
    )

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("topic_id.satisfaction_survey_id", "topic_id.parent_id")
    def _compute_satisfaction_survey(self):
        for interaction in self:
            survey, channel = self.env["survey.survey"], False
            if interaction.topic_id:
                survey, channel = interaction.topic_id._satisfaction_rule()
            interaction.satisfaction_survey_id = survey
            interaction.satisfaction_channel = channel

    def _compute_satisfaction(self):
        # Operators have no access to survey answers: read them as superuser.
        answers = (
            self.env["survey.user_input"]
            .sudo()
            .search_fetch(
                [("grid_interaction_id", "in", self.ids)],
                [
                    "grid_interaction_id",
                    "state",
                    "grid_send_state",
                    "deadline",
                    "grid_quality_score",
                    "grid_scored",
                ],
                order="id",
            )
        )
        latest = {answer.grid_interaction_id.id: answer for answer in answers}
        now = fields.Datetime.now()
        for interaction in self:
            answer = latest.get(interaction.id)
            interaction.satisfaction_state = answer and answer._grid_progress(now)
            interaction.satisfaction_score = (
                answer.grid_quality_score if answer and answer.grid_scored else 0.0
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        closing = self.browse()
        if vals.get("state") == "closed":
            closing = self.filtered(lambda interaction: interaction.state != "closed")
        result = super().write(vals)
        if closing:
            closing._grid_queue_satisfaction_surveys()
        return result

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_grid_ask_satisfaction_survey(self):
        """Open the topic's satisfaction survey for the operator, who asks its
        questions before the call ends and enters the consumer's answers."""
        self.ensure_one()
        self.check_access("write")
        survey = self.satisfaction_survey_id
        if not survey:
            raise UserError(
                self.env._(
                    "Topic %(topic)s has no satisfaction survey; a manager sets "
                    "one on the topic.",
                    topic=self.topic_id.display_name or self.env._("(none)"),
                )
            )
        if not self.partner_id:
            raise UserError(
                self.env._(
                    "Choose the consumer of %(number)s before asking the survey.",
                    number=self.name,
                )
            )
        survey.sudo()._grid_check_sendable()

        answers = self.env["survey.user_input"].sudo()
        previous = answers.search(
            [("grid_interaction_id", "=", self.id), ("survey_id", "=", survey.id)],
            order="id desc",
            limit=1,
        )
        if previous and previous.state != "done":
            deadline = previous.deadline
            if not deadline or deadline >= fields.Datetime.now():
                return previous.action_grid_fill_in()

        if previous.state == "done":
            raise UserError(
                self.env._(
                    "%(consumer)s has already answered the satisfaction survey "
                    "of %(number)s.",
                    consumer=self.partner_id.display_name,
                    number=self.name,
                )
            )

        self._grid_check_not_recently_surveyed()
        answer = answers.create(
            survey.sudo()._grid_invitation_values(
                self.partner_id,
                "call",
                self.company_id,
                grid_interaction_id=self.id,
            )
        )
        return answer.action_grid_fill_in()

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _grid_check_not_recently_surveyed(self):
        self.ensure_one()
        company = self.company_id
        if not self.partner_id._grid_recently_surveyed(company):
            return
        last = (
            self.env["survey.user_input"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("grid_invited_at", "!=", False),
                ],
                order="grid_invited_at desc",
                limit=1,
            )
        )
        raise UserError(
            self.env._(
                "%(consumer)s was invited to a survey on %(date)s. Consumers are "
                "surveyed at most once in %(days)s days.",
                consumer=self.partner_id.display_name,
                date=fields.Date.to_string(last.grid_invited_at.date()),
                days=company.grid_survey_quiet_days,
            )
        )

    def _grid_queue_satisfaction_surveys(self):
        """Invite the consumers of these closed interactions to their topics'
        satisfaction surveys by e-mail or SMS.

        A consumer is invited only with consent to the channel, with an
        address for it, once per interaction, and not again during the
        company's period between surveys. Topics whose survey the operator
        asks during the call get no invitation here.
        """
        answers = self.env["survey.user_input"].sudo()
        already = set(
            answers.search([("grid_interaction_id", "in", self.ids)]).mapped(
                "grid_interaction_id.id"
            )
        )
        candidates = self.filtered(
            lambda interaction: (
                interaction.partner_id
                and interaction.satisfaction_survey_id
                and interaction.satisfaction_channel != "call"
                and interaction.id not in already
            )
        )
        vals_list = []
        for company in candidates.company_id:
            in_company = candidates.filtered(
                lambda interaction, company=company: interaction.company_id == company
            )
            recent = in_company.partner_id._grid_recently_surveyed(company)
            for interaction in in_company:
                values = interaction._grid_satisfaction_invitation(recent)
                if values:
                    vals_list.append(values)
                    recent.add(interaction.partner_id.id)
        if not vals_list:
            return answers
        invitations = answers.create(vals_list)
        self.env.ref(CRON_XMLID).sudo()._trigger(
            at=min(invitations.mapped("grid_send_after"))
        )
        return invitations

    def _grid_satisfaction_invitation(self, recent):
        self.ensure_one()
        survey = self.satisfaction_survey_id.sudo()
        partner = self.partner_id
        channel = self.satisfaction_channel
        if channel == "auto":
            channel = partner._grid_preferred_survey_channel()
            if not channel:
                return False
        reason = partner._grid_survey_skip_reason(channel, recent)
        if reason or not survey._grid_is_sendable():
            _logger.debug(
                "No satisfaction survey for interaction %s: %s", self.id, reason
            )
            return False
        return survey._grid_invitation_values(
            partner, channel, self.company_id, grid_interaction_id=self.id
        )
