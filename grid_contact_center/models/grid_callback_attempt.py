from markupsafe import Markup

from odoo import api, fields, models

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
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        attempts = super().create(vals_list)
        attempts._post_on_interactions()
        attempts.interaction_id._sync_callback_activities()
        return attempts

    def write(self, vals):
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
