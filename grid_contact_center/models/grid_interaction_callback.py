import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .grid_callback_attempt import CALLBACK_RESULTS
from .grid_interaction import CALLBACK_TOPIC

CALLBACK_STATES = [
    ("none", "Not Needed"),
    ("due", "Due"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
CALLBACK_ACTIVITY_TYPE = "grid_contact_center.mail_activity_type_callback"


class GridInteraction(models.Model):
    """Callbacks (duty 8 of the unified service standards): an incoming call
    whose question was not answered during the call obliges the contact
    center to call the consumer back within the term of the Callback topic
    (4 hours by default)."""

    _inherit = "grid.interaction"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    callback_required = fields.Boolean(
        string="Callback Needed",
        compute="_compute_callback_required",
        store=True,
        readonly=False,
        tracking=True,
        help="Set for an incoming call that was not answered during the call, on "
        "a topic that calls for a callback; the operator may change it.",
    )
    callback_due = fields.Datetime(
        string="Call Back By",
        compute="_compute_callback_due",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        help="Received time plus the answer term of the Callback topic. Change it "
        "when the consumer asks to be called at another time.",
    )
    callback_state = fields.Selection(
        CALLBACK_STATES,
        compute="_compute_callback_state",
        store=True,
        index=True,
        tracking=True,
    )
    callback_attempt_ids = fields.One2many(
        "grid.callback.attempt",
        "interaction_id",
        string="Callback Attempts",
        groups="grid_contact_center.group_operator",
    )
    callback_done_at = fields.Datetime(
        string="Called Back At",
        compute="_compute_callback_result",
        store=True,
        help="Time of the first attempt that reached the consumer.",
    )
    callback_result = fields.Selection(
        CALLBACK_RESULTS,
        string="Callback Result",
        compute="_compute_callback_result",
        store=True,
        help="Result of the latest callback attempt, or of the attempt that "
        "reached the consumer when later calls were made.",
    )
    callback_missed = fields.Boolean(
        string="Callback Missed",
        compute="_compute_callback_missed",
        search="_search_callback_missed",
        help="The consumer was not reached by the callback deadline.",
    )

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("channel", "answered_in_contact", "topic_id")
    def _compute_callback_required(self):
        for interaction in self:
            interaction.callback_required = bool(
                interaction.channel == "phone_in"
                and not interaction.answered_in_contact
                and interaction.topic_id.callback_when_unanswered
            )

    @api.depends("callback_required", "received_at", "company_id")
    def _compute_callback_due(self):
        topic = self.env.ref(CALLBACK_TOPIC, raise_if_not_found=False)
        for interaction in self:
            if not interaction.callback_required or not topic:
                interaction.callback_due = False
                continue
            interaction.callback_due = self._topic_deadline(
                topic.sudo(), interaction.received_at, interaction.company_id
            )

    @api.depends("callback_required", "callback_done_at", "state")
    def _compute_callback_state(self):
        for interaction in self:
            if not interaction.callback_required:
                interaction.callback_state = "none"
            elif interaction.callback_done_at:
                interaction.callback_state = "done"
            elif interaction.state == "cancelled":
                interaction.callback_state = "cancelled"
            else:
                interaction.callback_state = "due"

    @api.depends("callback_attempt_ids.result", "callback_attempt_ids.called_at")
    def _compute_callback_result(self):
        for interaction in self:
            attempts = interaction.callback_attempt_ids.sorted(
                lambda attempt: (attempt.called_at, attempt.id)
            )
            reached = attempts.filtered(lambda attempt: attempt.result == "reached")
            # Calls after the one that reached the consumer do not reopen the
            # callback, so they do not change its result either.
            if reached:
                attempts = attempts.filtered(
                    lambda attempt, done=reached[0]: (
                        (attempt.called_at, attempt.id) <= (done.called_at, done.id)
                    )
                )
            interaction.callback_done_at = reached[:1].called_at
            interaction.callback_result = attempts[-1:].result

    @api.depends("callback_state", "callback_due", "callback_done_at")
    def _compute_callback_missed(self):
        now = fields.Datetime.now()
        for interaction in self:
            due = interaction.callback_due
            interaction.callback_missed = bool(
                due
                and (
                    (interaction.callback_state == "due" and due < now)
                    or (
                        interaction.callback_state == "done"
                        and interaction.callback_done_at > due
                    )
                )
            )

    def _search_callback_missed(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Filter missed callbacks with true or false."))
        late_done = self._search(
            [("callback_state", "=", "done"), ("callback_due", "!=", False)]
        )
        late_done.add_where(
            SQL(
                "%s > %s",
                self._field_to_sql(self._table, "callback_done_at"),
                self._field_to_sql(self._table, "callback_due"),
            )
        )
        missed = [
            "|",
            "&",
            ("callback_state", "=", "due"),
            ("callback_due", "<", fields.Datetime.now()),
            ("id", "in", late_done),
        ]
        if (operator == "=") == value:
            return missed
        return ["!", *missed]

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        interactions = super().create(vals_list)
        interactions._sync_callback_activities()
        return interactions

    def write(self, vals):
        result = super().write(vals)
        if {
            "callback_required",
            "callback_due",
            "answered_in_contact",
            "channel",
            "topic_id",
            "received_at",
            "state",
            "user_id",
        } & vals.keys():
            self._sync_callback_activities()
        return result

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_log_callback(self):
        """Open the form that records one callback attempt."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Callback to %(number)s", number=self.name),
            "res_model": "grid.callback.attempt",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_interaction_id": self.id},
        }

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _sync_callback_activities(self):
        """Give each interaction with a due callback one Callback activity of
        its operator, due on the callback's local date, and settle the
        activities of callbacks that are no longer due: done when the
        consumer was reached, removed otherwise."""
        activity_type = self.env.ref(CALLBACK_ACTIVITY_TYPE, raise_if_not_found=False)
        if not activity_type or not self:
            return
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        by_interaction = {}
        for activity in activities:
            by_interaction.setdefault(activity.res_id, activity)
        to_create = []
        to_finish = self.env["mail.activity"]
        to_remove = self.env["mail.activity"]
        model_id = self.env["ir.model"]._get_id(self._name)
        for interaction in self:
            activity = by_interaction.get(interaction.id)
            if interaction.callback_state == "due":
                user = interaction.user_id or self.env.user
                deadline = interaction._callback_local_date()
                if not activity:
                    to_create.append(
                        {
                            "res_model_id": model_id,
                            "res_id": interaction.id,
                            "activity_type_id": activity_type.id,
                            "summary": interaction._callback_summary(user),
                            "date_deadline": deadline,
                            "user_id": user.id,
                            "automated": True,
                        }
                    )
                elif (activity.user_id, activity.date_deadline) != (user, deadline):
                    activity.write(
                        {
                            "user_id": user.id,
                            "date_deadline": deadline,
                            "summary": interaction._callback_summary(user),
                        }
                    )
            elif activity and interaction.callback_state == "done":
                to_finish |= activity
            elif activity:
                to_remove |= activity
        if to_create:
            self.env["mail.activity"].create(to_create)
        if to_finish:
            to_finish.action_feedback(
                feedback=self.env._("The consumer was reached by the callback.")
            )
        if to_remove:
            to_remove.unlink()

    def _callback_timezone(self):
        """Return the time zone of the operator who makes the callback."""
        self.ensure_one()
        user = self.user_id or self.env.user
        if user.tz:
            return pytz.timezone(user.tz)
        return self.company_id._grid_timezone()

    def _callback_local_date(self):
        self.ensure_one()
        timezone = self._callback_timezone()
        return (
            pytz.utc.localize(self.callback_due).astimezone(timezone).date()
            if self.callback_due
            else fields.Date.context_today(self)
        )

    def _callback_summary(self, user):
        """The summary of the callback activity, in the language of `user`,
        who is assigned it."""
        self.ensure_one()
        env = self.with_context(lang=user.lang or self.env.lang).env
        if not self.callback_due:
            return env._("Call back")
        timezone = self._callback_timezone()
        local = pytz.utc.localize(self.callback_due).astimezone(timezone)
        return env._("Call back by %(time)s", time=local.strftime("%d.%m %H:%M"))
