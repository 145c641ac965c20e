import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .res_partner import CONSENT_FIELDS

_logger = logging.getLogger(__name__)

SURVEY_CHANNELS = [
    ("email", "E-mail"),
    ("sms", "SMS"),
    ("call", "Telephone Call"),
]
SEND_STATES = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("cancelled", "Not Sent"),
]
# An answer whose quality score reaches this percentage counts as satisfied:
# 4 and 5 on a scale from 1 to 5.
SATISFIED_SCORE = 75.0


class SurveyUserInput(models.Model):
    """Answers to contact center surveys carry the consumer's invitation: the
    interaction or campaign behind it, the channel, and its sending."""

    _inherit = "survey.user_input"

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    grid_interaction_id = fields.Many2one(
        "grid.interaction",
        string="Interaction",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    grid_campaign_id = fields.Many2one(
        "grid.survey.campaign",
        string="Survey Campaign",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    grid_recipient_id = fields.Many2one(
        "grid.survey.campaign.recipient",
        string="Campaign Recipient",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    grid_company_id = fields.Many2one(
        "res.company", string="Contact Center Company", index=True, readonly=True
    )
    grid_channel = fields.Selection(
        SURVEY_CHANNELS,
        string="Invitation Channel",
        index=True,
        readonly=True,
        help="How the consumer was invited: by e-mail or SMS with a link, or "
        "asked by an operator during a call.",
    )
    grid_invited_at = fields.Datetime(
        string="Invited On", index=True, readonly=True, copy=False
    )
    grid_send_state = fields.Selection(
        SEND_STATES, string="Sending", readonly=True, copy=False
    )
    grid_send_after = fields.Datetime(
        string="Send After",
        readonly=True,
        copy=False,
        help="An SMS waits for the end of the consumer's quiet hours.",
    )
    grid_send_note = fields.Char(string="Sending Note", readonly=True, copy=False)
    grid_entered_by_id = fields.Many2one(
        "res.users",
        string="Entered by Operator",
        readonly=True,
        copy=False,
        help="Operator who filled the survey in during a call, on the "
        "consumer's behalf.",
    )
    grid_topic_id = fields.Many2one(
        related="grid_interaction_id.topic_id", string="Topic", store=True, index=True
    )
    grid_operator_id = fields.Many2one(
        related="grid_interaction_id.user_id",
        string="Operator",
        store=True,
        index=True,
    )
    grid_team_id = fields.Many2one(
        related="grid_interaction_id.team_id", string="Team", store=True
    )
    grid_contact_channel = fields.Selection(
        related="grid_interaction_id.channel",
        string="Contact Channel",
        store=True,
    )
    grid_quality_score = fields.Float(
        string="Quality Score (%)",
        compute="_compute_grid_quality",
        store=True,
        aggregator="avg",
        digits=(5, 1),
        help="Mean of the answers to the rating questions that count toward the "
        "quality score, each from 0 % at the lowest to 100 % at the highest "
        "value of its scale.",
    )
    grid_satisfied = fields.Float(
        string="Satisfied (%)",
        compute="_compute_grid_quality",
        store=True,
        aggregator="avg",
        digits=(5, 1),
        help="100 for an answer with a quality score of at least 75 %, else 0; "
        "its average is the share of satisfied consumers.",
    )
    grid_scored = fields.Boolean(
        string="Has a Quality Score", compute="_compute_grid_quality", store=True
    )

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends(
        "user_input_line_ids.value_scale",
        "user_input_line_ids.skipped",
        "user_input_line_ids.question_id.grid_quality_question",
    )
    def _compute_grid_quality(self):
        for answer in self:
            ratios = []
            for line in answer.user_input_line_ids:
                question = line.question_id
                if (
                    not question.grid_quality_question
                    or line.skipped
                    or line.answer_type != "scale"
                    or question.scale_max <= question.scale_min
                ):
                    continue
                ratios.append(
                    (line.value_scale - question.scale_min)
                    / (question.scale_max - question.scale_min)
                )
            if ratios:
                score = 100.0 * sum(ratios) / len(ratios)
                answer.grid_quality_score = score
                answer.grid_satisfied = 100.0 if score >= SATISFIED_SCORE else 0.0
                answer.grid_scored = True
            else:
                answer.grid_quality_score = 0.0
                answer.grid_satisfied = 0.0
                answer.grid_scored = False

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def init(self):
        result = super().init()
        # The sending job reads only the queued invitations, a small part of
        # the table.
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS survey_user_input_grid_queue_idx
                    ON survey_user_input (grid_send_after)
                 WHERE grid_send_state = 'queued'
                """
            )
        )
        return result

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_grid_fill_in(self):
        """Open the survey for an operator who asks the consumer its questions
        during a call and enters the answers on the consumer's behalf."""
        self.ensure_one()
        answer = self.sudo()
        if answer.state == "done":
            raise UserError(
                self.env._(
                    "%(consumer)s has already answered survey %(survey)s.",
                    consumer=answer.partner_id.display_name,
                    survey=answer.survey_id.title,
                )
            )
        if answer.deadline and answer.deadline < fields.Datetime.now():
            raise UserError(
                self.env._(
                    "The invitation of %(consumer)s to survey %(survey)s has expired.",
                    consumer=answer.partner_id.display_name,
                    survey=answer.survey_id.title,
                )
            )
        values = {"grid_entered_by_id": self.env.uid}
        if answer.grid_send_state == "queued":
            values["grid_send_state"] = "cancelled"
            values["grid_send_note"] = self.env._("Asked during a call instead.")
        if answer.grid_channel != "call":
            values["grid_channel"] = "call"
        answer.write(values)
        return {
            "type": "ir.actions.act_url",
            "target": "new",
            "url": answer.get_start_url(),
        }

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _grid_progress(self, now):
        """Return the state of the invitation as the interaction shows it."""
        self.ensure_one()
        if self.state == "done":
            return "completed"
        if self.state == "in_progress":
            return "started"
        if self.grid_send_state == "cancelled":
            return "not_sent"
        if self.deadline and self.deadline < now:
            return "expired"
        if self.grid_send_state == "queued":
            return "queued"
        return "invited"

    def _grid_invitation_url(self):
        """Return the short public link through which the consumer answers."""
        self.ensure_one()
        return f"{self.get_base_url()}/survey/i/{self.access_token}"

    @api.model
    def _grid_send_queued(self, limit):
        """Send up to ``limit`` queued invitations that are due, and return
        ``(processed, remaining)``. The e-mails and SMS go to the mail and SMS
        queues of Odoo, which deliver them."""
        domain = [
            ("grid_send_state", "=", "queued"),
            ("grid_send_after", "<=", fields.Datetime.now()),
        ]
        answers = self.sudo().search(domain, limit=limit, order="grid_send_after, id")
        if not answers:
            return 0, 0
        withdrawn = answers.filtered(
            lambda answer: not answer.partner_id[CONSENT_FIELDS[answer.grid_channel]]
        )
        withdrawn.write(
            {
                "grid_send_state": "cancelled",
                "grid_send_note": self.env._("The consumer withdrew the consent."),
            }
        )
        to_send = answers - withdrawn
        to_send.filtered(
            lambda answer: answer.grid_channel == "email"
        )._grid_send_email()
        to_send.filtered(lambda answer: answer.grid_channel == "sms")._grid_send_sms()
        return len(answers), self.sudo().search_count(domain)

    def _grid_send_email(self):
        if not self:
            return
        template = self.env.ref(
            "grid_contact_center_survey.mail_template_grid_survey_invitation"
        )
        template.sudo().send_mail_batch(self.ids)
        self.write({"grid_send_state": "sent"})
        _logger.info("Queued %s survey invitations by e-mail", len(self))

    def _grid_send_sms(self):
        if not self:
            return
        sms_values = []
        unreachable = self.browse()
        by_lang = defaultdict(lambda: self.browse())
        for answer in self:
            by_lang[answer.partner_id.lang or self.env.lang] |= answer
        for lang, answers in by_lang.items():
            translated = answers.with_context(lang=lang)
            for answer in translated:
                number = answer.partner_id._grid_survey_mobile()
                if not number:
                    unreachable |= answer
                    continue
                sms_values.append(
                    {
                        "partner_id": answer.partner_id.id,
                        "number": number,
                        "body": answer._grid_sms_body(),
                    }
                )
        unreachable.write(
            {
                "grid_send_state": "cancelled",
                "grid_send_note": self.env._("The consumer has no mobile number."),
            }
        )
        self.env["sms.sms"].sudo().create(sms_values)
        (self - unreachable).write({"grid_send_state": "sent"})
        if sms_values:
            self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger()
        _logger.info("Queued %s survey invitations by SMS", len(sms_values))

    def _grid_sms_body(self):
        self.ensure_one()
        company = self.grid_company_id or self.env.company
        return self.env._(
            "%(company)s asks you to rate our service: %(url)s",
            company=company.name,
            url=self._grid_invitation_url(),
        )
