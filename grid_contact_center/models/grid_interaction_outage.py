from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.phone import is_mobile

NOTICE_CHANNELS = [
    ("call", "Call"),
    ("sms", "SMS"),
    ("email", "E-mail"),
]
# Reports that dispatch handles: linked to the outage at the service point,
# grouped or forwarded.
DISPATCH_REPORT_TYPES = ("interruption", "power_quality")
ROUTABLE_STATES = ("new", "in_progress", "forwarded")


# Each feature extends the interaction in its own file.
# pylint: disable=consider-merging-classes-inherited
class GridInteraction(models.Model):
    _inherit = "grid.interaction"

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    report_type = fields.Selection(
        related="topic_id.report_type", store=True, index=True
    )
    outage_id = fields.Many2one(
        "grid.outage",
        string="Outage",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        copy=False,
        help="The outage that this report belongs to. Reports on a service "
        "point inside an active outage are linked to it when saved.",
    )
    outage_state = fields.Selection(related="outage_id.state", string="Outage State")
    outage_etr = fields.Datetime(
        related="outage_id.etr", string="Estimated Restoration"
    )
    active_outage_ids = fields.Many2many(
        "grid.outage",
        string="Outages at the Service Point",
        compute="_compute_active_outage_ids",
    )
    outage_alert = fields.Text(
        compute="_compute_active_outage_ids",
        help="What the operator tells the caller about the outages at the "
        "service point.",
    )
    notify_on_restoration = fields.Boolean(
        string="Tell When Restored",
        tracking=True,
        help="The caller asked to be told when supply is restored.",
    )
    restoration_notice_channel = fields.Selection(
        NOTICE_CHANNELS,
        string="Restoration Notice By",
        help="How to tell the caller that supply is restored; empty means the "
        "channels the consumer consented to.",
    )
    forwarded_at = fields.Datetime(readonly=True, copy=False, index=True)
    dispatch_acknowledged_at = fields.Datetime(
        string="Acknowledged by Dispatch", readonly=True, copy=False
    )
    dispatch_acknowledged_by_id = fields.Many2one(
        "res.users", string="Acknowledged By", readonly=True, copy=False
    )
    duty_supervisor_id = fields.Many2one(
        "res.users",
        compute="_compute_duty_supervisor_id",
        help="Who is told when dispatch does not acknowledge this report in "
        "time: the supervisor of its team, else the company's duty supervisor.",
    )
    power_quality_ids = fields.One2many(
        "grid.power.quality.report",
        "interaction_id",
        string="Power Quality",
        groups="grid_contact_center.group_operator,"
        "grid_contact_center.group_dispatcher",
    )
    unmetered_report_ids = fields.One2many(
        "grid.unmetered.report",
        "interaction_id",
        string="Inspection",
        groups="grid_contact_center.group_operator,grid_contact_center.group_inspector",
    )

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("service_point_id", "outage_id")
    def _compute_active_outage_ids(self):
        points = self.service_point_id
        by_point = self.env["grid.outage"]._active_by_service_point(points)
        for interaction in self:
            outages = by_point.get(
                interaction.service_point_id.id, self.env["grid.outage"]
            )
            if interaction.outage_id and interaction.outage_id.is_active:
                outages |= interaction.outage_id
            interaction.active_outage_ids = outages
            interaction.outage_alert = (
                "\n".join(outage._caller_summary() for outage in outages) or False
            )

    @api.depends("team_id.supervisor_id", "company_id.grid_duty_supervisor_id")
    def _compute_duty_supervisor_id(self):
        for interaction in self:
            interaction.duty_supervisor_id = (
                interaction.team_id.supervisor_id
                or interaction.company_id.grid_duty_supervisor_id
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state") == "forwarded":
                vals.setdefault("forwarded_at", fields.Datetime.now())
        interactions = super().create(vals_list)
        interactions._route_reports()
        return interactions

    def write(self, vals):
        if vals.get("state") == "forwarded":
            vals.setdefault("forwarded_at", fields.Datetime.now())
        result = super().write(vals)
        if {"topic_id", "service_point_id"} & vals.keys():
            self._route_reports()
        return result

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_dispatch_acknowledge(self):
        self.filtered(lambda report: not report.dispatch_acknowledged_at).write(
            {
                "dispatch_acknowledged_at": fields.Datetime.now(),
                "dispatch_acknowledged_by_id": self.env.uid,
            }
        )

    def action_answer_with_outage(self):
        """Record that the caller was told what is known about the outage at
        the service point, and mark the report answered during the call."""
        for interaction in self:
            outages = interaction.active_outage_ids
            if not outages:
                raise UserError(
                    self.env._(
                        "No active outage covers the service point of %(number)s.",
                        number=interaction.name,
                    )
                )
            values = {
                "answer": interaction.outage_alert,
                "answered_in_contact": True,
            }
            if not interaction.outage_id:
                values["outage_id"] = outages[0].id
            interaction.write(values)
        self.action_answer()

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _restoration_notice_contact(self):
        """Return ``(channel, phone, email)`` for telling the caller of this
        report that supply is restored.

        The channel is the one the caller chose, else SMS, e-mail or a call
        as the consumer consented. The number the caller called from comes
        before the consumer's own numbers.
        """
        self.ensure_one()
        partner = self.partner_id
        numbers = partner.contact_number_ids.filtered("e164").sorted(
            lambda number: (number.origin != "mobile", number.id)
        )
        caller = self.caller_phone_e164
        mobiles = [caller] if is_mobile(caller) else []
        mobiles += [number.e164 for number in numbers if is_mobile(number.e164)]
        phones = ([caller] if caller else []) + numbers.mapped("e164")
        channel = self.restoration_notice_channel
        if not channel:
            if partner.notify_sms and mobiles:
                channel = "sms"
            elif partner.notify_email and partner.email:
                channel = "email"
            else:
                channel = "call"
        if channel == "sms":
            return "sms", mobiles[0] if mobiles else False, False
        if channel == "email":
            return "email", False, partner.email or False
        return "call", phones[0] if phones else False, False

    def _route_reports(self):
        """Hand reports over to dispatch or inspection.

        A report on interruption or power quality whose service point is in
        an active outage is linked to that outage. Interruption reports from
        the same transformer substation or feeder within the company's
        grouping window make one suspected outage. What remains is forwarded
        to dispatch, and reports of unmetered consumption to inspection.
        """
        reports = self.sudo().filtered(
            lambda report: (
                report.report_type
                and report.topic_id.routing != "none"
                and report.state in ROUTABLE_STATES
                and not report.outage_id
            )
        )
        if not reports:
            return
        dispatch_reports = reports.filtered(
            lambda report: report.report_type in DISPATCH_REPORT_TYPES
        )
        unlinked = dispatch_reports - dispatch_reports._link_to_active_outages()
        unlinked -= unlinked.filtered(
            lambda report: report.report_type == "interruption"
        )._group_into_suspected_outages()
        to_forward = (reports - dispatch_reports) | unlinked
        to_forward.filtered(lambda report: report.state != "forwarded").write(
            {"state": "forwarded"}
        )

    def _link_to_active_outages(self):
        """Link the reports to the active outage at their service point and
        return the reports linked."""
        by_point = self.env["grid.outage"]._active_by_service_point(
            self.service_point_id
        )
        reports_by_outage = defaultdict(lambda: self.browse())
        for report in self:
            outages = by_point.get(report.service_point_id.id)
            if outages:
                reports_by_outage[outages[0]] |= report
        linked = self.browse()
        for outage, reports in reports_by_outage.items():
            reports._link_to_outage(outage)
            linked |= reports
        return linked

    def _link_to_outage(self, outage):
        values = {"outage_id": outage.id}
        if outage.state == "suspected":
            values["state"] = "forwarded"
        self.write(values)

    def _group_into_suspected_outages(self):
        """Group interruption reports by the transformer substation or feeder
        that supplies their service point, and return the reports that joined
        a suspected outage.

        The element's row is updated before the reports near in time are
        counted. Two operators grouping at the same element therefore take
        turns, and under PostgreSQL's repeatable read isolation the later
        transaction fails with a serialisation error if the earlier one
        committed after it began. Odoo then retries the later request, which
        sees the earlier report or outage.
        """
        by_element = defaultdict(lambda: self.browse())
        for report in self.filtered("service_point_id.grid_element_id"):
            element = report.service_point_id.grid_element_id._grouping_element()
            by_element[element] |= report
        grouped = self.browse()
        for element in sorted(by_element, key=lambda element: element.id):
            grouped |= by_element[element]._group_at_element(element)
        return grouped

    def _group_at_element(self, element):
        company = element.company_id
        self.env.cr.execute(
            SQL(
                "UPDATE grid_element SET last_report_at = %s WHERE id = %s",
                max(self.mapped("received_at")),
                element.id,
            )
        )
        element.invalidate_recordset(["last_report_at"])
        window = timedelta(minutes=company.grid_outage_group_window)
        nearby = self.search(
            [
                ("company_id", "=", company.id),
                ("report_type", "=", "interruption"),
                ("outage_id", "=", False),
                ("state", "in", ROUTABLE_STATES),
                ("service_point_id.grid_element_id", "child_of", element.id),
                ("received_at", ">=", min(self.mapped("received_at")) - window),
                ("received_at", "<=", max(self.mapped("received_at")) + window),
            ]
        )
        nearby |= self
        if len(nearby) < company.grid_outage_group_threshold:
            return self.browse()
        outage = (
            self.env["grid.outage"]
            .sudo()
            .create(
                {
                    "company_id": company.id,
                    "kind": "emergency",
                    "state": "suspected",
                    "element_ids": [fields.Command.set(element.ids)],
                    "start_at": min(nearby.mapped("received_at")),
                }
            )
        )
        nearby._link_to_outage(outage)
        return self
