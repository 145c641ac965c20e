import logging
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, format_datetime

_logger = logging.getLogger(__name__)

OUTAGE_KINDS = [
    ("planned", "Planned"),
    ("emergency", "Emergency"),
]
OUTAGE_STATES = [
    ("suspected", "Suspected"),
    ("confirmed", "Confirmed"),
    ("repair", "Under Repair"),
    ("restored", "Restored"),
    ("cancelled", "Cancelled"),
]
# An outage in one of these states interrupts supply from its start on.
ACTIVE_STATES = ("suspected", "confirmed", "repair")
# States of outages that really interrupted supply, counted against the
# reliability limits. A suspected outage is not confirmed yet.
INTERRUPTION_STATES = ("confirmed", "repair", "restored")
# The estimated restoration of an outage may change only while it is open.
ETR_EDITABLE_STATES = ACTIVE_STATES
NOTICE_STATUSES = [
    ("not_required", "Not Required"),
    ("pending", "Not Due Yet"),
    ("overdue", "Overdue"),
    ("in_time", "Sent in Time"),
    ("late", "Sent Late"),
]
SEQUENCE_CODE = "grid.outage"


class GridOutage(models.Model):
    """An interruption of supply to the service points under some grid
    elements: planned work announced in advance, an emergency, or a suspected
    outage that consumers' reports revealed and dispatch has yet to confirm.
    """

    _name = "grid.outage"
    _description = "Outage"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "start_at desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(
        OUTAGE_KINDS, required=True, default="emergency", tracking=True, index=True
    )
    state = fields.Selection(
        OUTAGE_STATES,
        required=True,
        default="confirmed",
        tracking=True,
        index=True,
        copy=False,
    )
    element_ids = fields.Many2many(
        "grid.element",
        "grid_outage_element_rel",
        "outage_id",
        "element_id",
        string="Grid Elements",
        check_company=True,
        help="The elements out of service. Every service point under them in "
        "the grid is affected.",
    )
    service_point_ids = fields.Many2many(
        "grid.service.point",
        string="Affected Service Points",
        compute="_compute_service_point_ids",
        search="_search_service_point_ids",
        help="The service points under the outage's elements. Searching by a "
        "service point or an address finds the outages that interrupt it.",
    )
    area_description = fields.Char(
        string="Affected Area",
        help="Streets and houses affected, as operators read them to callers.",
    )
    start_at = fields.Datetime(
        string="Interruption Start",
        required=True,
        default=fields.Datetime.now,
        index=True,
        tracking=True,
        help="When supply was or will be interrupted.",
    )
    etr = fields.Datetime(
        string="Estimated Restoration",
        tracking=True,
        copy=False,
        help="Estimated restoration time that operators tell callers; for a "
        "planned outage, the announced end of the work.",
    )
    etr_change_reason = fields.Char(
        string="Reason for the ETR Change",
        copy=False,
        help="Why the estimated restoration time was last changed; kept in "
        "the ETR history.",
    )
    etr_history_ids = fields.One2many(
        "grid.outage.etr", "outage_id", string="ETR History", readonly=True
    )
    restored_at = fields.Datetime(
        string="Restored", tracking=True, copy=False, readonly=True
    )
    cause = fields.Text(tracking=True)
    dispatcher_id = fields.Many2one(
        "res.users",
        string="Dispatcher",
        tracking=True,
        index=True,
        check_company=True,
        domain=lambda self: [
            (
                "groups_id",
                "in",
                self.env.ref("grid_contact_center.group_dispatcher").id,
            )
        ],
    )
    registered_at = fields.Datetime(
        default=fields.Datetime.now,
        readonly=True,
        copy=False,
        help="When the outage was registered; for a suspected outage, when "
        "the reports were grouped. Dispatch acknowledges it from then on.",
    )
    acknowledged_at = fields.Datetime(readonly=True, copy=False)
    acknowledged_by_id = fields.Many2one(
        "res.users", string="Acknowledged By", readonly=True, copy=False
    )
    escalation_user_id = fields.Many2one(
        "res.users",
        compute="_compute_escalation_user_id",
        help="Who is prompted when the outage needs attention: its dispatcher, "
        "else the company's duty supervisor.",
    )
    interaction_ids = fields.One2many(
        "grid.interaction", "outage_id", string="Consumer Reports", readonly=True
    )
    report_count = fields.Integer(string="Reports", compute="_compute_report_count")
    service_point_count = fields.Integer(
        string="Service Points Affected", compute="_compute_affected_counts"
    )
    partner_count = fields.Integer(
        string="Consumers Affected", compute="_compute_affected_counts"
    )
    duration_hours = fields.Float(
        string="Duration (h)",
        compute="_compute_duration_hours",
        help="Hours from the start to the restoration, or to now while supply "
        "is still interrupted.",
    )
    # Notices of planned work.
    notice_lead_days = fields.Integer(
        string="Notice Lead Time (days)",
        default=lambda self: self.env.company.grid_outage_notice_lead_days,
        help="How many days before the start of planned work the consumers "
        "must have been told.",
    )
    notice_due_at = fields.Datetime(
        string="Notices Due",
        compute="_compute_notice_due_at",
        store=True,
    )
    campaign_ids = fields.One2many(
        "grid.notice.campaign", "outage_id", string="Notice Campaigns"
    )
    notices_sent_at = fields.Datetime(
        compute="_compute_notices_sent_at",
        store=True,
        help="When the first notice campaign about this outage finished sending.",
    )
    notices_sent_in_time = fields.Boolean(
        compute="_compute_notices_sent_in_time", store=True
    )
    notice_status = fields.Selection(
        NOTICE_STATUSES,
        compute="_compute_notice_status",
        search="_search_notice_status",
    )
    # Reliability limits.
    reliability_breach_count = fields.Integer(
        string="Service Points over the Reliability Limit",
        readonly=True,
        copy=False,
        help="Service points for which this outage exceeds the interruption "
        "allowed by their reliability category, at a time or over the year. "
        "Checked periodically while supply is interrupted and on restoration.",
    )
    reliability_breach = fields.Boolean(
        string="Reliability Limit Exceeded",
        compute="_compute_reliability_breach",
        store=True,
    )
    reliability_checked_at = fields.Datetime(readonly=True, copy=False)
    is_active = fields.Boolean(
        string="Active",
        compute="_compute_is_active",
        search="_search_is_active",
        help="Supply is interrupted now: the outage started and is neither "
        "restored nor cancelled.",
    )

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("dispatcher_id", "company_id.grid_duty_supervisor_id")
    def _compute_escalation_user_id(self):
        for outage in self:
            outage.escalation_user_id = (
                outage.dispatcher_id or outage.company_id.grid_duty_supervisor_id
            )

    @api.depends("interaction_ids")
    def _compute_report_count(self):
        counts = dict(
            self.env["grid.interaction"]._read_group(
                [("outage_id", "in", self.ids)], ["outage_id"], ["__count"]
            )
        )
        for outage in self:
            outage.report_count = counts.get(outage, 0)

    @api.depends("element_ids")
    def _compute_affected_counts(self):
        counts = self._affected_counts()
        for outage in self:
            outage.service_point_count, outage.partner_count = counts.get(
                outage.id, (0, 0)
            )

    @api.depends("element_ids")
    def _compute_service_point_ids(self):
        for outage in self:
            outage.service_point_ids = outage._affected_service_points()

    def _search_service_point_ids(self, operator, value):
        points = self.env["grid.service.point"]
        if operator in ("in", "=") and not isinstance(value, str):
            ids = value if isinstance(value, (list, tuple)) else [value]
            points = points.browse([point_id for point_id in ids if point_id])
        elif operator in ("ilike", "=", "=ilike") and isinstance(value, str):
            points = points.search([("display_name", operator, value)])
        else:
            raise UserError(
                self.env._(
                    "Search outages by service points or by an address, not with "
                    "%(operator)s.",
                    operator=operator,
                )
            )
        return [("element_ids", "in", list(points.grid_element_id._ancestor_ids()))]

    @api.depends("start_at", "restored_at", "state")
    def _compute_duration_hours(self):
        now = fields.Datetime.now()
        for outage in self:
            end = outage.restored_at or now
            if outage.state in ("cancelled", "suspected") or not outage.start_at:
                outage.duration_hours = 0.0
            else:
                seconds = (end - outage.start_at).total_seconds()
                outage.duration_hours = max(seconds, 0.0) / 3600.0

    @api.depends("kind", "start_at", "notice_lead_days")
    def _compute_notice_due_at(self):
        for outage in self:
            if outage.kind == "planned" and outage.start_at:
                outage.notice_due_at = outage.start_at - timedelta(
                    days=outage.notice_lead_days
                )
            else:
                outage.notice_due_at = False

    @api.depends("campaign_ids.done_at", "campaign_ids.state", "campaign_ids.kind")
    def _compute_notices_sent_at(self):
        for outage in self:
            finished = outage.campaign_ids.filtered(
                lambda campaign: (
                    campaign.kind == "outage_notice"
                    and campaign.state == "done"
                    and campaign.done_at
                )
            )
            outage.notices_sent_at = min(finished.mapped("done_at"), default=False)

    @api.depends("kind", "notice_due_at", "notices_sent_at")
    def _compute_notice_status(self):
        now = fields.Datetime.now()
        for outage in self:
            outage.notice_status = outage._notice_status_at(now)

    def _search_notice_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(
                self.env._("Filter the notice status with a list of statuses.")
            )
        now = fields.Datetime.now()
        planned = [("kind", "=", "planned")]
        unsent = [*planned, ("notices_sent_at", "=", False)]
        sent = [*planned, ("notices_sent_at", "!=", False)]
        domains = {
            "not_required": [("kind", "!=", "planned")],
            "pending": [*unsent, ("notice_due_at", ">=", now)],
            "overdue": [*unsent, ("notice_due_at", "<", now)],
            "in_time": [*sent, ("notices_sent_in_time", "=", True)],
            "late": [*sent, ("notices_sent_in_time", "=", False)],
        }
        values = [value] if isinstance(value, str) else list(value or ())
        unknown = [status for status in values if status not in domains]
        if unknown:
            raise UserError(
                self.env._(
                    "Unknown notice status %(status)s.", status=", ".join(unknown)
                )
            )
        domain = expression.OR([domains[status] for status in values])
        if operator in ("!=", "not in"):
            return ["!", *expression.normalize_domain(domain)]
        return domain

    @api.depends("notices_sent_at", "notice_due_at")
    def _compute_notices_sent_in_time(self):
        for outage in self:
            outage.notices_sent_in_time = bool(
                outage.notices_sent_at
                and outage.notice_due_at
                and outage.notices_sent_at <= outage.notice_due_at
            )

    @api.depends("reliability_breach_count")
    def _compute_reliability_breach(self):
        for outage in self:
            outage.reliability_breach = outage.reliability_breach_count > 0

    @api.depends("state", "start_at")
    def _compute_is_active(self):
        now = fields.Datetime.now()
        for outage in self:
            outage.is_active = bool(
                outage.state in ACTIVE_STATES
                and outage.start_at
                and outage.start_at <= now
            )

    def _search_is_active(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Filter active outages with true or false."))
        active = [
            ("state", "in", ACTIVE_STATES),
            ("start_at", "<=", fields.Datetime.now()),
        ]
        if (operator == "=") == value:
            return active
        return ["!", "&", *active]

    # ------------------------------------------------------------
    # Onchanges
    # ------------------------------------------------------------

    @api.onchange("etr")
    def _onchange_etr(self):
        """Clear the reason of the previous change when the estimate moves in
        the form, so that the form does not save the old reason again."""
        if self._origin.etr and self.etr != self._origin.etr:
            self.etr_change_reason = False

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("element_ids", "state")
    def _check_element_ids(self):
        for outage in self:
            if not outage.element_ids:
                raise ValidationError(
                    self.env._(
                        "Outage %(outage)s needs at least one grid element: the "
                        "affected consumers are found through them.",
                        outage=outage.name,
                    )
                )

    @api.constrains("start_at", "etr", "restored_at", "kind")
    def _check_times(self):
        for outage in self:
            if outage.etr and outage.etr < outage.start_at:
                raise ValidationError(
                    self.env._(
                        "The estimated restoration of outage %(outage)s is before "
                        "its start.",
                        outage=outage.name,
                    )
                )
            if outage.restored_at and outage.restored_at < outage.start_at:
                raise ValidationError(
                    self.env._(
                        "Outage %(outage)s cannot be restored before it started.",
                        outage=outage.name,
                    )
                )
            if outage.kind == "planned" and not outage.etr:
                raise ValidationError(
                    self.env._(
                        "Give planned outage %(outage)s the announced end of the "
                        "work as its estimated restoration.",
                        outage=outage.name,
                    )
                )

    @api.constrains("notice_lead_days")
    def _check_notice_lead_days(self):
        for outage in self:
            if outage.notice_lead_days < 0:
                raise ValidationError(
                    self.env._("The notice lead time cannot be negative.")
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = sequence.next_by_code(SEQUENCE_CODE) or "/"
        outages = super().create(vals_list)
        with_etr = outages.filtered("etr")
        if with_etr:
            self.env["grid.outage.etr"].sudo().create(
                [
                    {
                        "outage_id": outage.id,
                        "etr": outage.etr,
                        "reason": outage.etr_change_reason,
                    }
                    for outage in with_etr
                ]
            )
        return outages

    def write(self, vals):
        etr_history = []
        if "etr" in vals:
            new_etr = fields.Datetime.to_datetime(vals["etr"])
            moved = self.filtered(lambda outage: outage.etr != new_etr)
            moved._check_etr_change(vals.get("etr_change_reason"))
            for outage in moved:
                etr_history.append(
                    {
                        "outage_id": outage.id,
                        "etr": new_etr,
                        "previous_etr": outage.etr,
                        "reason": vals.get("etr_change_reason"),
                    }
                )
            if etr_history and "etr_change_reason" not in vals:
                vals = dict(vals, etr_change_reason=False)
        result = super().write(vals)
        if etr_history:
            self.env["grid.outage.etr"].sudo().create(etr_history)
        elif vals.get("etr_change_reason"):
            self._add_reason_to_etr_history(vals["etr_change_reason"])
        return result

    def _check_etr_change(self, reason):
        """Raise unless the estimated restoration of the outages ``self`` may
        change: not after restoration or cancellation, and with a reason once
        the outage has an estimate that callers may have been told."""
        locked = self._not_in_states(ETR_EDITABLE_STATES)
        if locked:
            raise UserError(
                self.env._(
                    "The estimated restoration of outage %(outage)s cannot change "
                    "because the outage is %(state)s.",
                    **locked._state_placeholders(),
                )
            )
        estimated = self.filtered("etr")
        if estimated and not (reason or "").strip():
            raise UserError(
                self.env._(
                    "Outage %(outage)s already has an estimated restoration: enter "
                    "the reason for changing it in Reason for the ETR Change.",
                    outage=estimated[0].name,
                )
            )

    def _add_reason_to_etr_history(self, reason):
        """Store ``reason`` on the latest ETR history row of each outage that
        has none, so that a reason written after the estimate is kept."""
        latest_ids = [
            latest_id
            for _outage, latest_id in self.env["grid.outage.etr"]
            .sudo()
            ._read_group([("outage_id", "in", self.ids)], ["outage_id"], ["id:max"])
        ]
        self.env["grid.outage.etr"].sudo().browse(latest_ids).filtered(
            lambda change: not change.reason
        ).write({"reason": reason})

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_acknowledge(self):
        unacknowledged = self.filtered(lambda outage: not outage.acknowledged_at)
        for outage in unacknowledged:
            outage.write(
                {
                    "acknowledged_at": fields.Datetime.now(),
                    "acknowledged_by_id": self.env.uid,
                    "dispatcher_id": outage.dispatcher_id.id or self.env.uid,
                }
            )

    def action_confirm(self):
        wrong = self._not_in_states(("suspected",))
        if wrong:
            raise UserError(
                self.env._(
                    "Only a suspected outage can be confirmed; %(outage)s is "
                    "%(state)s.",
                    **wrong._state_placeholders(),
                )
            )
        self.action_acknowledge()
        self.write({"state": "confirmed"})

    def action_start_repair(self):
        wrong = self._not_in_states(("suspected", "confirmed"))
        if wrong:
            raise UserError(
                self.env._(
                    "Repair can start only on a suspected or confirmed outage; "
                    "%(outage)s is %(state)s.",
                    **wrong._state_placeholders(),
                )
            )
        self.action_acknowledge()
        self.write({"state": "repair"})

    def action_restore(self):
        """Mark the outages restored, close the consumers' reports linked to
        them and build the notices for the consumers who asked to be told."""
        wrong = self._not_in_states(ACTIVE_STATES)
        if wrong:
            raise UserError(
                self.env._(
                    "Outage %(outage)s is already %(state)s.",
                    **wrong._state_placeholders(),
                )
            )
        now = fields.Datetime.now()
        for outage in self:
            outage.write(
                {
                    "state": "restored",
                    "restored_at": max(now, outage.start_at),
                    "dispatcher_id": outage.dispatcher_id.id or self.env.uid,
                }
            )
        self._close_linked_reports()
        self._notify_restoration()
        self._check_reliability_limits()

    def action_cancel(self):
        """Cancel outages that did not or will not happen. Their consumer
        reports go back to dispatch one by one, and notices still waiting to
        be sent are withdrawn."""
        wrong = self._not_in_states(ACTIVE_STATES)
        if wrong:
            raise UserError(
                self.env._(
                    "Outage %(outage)s is already %(state)s.",
                    **wrong._state_placeholders(),
                )
            )
        self.write({"state": "cancelled"})
        reports = self.interaction_ids.filtered(
            lambda report: report.state in ("new", "in_progress", "forwarded")
        )
        if reports:
            reports.sudo().write({"outage_id": False, "state": "forwarded"})
        self.campaign_ids.filtered(
            lambda campaign: campaign.state in ("draft", "building", "running")
        ).action_cancel()

    def action_merge(self):
        """Merge the selected open outages into the one that started first,
        so that dispatch follows one event: the elements and the consumer
        reports of the others move to it, and the others are cancelled."""
        if len(self) < 2:
            raise UserError(self.env._("Select at least two outages to merge."))
        wrong = self._not_in_states(ACTIVE_STATES)
        if wrong:
            raise UserError(
                self.env._(
                    "Only open outages can be merged; %(outage)s is %(state)s.",
                    **wrong._state_placeholders(),
                )
            )
        if len(self.company_id) > 1:
            raise UserError(
                self.env._("Outages of different companies cannot be merged.")
            )

        target = self.sorted(lambda outage: (outage.start_at, outage.id))[0]
        others = self - target
        target.write(
            {
                "element_ids": [
                    fields.Command.link(element.id) for element in others.element_ids
                ],
                "start_at": min(self.mapped("start_at")),
            }
        )
        others.interaction_ids.sudo().write({"outage_id": target.id})
        others.write({"state": "cancelled"})

        # Logged notes need no sender e-mail address, unlike message_post.
        for outage in others:
            outage._message_log(
                body=self.env._("Merged into outage %(outage)s.", outage=target.name),
                message_type="comment",
            )
        target._message_log(
            body=self.env._(
                "Outages %(outages)s merged into this one.",
                outages=", ".join(others.mapped("name")),
            ),
            message_type="comment",
        )

        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": target.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_view_reports(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "grid_contact_center.grid_interaction_action"
        )
        action["domain"] = [("outage_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_service_points(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "grid_contact_center.grid_service_point_action"
        )
        action["domain"] = self._affected_service_point_domain()
        action["context"] = {}
        return action

    def action_new_notice_campaign(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "grid_contact_center.grid_notice_campaign_action"
        )
        action.update(
            {
                "views": [(False, "form")],
                "view_mode": "form",
                "context": {
                    "default_outage_id": self.id,
                    "default_source": "outage",
                    "default_kind": "outage_notice",
                    "default_company_id": self.company_id.id,
                },
            }
        )
        return action

    def action_check_reliability_limits(self):
        self._check_reliability_limits()

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _not_in_states(self, states):
        """Return the first outage of ``self`` whose state is not in
        ``states``, or an empty recordset."""
        return self.filtered(lambda outage: outage.state not in states)[:1]

    def _state_placeholders(self):
        self.ensure_one()
        labels = dict(self._fields["state"]._description_selection(self.env))
        return {"outage": self.name, "state": labels[self.state].lower()}

    def _notice_status_at(self, now):
        self.ensure_one()
        if self.kind != "planned" or not self.notice_due_at:
            return "not_required"
        if self.notices_sent_at:
            return "in_time" if self.notices_sent_at <= self.notice_due_at else "late"
        return "overdue" if now > self.notice_due_at else "pending"

    def _caller_summary(self):
        """Return what an operator reads to a caller about the outage: its
        kind, number, start, state, estimated restoration and cause.

        The times are in the company's time zone, where its consumers live,
        and not in the operator's: the text is read to the caller and stored as
        the answer, and the notices and the closing note of the reports give
        the same times."""
        self.ensure_one()
        timezone = self.company_id._grid_timezone().zone
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        states = dict(self._fields["state"]._description_selection(self.env))

        def when(value):
            return format_datetime(self.env, value, tz=timezone, dt_format="short")

        lines = [
            self.env._(
                "%(kind)s outage %(number)s since %(start)s (%(state)s).",
                kind=kinds[self.kind],
                number=self.name,
                start=when(self.start_at),
                state=states[self.state].lower(),
            )
        ]
        if self.etr:
            lines.append(
                self.env._("Estimated restoration: %(etr)s.", etr=when(self.etr))
            )
        else:
            lines.append(self.env._("The restoration time is not known yet."))
        if self.area_description:
            lines.append(
                self.env._("Affected area: %(area)s.", area=self.area_description)
            )
        if self.cause:
            lines.append(self.env._("Cause: %(cause)s", cause=self.cause))
        return " ".join(lines)

    def _affected_service_point_domain(self):
        """Return the domain of the service points under the outages'
        elements. ``child_of`` turns into one ``parent_path LIKE`` subquery."""
        return [("grid_element_id", "child_of", self.element_ids.ids)]

    def _affected_service_points(self):
        return self.env["grid.service.point"].search(
            self._affected_service_point_domain()
        )

    def _affected_partner_ids(self):
        """Return the ids of the consumers of the service points under the
        outages' elements, in one query."""
        if not self.element_ids:
            return []
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT point.partner_id
                  FROM grid_element top
                  JOIN grid_element below
                    ON starts_with(below.parent_path, top.parent_path)
                  JOIN grid_service_point point
                    ON point.grid_element_id = below.id AND point.active
                 WHERE top.id IN %s AND point.partner_id IS NOT NULL
                """,
                tuple(self.element_ids.ids),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _affected_points_by_partner_sql(self):
        """Return an SQL query of the consumers of the outages, one row per
        consumer with ``partner_id`` and one of their affected
        ``service_point_id``, for building notice recipients."""
        self.env.flush_all()
        return SQL(
            """
            SELECT DISTINCT ON (point.partner_id)
                   point.partner_id, point.id AS service_point_id
              FROM grid_element top
              JOIN grid_element below
                ON starts_with(below.parent_path, top.parent_path)
              JOIN grid_service_point point
                ON point.grid_element_id = below.id AND point.active
             WHERE top.id IN %s AND point.partner_id IS NOT NULL
             ORDER BY point.partner_id, point.id
            """,
            tuple(self.element_ids.ids) or (0,),
        )

    def _affected_counts(self):
        """Return ``{outage id: (service points, consumers)}`` for the
        outages of ``self``, in one query."""
        ids = [outage_id for outage_id in self.ids if isinstance(outage_id, int)]
        if not ids:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT rel.outage_id,
                       COUNT(DISTINCT point.id),
                       COUNT(DISTINCT point.partner_id)
                  FROM grid_outage_element_rel rel
                  JOIN grid_element top ON top.id = rel.element_id
                  JOIN grid_element below
                    ON starts_with(below.parent_path, top.parent_path)
                  JOIN grid_service_point point
                    ON point.grid_element_id = below.id AND point.active
                 WHERE rel.outage_id IN %s
                 GROUP BY rel.outage_id
                """,
                tuple(ids),
            )
        )
        return {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}

    @api.model
    def _active_by_service_point(self, service_points):
        """Return ``{service point id: outages}`` with the active outages that
        interrupt each of the given service points."""
        located = service_points.filtered("grid_element_id")
        if not located:
            return {}
        ancestors = {
            point.id: point.grid_element_id._ancestor_ids() for point in located
        }
        all_ancestors = set().union(*ancestors.values())
        outages = self.search(
            [
                ("is_active", "=", True),
                ("element_ids", "in", list(all_ancestors)),
                ("company_id", "in", located.company_id.ids),
            ]
        )
        element_sets = {outage: set(outage.element_ids.ids) for outage in outages}
        result = {}
        for point in located:
            matching = [
                outage
                for outage, elements in element_sets.items()
                if elements & ancestors[point.id]
                and outage.company_id == point.company_id
            ]
            if matching:
                result[point.id] = self.browse([outage.id for outage in matching])
        return result

    @api.model
    def _active_for_service_points(self, service_points):
        """Return the active outages that interrupt any of the given service
        points, for the screens that show them to an operator during a call.
        """
        outages = self.browse()
        for found in self._active_by_service_point(service_points).values():
            outages |= found
        return outages

    def _close_linked_reports(self):
        """Close the open reports linked to the restored outages with an
        answer and a note that tell when supply came back."""
        reports_by_outage = {}
        for report in self.interaction_ids:
            if report.state in ("new", "in_progress", "forwarded", "answered"):
                reports_by_outage.setdefault(report.outage_id, []).append(report.id)
        bodies = {}
        interactions = self.env["grid.interaction"].sudo()
        for outage, report_ids in reports_by_outage.items():
            restored = format_datetime(
                self.env,
                outage.restored_at,
                tz=outage.company_id._grid_timezone().zone,
                dt_format="short",
            )
            note = self.env._(
                "Supply restored at %(time)s; outage %(outage)s is over.",
                time=restored,
                outage=outage.name,
            )
            reports = interactions.browse(report_ids)
            reports.filtered(lambda report: not report.answer).write({"answer": note})
            reports.action_close()
            bodies.update(dict.fromkeys(report_ids, note))
        if bodies:
            interactions.browse(list(bodies))._message_log_batch(bodies=bodies)

    def _notify_restoration(self):
        """Start a notice campaign for each restored outage whose reporters
        asked to be told when supply is back."""
        campaigns = self.env["grid.notice.campaign"].sudo()
        for outage in self:
            reports = outage.interaction_ids.filtered("notify_on_restoration")
            if not reports:
                continue
            campaign = campaigns.create(
                {
                    "name": self.env._(
                        "Supply restored: %(outage)s", outage=outage.name
                    ),
                    "company_id": outage.company_id.id,
                    "kind": "restoration",
                    "source": "reports",
                    "outage_id": outage.id,
                    "report_ids": [fields.Command.set(reports.ids)],
                }
            )
            campaign.action_launch()

    # ------------------------------------------------------------
    # Reliability limits
    # ------------------------------------------------------------

    @api.model
    def _year_start_utc(self, company, now):
        timezone = company._grid_timezone()
        local_now = pytz.utc.localize(now).astimezone(timezone)
        local_start = timezone.localize(
            datetime.combine(local_now.date().replace(month=1, day=1), time.min)
        )
        return local_start.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _yearly_hours_sql(self, element_alias, company, now):
        """Return an SQL expression with the hours of interruption this
        calendar year of the element ``element_alias``: the outages at or above
        it, clipped to the year and to now, each outage counted once.

        NOTE: overlapping outages above the same element (a feeder and one of
        its transformer substations out at the same time) are added up.
        """
        year_start = self._year_start_utc(company, now)
        return SQL(
            """
            (SELECT COALESCE(SUM(EXTRACT(EPOCH FROM (
                        LEAST(COALESCE(o.restored_at, %(now)s), %(now)s)
                        - GREATEST(o.start_at, %(year_start)s))) / 3600.0), 0)
               FROM grid_outage o
              WHERE o.company_id = %(company)s
                AND o.state IN %(states)s
                AND o.start_at < %(now)s
                AND COALESCE(o.restored_at, %(now)s) > %(year_start)s
                AND EXISTS (
                    SELECT 1
                      FROM grid_outage_element_rel rel
                     WHERE rel.outage_id = o.id
                       AND rel.element_id = ANY(string_to_array(
                           rtrim(%(path)s, '/'), '/')::int[])))
            """,
            now=now,
            year_start=year_start,
            company=company.id,
            states=INTERRUPTION_STATES,
            path=SQL.identifier(element_alias, "parent_path"),
        )

    @api.model
    def _yearly_interruption_hours(self, elements, company, now=None):
        """Return ``{element id: hours}`` of interruption this calendar year
        of the given elements, in one query."""
        if not elements:
            return {}
        now = now or fields.Datetime.now()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT element.id, %s FROM grid_element element "
                "WHERE element.id IN %s",
                self._yearly_hours_sql("element", company, now),
                tuple(elements.ids),
            )
        )
        return {row[0]: float(row[1]) for row in self.env.cr.fetchall()}

    def _reliability_breach_count(self, now):
        """Return how many service points under the outage are interrupted
        longer than their reliability category allows, at a time or over the
        calendar year. A limit of 0 hours is not checked."""
        self.ensure_one()
        if self.state not in INTERRUPTION_STATES:
            return 0
        company = self.company_id
        end = min(self.restored_at or now, now)
        duration = max((end - self.start_at).total_seconds(), 0) / 3600.0

        def limit(kind):
            return SQL(
                "CASE point.reliability_category WHEN '1' THEN %s "
                "WHEN '2' THEN %s ELSE %s END",
                company[f"grid_reliability_1_{kind}_hours"],
                company[f"grid_reliability_2_{kind}_hours"],
                company[f"grid_reliability_3_{kind}_hours"],
            )

        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH affected AS (
                    SELECT DISTINCT below.id, below.parent_path
                      FROM grid_element top
                      JOIN grid_element below
                        ON starts_with(below.parent_path, top.parent_path)
                     WHERE top.id IN %(elements)s
                ), yearly AS (
                    SELECT affected.id, %(yearly)s AS hours FROM affected
                )
                SELECT COUNT(*)
                  FROM grid_service_point point
                  JOIN yearly ON yearly.id = point.grid_element_id
                 WHERE point.active
                   AND ((%(single)s > 0 AND %(duration)s > %(single)s)
                        OR (%(year)s > 0 AND yearly.hours > %(year)s))
                """,
                elements=tuple(self.element_ids.ids),
                yearly=self._yearly_hours_sql("affected", company, now),
                single=limit("single"),
                year=limit("year"),
                duration=duration,
            )
        )
        return self.env.cr.fetchone()[0]

    def _check_reliability_limits(self):
        now = fields.Datetime.now()
        for outage in self:
            count = outage._reliability_breach_count(now)
            if count and not outage.reliability_breach_count:
                outage._message_log(
                    body=self.env._(
                        "The interruption exceeds the reliability limit of "
                        "%(count)s service points.",
                        count=count,
                    ),
                    message_type="comment",
                )
            outage.write(
                {"reliability_breach_count": count, "reliability_checked_at": now}
            )

    @api.model
    def _cron_check_reliability_limits(self):
        outages = self.search([("is_active", "=", True), ("state", "!=", "suspected")])
        _logger.info("Checking reliability limits of %s active outages", len(outages))
        outages._check_reliability_limits()
