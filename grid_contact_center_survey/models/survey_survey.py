import logging

from odoo import Command, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    def _grid_check_sendable(self):
        """Raise a UserError unless consumers can be invited to the survey: it
        must be open, have questions, and admit invited people only, so that
        every answer belongs to one consumer."""
        self.ensure_one()
        self.check_validity()
        if self.access_mode != "token":
            raise UserError(
                self.env._(
                    "Survey %(survey)s can be answered by anyone with its link. "
                    "Set its access mode to invited people only before sending "
                    "it to consumers.",
                    survey=self.title,
                )
            )

    def _grid_is_sendable(self):
        """Return whether :meth:`_grid_check_sendable` passes, logging why not."""
        self.ensure_one()
        try:
            self._grid_check_sendable()
        except UserError as error:
            _logger.warning(
                "Survey %s (id %s) cannot be sent to consumers: %s",
                self.title,
                self.id,
                error,
            )
            return False
        return True

    def _grid_invitation_values(self, partner, channel, company, **extra):
        """Return the values of the answer (survey.user_input) that invites
        ``partner`` on ``channel``; ``extra`` adds grid_* fields such as
        grid_interaction_id or grid_campaign_id.

        Invitations by e-mail and SMS are queued for the sending job; an SMS
        waits for the end of the consumer's quiet hours. Every invitation gets
        its own invite token, so that the survey's limit of one attempt
        applies to each invitation.
        """
        self.ensure_one()
        now = fields.Datetime.now()
        values = {
            "survey_id": self.id,
            "partner_id": partner.id,
            "email": partner.email,
            "nickname": partner.name,
            "invite_token": self.env["survey.user_input"]._generate_invite_token(),
            "deadline": company._grid_survey_deadline(),
            "predefined_question_ids": [
                Command.set(self._prepare_user_input_predefined_questions().ids)
            ],
            "grid_channel": channel,
            "grid_company_id": company.id,
            "grid_invited_at": now,
        }
        if channel in ("email", "sms"):
            values["grid_send_state"] = "queued"
            values["grid_send_after"] = now
        if channel == "sms":
            values["grid_send_after"] = (
                partner._grid_quiet_hours_end(now, company) or now
            )
        values.update(extra)
        return values
