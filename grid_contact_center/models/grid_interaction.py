from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_datetime

from ..tools.phone import has_caller_id, normalize_phone

CHANNELS = [
    ("phone_in", "Incoming Call"),
    ("phone_out", "Outgoing Call"),
    ("office", "Office Visit"),
    ("website", "Website"),
    ("email", "E-mail"),
    ("letter", "Letter"),
    ("messenger", "Messenger"),
]
# Channels of the contacts that the company starts itself. Reports that count
# the requests of consumers leave them out.
OUTBOUND_CHANNELS = ("phone_out",)
STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("forwarded", "Forwarded"),
    ("answered", "Answered"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("new", "in_progress", "forwarded")
# How far ahead of the server's clock a time typed or sent by a workstation
# or a PBX may be, for clocks that are not quite in step.
CLOCK_SKEW = timedelta(minutes=5)
SEQUENCE_CODE = "grid.interaction"
# The Callback topic, whose answer term is the term of a callback.
CALLBACK_TOPIC = "grid_contact_center.topic_8"
CALLER_DATA_GROUPS = (
    "grid_contact_center.group_operator,grid_contact_center.group_dispatcher"
)


class GridInteraction(models.Model):
    """A contact with a consumer (обращение), in or out, on any channel.

    Every contact gets a registration number, the time it was received and
    the consumer's contact details, and an answer deadline from its topic.
    """

    _name = "grid.interaction"
    _description = "Interaction"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "received_at desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    name = fields.Char(
        string="Registration Number",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    channel = fields.Selection(
        CHANNELS, required=True, default="phone_in", tracking=True, index=True
    )
    received_at = fields.Datetime(
        required=True, default=fields.Datetime.now, index=True, tracking=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Consumer",
        index=True,
        tracking=True,
        check_company=True,
    )
    service_point_id = fields.Many2one(
        "grid.service.point",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('partner_id', '=?', partner_id)]",
    )
    # Inspectors act on reports of theft and unmetered consumption, whose
    # callers may want to stay unknown to them: only the roles that talk to
    # callers see who called.
    caller_name = fields.Char(
        help="Name the caller gave, as typed.", groups=CALLER_DATA_GROUPS
    )
    caller_phone = fields.Char(
        help="Caller's telephone number as typed or received.",
        groups=CALLER_DATA_GROUPS,
    )
    caller_phone_e164 = fields.Char(
        string="Caller Phone (E.164)",
        compute="_compute_caller_phone",
        store=True,
        groups=CALLER_DATA_GROUPS,
    )
    caller_phone_warning = fields.Char(
        compute="_compute_caller_phone", store=True, groups=CALLER_DATA_GROUPS
    )
    topic_id = fields.Many2one(
        "grid.topic", index=True, tracking=True, ondelete="restrict"
    )
    topic_kind = fields.Selection(related="topic_id.kind", store=True, string="Kind")
    answer_script = fields.Html(related="topic_id.answer_script")
    description = fields.Text(help="What the consumer asked or reported.")
    # Tracked, so that an answer overwritten by a colleague stays in the
    # chatter.
    answer = fields.Text(help="What the consumer was told.", tracking=True)
    answered_in_contact = fields.Boolean(
        string="Answered During the Contact", tracking=True
    )
    state = fields.Selection(
        STATES, required=True, default="new", tracking=True, index=True, copy=False
    )
    user_id = fields.Many2one(
        "res.users",
        string="Operator",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        check_company=True,
    )
    team_id = fields.Many2one(
        "grid.team",
        index=True,
        tracking=True,
        default=lambda self: self._default_team(),
    )
    deadline = fields.Datetime(
        compute="_compute_deadline",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        copy=False,
        help="When the answer is due, from the topic's answer term over the "
        "company's working calendar. Changing it by hand needs a reason.",
    )
    deadline_change_reason = fields.Char(tracking=True, copy=False)
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    answered_at = fields.Datetime(readonly=True, copy=False)
    closed_at = fields.Datetime(readonly=True, copy=False)
    appointment_ids = fields.One2many(
        "grid.appointment",
        "interaction_id",
        string="Office Appointments",
        groups="grid_contact_center.group_operator",
    )
    appointment_count = fields.Integer(
        compute="_compute_appointment_count",
        groups="grid_contact_center.group_operator",
    )

    _sql_constraints = [
        (
            "name_company_unique",
            "unique (name, company_id)",
            "This registration number is already used in this company.",
        ),
    ]

    # ------------------------------------------------------------
    # Defaults
    # ------------------------------------------------------------

    def _default_team(self):
        return self.env["grid.team"].search(
            [
                ("user_ids", "in", self.env.uid),
                ("company_id", "in", self.env.companies.ids),
            ],
            limit=1,
        )

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("caller_phone", "company_id.grid_default_area_code")
    def _compute_caller_phone(self):
        for interaction in self:
            raw = interaction.caller_phone
            number = normalize_phone(raw, interaction.company_id.grid_default_area_code)
            interaction.caller_phone_e164 = number.e164 if number else False
            if not raw or not has_caller_id(raw):
                interaction.caller_phone_warning = False
            elif number is None:
                interaction.caller_phone_warning = self.env._(
                    "The number could not be read; it is kept as typed."
                )
            elif not number.is_valid:
                interaction.caller_phone_warning = self.env._(
                    "This number does not exist in the numbering plan; check it."
                )
            else:
                interaction.caller_phone_warning = False

    @api.depends("topic_id", "received_at", "company_id", "answered_in_contact")
    def _compute_deadline(self):
        for interaction in self:
            interaction.deadline = self._topic_deadline(
                interaction.topic_id,
                interaction.received_at,
                interaction.company_id,
                interaction.answered_in_contact,
            )

    @api.depends("deadline", "state")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for interaction in self:
            interaction.is_overdue = bool(
                interaction.deadline
                and interaction.state in OPEN_STATES
                and interaction.deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._("Filter overdue interactions with true or false.")
            )
        overdue = [
            ("deadline", "<", fields.Datetime.now()),
            ("state", "in", OPEN_STATES),
        ]
        if (operator == "=") == value:
            return overdue
        return ["!", "&", *overdue]

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("received_at")
    def _check_received_at(self):
        latest = fields.Datetime.now() + CLOCK_SKEW
        for interaction in self:
            if interaction.received_at > latest:
                raise ValidationError(
                    self.env._(
                        "The received time of %(number)s, %(time)s, is in the "
                        "future. Enter the time the interaction was received.",
                        number=interaction.name,
                        time=format_datetime(self.env, interaction.received_at),
                    )
                )

    @api.constrains("received_at", "deadline")
    def _check_deadline(self):
        for interaction in self:
            if interaction.deadline and interaction.deadline < interaction.received_at:
                raise ValidationError(
                    self.env._(
                        "The deadline of %(number)s, %(deadline)s, is before the "
                        "interaction was received (%(received)s). Enter a later "
                        "deadline.",
                        number=interaction.name,
                        deadline=format_datetime(self.env, interaction.deadline),
                        received=format_datetime(self.env, interaction.received_at),
                    )
                )

    def _compute_appointment_count(self):
        counts = dict(
            self.env["grid.appointment"]._read_group(
                [("interaction_id", "in", self.ids)], ["interaction_id"], ["__count"]
            )
        )
        for interaction in self:
            interaction.appointment_count = counts.get(interaction, 0)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_assignment(
            {vals.get("user_id") for vals in vals_list if "user_id" in vals}
        )
        by_company = defaultdict(list)
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                by_company[company].append(vals)
        sequences = self.env["ir.sequence"].sudo()
        for company, company_vals in by_company.items():
            company._grid_create_interaction_sequences()
            for vals in company_vals:
                vals["name"] = sequences.with_company(company).next_by_code(
                    SEQUENCE_CODE, sequence_date=fields.Date.context_today(self)
                )
        return super().create(vals_list)

    def write(self, vals):
        if "user_id" in vals and any(
            interaction.user_id.id != vals["user_id"] for interaction in self
        ):
            self._check_assignment({vals["user_id"]})
        if "deadline" in vals and not vals.get("deadline_change_reason"):
            manual = self._filter_manual_deadline_change(vals)
            if manual:
                raise UserError(
                    self.env._(
                        "Give the reason for changing the deadline of %(numbers)s.",
                        numbers=", ".join(manual.mapped("name")),
                    )
                )
        if vals.get("state") == "answered":
            vals.setdefault("answered_at", fields.Datetime.now())
        if vals.get("state") == "closed":
            vals.setdefault("closed_at", fields.Datetime.now())
        return super().write(vals)

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_start(self):
        self.filtered(lambda interaction: interaction.state == "new").write(
            {"state": "in_progress"}
        )

    def action_forward(self):
        for interaction in self:
            if interaction.topic_id.routing in (False, "none"):
                raise UserError(
                    self.env._(
                        "Topic %(topic)s is handled by the contact center itself; "
                        "choose a topic for dispatch or inspection to forward "
                        "%(number)s.",
                        topic=interaction.topic_id.display_name or self.env._("(none)"),
                        number=interaction.name,
                    )
                )
        self.write({"state": "forwarded"})

    def action_answer(self):
        missing = self.filtered(lambda interaction: not interaction.answer)
        if missing:
            raise UserError(
                self.env._(
                    "Write the answer given to the consumer before marking "
                    "%(numbers)s as answered.",
                    numbers=", ".join(missing.mapped("name")),
                )
            )
        self.write({"state": "answered"})

    def action_close(self):
        to_answer = self.filtered(lambda interaction: interaction.state in OPEN_STATES)
        if to_answer:
            to_answer.action_answer()
        self.write({"state": "closed"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_reopen(self):
        self.write({"state": "in_progress", "answered_at": False, "closed_at": False})

    def action_take(self):
        """Assign the interactions to the current user.

        The rows are locked first, so that of two operators who take the same
        interaction at once, the second one waits for the first to commit.
        PostgreSQL then raises a serialization failure, Odoo runs the request
        again, and the second operator learns who has taken it.
        """
        if not self:
            return
        self.env.cr.execute(
            SQL(
                "SELECT id FROM grid_interaction WHERE id IN %s FOR UPDATE",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["user_id"])
        if not self.env.user.has_group("grid_contact_center.group_supervisor"):
            taken = self.filtered(
                lambda interaction: (
                    interaction.user_id and interaction.user_id != self.env.user
                )
            )
            if taken:
                raise UserError(
                    self.env._(
                        "Interaction %(number)s is already taken by %(user)s.",
                        number=taken[0].name,
                        user=taken[0].user_id.sudo().name,
                    )
                )
        self.write({"user_id": self.env.uid})

    def action_view_appointments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "grid_contact_center.grid_appointment_action"
        )
        action["domain"] = [("interaction_id", "=", self.id)]
        action["context"] = {"default_interaction_id": self.id}
        return action

    def action_book_appointment(self):
        """Open the booking of an office visit for the interaction's consumer."""
        self.ensure_one()
        return self.env["grid.appointment.booking"]._action_open(
            {
                "default_interaction_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_topic_id": self.topic_id.id,
            }
        )

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    @api.model
    def _check_assignment(self, user_ids):
        """Raise unless the current user may assign interactions to
        ``user_ids``: operators take work or put it back unassigned, and
        only supervisors hand it to someone else."""
        if self.env.su or self.env.user.has_group(
            "grid_contact_center.group_supervisor"
        ):
            return
        others = {
            user_id for user_id in user_ids if user_id not in (False, self.env.uid)
        }
        if others:
            raise AccessError(
                self.env._(
                    "Only supervisors assign interactions to other operators. "
                    "Take the interaction yourself or leave it unassigned."
                )
            )

    @api.model
    def _topic_deadline(self, topic, received_at, company, answered_in_contact=False):
        """Return the deadline that a topic's answer term gives, or False.

        A term of 0 means that the question is answered during the contact
        (reference information, readings, restoration times). A question of
        such a topic that was not answered during the contact is due within
        the term of the Callback topic (4 hours by default), the term in
        which the consumer must be called back.
        """
        if not topic or not received_at:
            return False
        amount, unit = topic._deadline_rule(company)
        if not amount and not answered_in_contact:
            callback_topic = self.env.ref(CALLBACK_TOPIC, raise_if_not_found=False)
            if callback_topic and callback_topic != topic:
                amount, unit = callback_topic.sudo()._deadline_rule(company)
        if not amount:
            return received_at
        return company._grid_deadline(received_at, amount, unit)

    def _filter_manual_deadline_change(self, vals):
        """Return the interactions whose deadline ``vals`` changes by hand.

        A form sends the recomputed deadline along with a new topic or
        reception time; such a value equals the topic's deadline for the new
        values and needs no reason.
        """
        new_deadline = fields.Datetime.to_datetime(vals["deadline"])
        manual = self.browse()
        for interaction in self:
            if not interaction.deadline or interaction.deadline == new_deadline:
                continue
            topic = (
                self.env["grid.topic"].browse(vals["topic_id"])
                if "topic_id" in vals
                else interaction.topic_id
            )
            received_at = (
                fields.Datetime.to_datetime(vals["received_at"])
                if "received_at" in vals
                else interaction.received_at
            )
            company = (
                self.env["res.company"].browse(vals["company_id"])
                if "company_id" in vals
                else interaction.company_id
            )
            answered_in_contact = vals.get(
                "answered_in_contact", interaction.answered_in_contact
            )
            expected = self._topic_deadline(
                topic, received_at, company, answered_in_contact
            )
            if expected != new_deadline:
                manual |= interaction
        return manual
