from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

REPORT_KINDS = [
    ("non_contractual", "Non-Contractual Consumption"),
    ("unmetered", "Unmetered Consumption"),
    ("equipment_theft", "Theft of Grid Equipment"),
]
STATES = [
    ("new", "New"),
    ("inspection", "Inspection Scheduled"),
    ("act", "Act Drawn Up"),
    ("no_violation", "No Violation Found"),
    ("cancelled", "Cancelled"),
]


class GridUnmeteredReport(models.Model):
    """A report of non-contractual or unmetered consumption or of theft of
    grid equipment, passed to inspection. The inspector records the outcome:
    the unmetered consumption act with its number, date and volume, or that
    no violation was found. Reporters may stay anonymous."""

    _name = "grid.unmetered.report"
    _description = "Unmetered Consumption Report"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_name = "interaction_id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    interaction_id = fields.Many2one(
        "grid.interaction",
        string="Interaction",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="interaction_id.company_id", store=True, index=True
    )
    received_at = fields.Datetime(related="interaction_id.received_at")
    kind = fields.Selection(REPORT_KINDS, required=True, default="non_contractual")
    suspected_address = fields.Char(
        required=True, tracking=True, help="Where the violation is suspected."
    )
    settlement_id = fields.Many2one("grid.settlement")
    service_point_id = fields.Many2one(
        "grid.service.point",
        string="Suspected Service Point",
        check_company=True,
        help="The service point at the address, if it is known.",
    )
    suspect_name = fields.Char(help="Who is suspected, as the reporter said.")
    observed_at = fields.Datetime(help="When the reporter saw the violation.")
    details = fields.Text(help="What the reporter saw.")
    anonymous = fields.Boolean(
        help="The reporter did not give a name. The interaction then holds no "
        "consumer and no caller name."
    )
    notify_reporter = fields.Boolean(
        string="Tell the Reporter",
        help="The reporter wants to learn the outcome of the inspection.",
    )
    reporter_phone = fields.Char(related="interaction_id.caller_phone")
    inspector_id = fields.Many2one(
        "res.users",
        string="Inspector",
        tracking=True,
        index=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("grid_contact_center.group_inspector").id)
        ],
    )
    inspection_date = fields.Date(tracking=True)
    state = fields.Selection(
        STATES, required=True, default="new", tracking=True, index=True
    )
    act_number = fields.Char(string="Act Number", tracking=True)
    act_date = fields.Date(string="Act Date", tracking=True)
    volume_kwh = fields.Float(
        string="Volume (kWh)",
        tracking=True,
        help="Volume of non-contractual or unmetered consumption in the act.",
    )
    outcome = fields.Text(tracking=True, help="What the inspection found.")
    reporter_notice_requested_at = fields.Datetime(
        string="Reporter Notice Requested",
        readonly=True,
        help="When the interaction's operator got the activity to tell the "
        "reporter the outcome.",
    )

    _sql_constraints = [
        (
            "interaction_unique",
            "unique (interaction_id)",
            "An interaction has one set of inspection details.",
        ),
    ]

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("anonymous", "notify_reporter", "interaction_id")
    def _check_reporter(self):
        for report in self:
            interaction = report.interaction_id
            if report.anonymous and (interaction.partner_id or interaction.caller_name):
                raise ValidationError(
                    self.env._(
                        "Interaction %(number)s is marked anonymous but names the "
                        "reporter: clear its consumer and caller name, or untick "
                        "Anonymous.",
                        number=interaction.name,
                    )
                )
            if report.notify_reporter and not (
                interaction.partner_id or interaction.caller_phone
            ):
                raise ValidationError(
                    self.env._(
                        "Give a phone number or the consumer on interaction "
                        "%(number)s so that the reporter can be told the outcome.",
                        number=interaction.name,
                    )
                )

    @api.constrains("state", "act_number", "act_date", "volume_kwh")
    def _check_act(self):
        for report in self:
            if report.volume_kwh < 0:
                raise ValidationError(self.env._("The volume cannot be negative."))
            if report.state == "act" and not (report.act_number and report.act_date):
                raise ValidationError(
                    self.env._(
                        "Give the number and date of the act drawn up for %(number)s.",
                        number=report.interaction_id.name,
                    )
                )

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_schedule_inspection(self):
        for report in self:
            report.write(
                {
                    "state": "inspection",
                    "inspector_id": report.inspector_id.id or self.env.uid,
                    "inspection_date": report.inspection_date
                    or fields.Date.context_today(self),
                }
            )

    def action_record_act(self):
        self._check_open()
        self.write({"state": "act"})
        self._after_outcome()

    def action_record_no_violation(self):
        self._check_open()
        self.write({"state": "no_violation"})
        self._after_outcome()

    def action_cancel(self):
        self._check_open()
        self.write({"state": "cancelled"})

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _check_open(self):
        closed = self.filtered(
            lambda report: report.state in ("act", "no_violation", "cancelled")
        )
        if closed:
            raise UserError(
                self.env._(
                    "The outcome of %(number)s is already recorded.",
                    number=closed[0].interaction_id.name,
                )
            )

    def _outcome_summary(self):
        self.ensure_one()
        if self.state == "act":
            summary = self.env._(
                "Inspection found a violation: act %(number)s of %(date)s, "
                "%(volume)s kWh.",
                number=self.act_number,
                date=fields.Date.to_string(self.act_date),
                volume=self.volume_kwh,
            )
        else:
            summary = self.env._("Inspection found no violation.")
        if self.outcome:
            summary = f"{summary} {self.outcome}"
        return summary

    def _after_outcome(self):
        """Write the outcome into the interaction's answer and, when the
        reporter wants to know it, give the interaction's operator an activity
        to tell them."""
        for report in self:
            interaction = report.interaction_id.sudo()
            summary = report._outcome_summary()
            interaction.write({"answer": summary})
            interaction._message_log(body=summary, message_type="comment")
            if report.notify_reporter:
                interaction.activity_schedule(
                    "grid_contact_center.mail_activity_type_tell_reporter",
                    summary=self.env._("Tell the reporter the inspection outcome"),
                    note=summary,
                    user_id=(interaction.user_id or interaction.duty_supervisor_id).id
                    or self.env.uid,
                )
                report.reporter_notice_requested_at = fields.Datetime.now()
