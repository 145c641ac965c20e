from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import format_datetime

from .grid_interaction import CLOCK_SKEW

CALLBACK_RESULTS = [
    ("reached", "Consumer Reached"),
    ("no_answer", "No Answer"),
    ("busy", "Busy"),
    ("voicemail", "Voicemail"),
    ("wrong_number", "Wrong Number"),
    ("call_later", "Asked to Call Later"),
]


class GridCallbackAttempt(models.Model):
    """One call made to a consumer to answer an earlier interaction."""

    _name = "grid.callback.attempt"
    _description = "Callback Attempt"
    _order = "called_at desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    interaction_id = fields.Many2one(
        "grid.interaction",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="interaction_id.company_id", store=True, index=True
    )
    called_at = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users",
        string="Operator",
        required=True,
        default=lambda self: self.env.user,
    )
    result = fields.Selection(CALLBACK_RESULTS, required=True, default="reached")
    note = fields.Text(help="What was said, or when the consumer asked to be called.")

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("called_at", "interaction_id")
    def _check_called_at(self):
        latest = fields.Datetime.now() + CLOCK_SKEW
        for attempt in self:
            if attempt.called_at > latest:
                raise ValidationError(
                    self.env._(
                        "The callback attempt time %(time)s is in the future. "
                        "Enter the time of the call.",
                        time=format_datetime(self.env, attempt.called_at),
                    )
                )
            received_at = attempt.interaction_id.received_at
            if attempt.called_at < received_at:
                raise ValidationError(
                    self.env._(
                        "The callback attempt time %(time)s is before interaction "
                        "%(number)s was received (%(received)s).",
                        time=format_datetime(self.env, attempt.called_at),
                        number=attempt.interaction_id.name,
                        received=format_datetime(self.env, received_at),
                    )
                )

    @api.model
    def _check_operator(self, user_ids):
        """Raise unless the current user may record attempts in the name of
        ``user_ids``: operators record their own calls, supervisors anyone's."""
        if self.env.su or self.env.user.has_group(
            "grid_contact_center.group_supervisor"
        ):
            return
        if any(user_id != self.env.uid for user_id in user_ids):
            raise AccessError(
                self.env._(
                    "Only supervisors record callback attempts in the name of "
                    "another operator. Record the attempt in your own name."
                )
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_operator(
            {vals["user_id"] for vals in vals_list if vals.get("user_id")}
        )
        attempts = super().create(vals_list)
        attempts._post_on_interactions()
        attempts.interaction_id._sync_callback_activities()
        return attempts

    def write(self, vals):
        if "user_id" in vals:
            self._check_operator({vals["user_id"]})
        result = super().write(vals)
        if {"result", "called_at"} & vals.keys():
            self.interaction_id._sync_callback_activities()
        return result

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _post_on_interactions(self):
        """Log each attempt as an internal note on its interaction.

        A logged note needs no sender e-mail address, unlike ``message_post``,
        so operators without an e-mail address can record their work.
        """
        labels = dict(self._fields["result"]._description_selection(self.env))
        for attempt in self:
            body = self.env._(
                "Callback attempt: %(result)s.", result=labels[attempt.result]
            )
            if attempt.note:
                body = Markup("%s<br/>%s") % (body, attempt.note)
            attempt.interaction_id._message_log(body=body, message_type="comment")
