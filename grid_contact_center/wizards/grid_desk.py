from functools import reduce

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.grid_interaction import CHANNELS, OPEN_STATES
from ..models.grid_interaction_callback import CALLBACK_TOPIC
from ..models.grid_interaction_complaint import ANSWER_CHANNELS, DEFAULT_ANSWER_CHANNEL
from ..models.res_partner import CONSUMER_CATEGORIES
from ..tools.phone import is_mobile, normalize_phone

# Enough candidates for an operator to choose from; a vaguer search should
# be refined rather than scrolled.
MAX_CANDIDATES = 20


def account_search_key(text):
    """Return the account numbers that a typed ``text`` may stand for: as
    typed, and without the spaces that operators put between digit groups
    ("390 010 001")."""
    typed = (text or "").strip()
    if not typed:
        return []
    return list(dict.fromkeys([typed, "".join(typed.split())]))


class GridDesk(models.TransientModel):
    """The operator's desk: find the caller, then register the interaction.

    Open it with the action ``grid_contact_center.grid_desk_action`` (menu
    *Contact Center > Desk*) or with :meth:`_action_open`. These context keys
    prefill it, for instance from a ringing call: ``default_caller_phone``,
    ``default_caller_name``, ``default_channel``, ``default_partner_id``,
    ``default_service_point_id``, ``default_received_at`` and
    ``default_topic_id``. A caller phone, an account number or an address
    finds the consumer and the service point; a single match is chosen at
    once.
    """

    _name = "grid.desk"
    _description = "Operator's Desk"

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    channel = fields.Selection(CHANNELS, required=True, default="phone_in")
    received_at = fields.Datetime(required=True, default=fields.Datetime.now)
    caller_phone = fields.Char(string="Caller Phone")
    caller_phone_warning = fields.Char(compute="_compute_caller_phone_warning")
    caller_name = fields.Char()
    account_query = fields.Char(string="Account Number")
    address_query = fields.Char(
        string="Address", help="Words of the address in any order: lenina 5 14."
    )
    # The searches run as the operator (compute_sudo=False), so that record
    # rules hide the consumers and service points that the operator may not
    # read.
    match_partner_ids = fields.Many2many(
        "res.partner",
        "grid_desk_match_partner_rel",
        string="Consumers Found",
        compute="_compute_matches",
        store=True,
        compute_sudo=False,
    )
    match_count = fields.Integer(
        compute="_compute_matches", store=True, compute_sudo=False
    )
    searched = fields.Boolean(
        compute="_compute_matches", store=True, compute_sudo=False
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Consumer",
        compute="_compute_matches",
        store=True,
        readonly=False,
        compute_sudo=False,
    )
    service_point_id = fields.Many2one(
        "grid.service.point",
        compute="_compute_service_point_id",
        store=True,
        readonly=False,
        compute_sudo=False,
    )
    partner_account_number = fields.Char(
        string="Consumer's Account Number", related="partner_id.account_number"
    )
    partner_category = fields.Selection(related="partner_id.consumer_category")
    partner_contract_number = fields.Char(related="partner_id.contract_number")
    open_interaction_ids = fields.Many2many(
        "grid.interaction",
        string="Open Interactions",
        compute="_compute_open_interaction_ids",
    )
    energy_organisation_ids = fields.Many2many(
        "grid.energy.organisation",
        string="Energy Organisations",
        compute="_compute_energy_organisation_ids",
    )

    # A consumer the search did not find.
    register_consumer = fields.Boolean(string="New Consumer")
    new_name = fields.Char(string="Name")
    new_category = fields.Selection(
        CONSUMER_CATEGORIES, string="Category", default="household"
    )
    new_account_number = fields.Char(string="New Account Number")
    new_settlement_id = fields.Many2one("grid.settlement", string="Settlement")
    new_street = fields.Char(string="Street")
    new_house = fields.Char(string="House")
    new_building = fields.Char(string="Building")
    new_apartment = fields.Char(string="Apartment")

    topic_id = fields.Many2one("grid.topic", domain="[('child_ids', '=', False)]")
    topic_kind = fields.Selection(related="topic_id.kind")
    answer_script = fields.Html(related="topic_id.answer_script")
    description = fields.Text()
    answer = fields.Text()
    answered_in_contact = fields.Boolean(string="Answered During the Contact")
    deadline = fields.Datetime(
        string="Answer Due", compute="_compute_deadlines", help="From the topic's term."
    )
    callback_due = fields.Datetime(string="Call Back By", compute="_compute_deadlines")
    complaint_demands = fields.Text(string="Demands")
    complaint_answer_channel = fields.Selection(
        ANSWER_CHANNELS, string="Preferred Answer Channel"
    )
    complaint_incident_at = fields.Datetime(string="Violation Time")

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("caller_phone", "company_id")
    def _compute_caller_phone_warning(self):
        for desk in self:
            desk.caller_phone_warning = desk._phone_warning()

    @api.depends("caller_phone", "account_query", "address_query", "company_id")
    def _compute_matches(self):
        for desk in self:
            partners, searched = desk._find_consumers()
            desk.searched = searched
            desk.match_partner_ids = [Command.set(partners.ids)]
            desk.match_count = len(partners)
            if len(partners) == 1:
                desk.partner_id = partners
            elif searched or not desk.partner_id:
                desk.partner_id = desk.partner_id & partners

    @api.depends("partner_id", "address_query", "caller_phone", "company_id")
    def _compute_service_point_id(self):
        for desk in self:
            if not desk.partner_id:
                desk.service_point_id = False
                continue
            if (
                desk.service_point_id.partner_id == desk.partner_id
                and desk.service_point_id.company_id == desk.company_id
            ):
                continue
            # A consumer without a company may have points in several.
            points = desk.partner_id.service_point_ids.filtered(
                lambda point, company=desk.company_id: point.company_id == company
            )
            # A point is told by the address typed or by its own phone.
            if desk.address_query:
                found = self.env["grid.service.point"].find_by_address(
                    desk.address_query, limit=MAX_CANDIDATES, company=desk.company_id
                )
                points = (found & points) or points
            if len(points) > 1 and desk.caller_phone:
                rows = self.env["grid.contact.number"].find_by_phone(
                    desk.caller_phone, company=desk.company_id
                )
                points = (rows.service_point_id & points) or points
            desk.service_point_id = points[:1] if len(points) == 1 else False

    @api.depends("partner_id")
    def _compute_open_interaction_ids(self):
        for desk in self:
            if not desk.partner_id:
                desk.open_interaction_ids = False
                continue
            desk.open_interaction_ids = self.env["grid.interaction"].search(
                [("partner_id", "=", desk.partner_id.id), ("state", "in", OPEN_STATES)],
                limit=50,
            )

    @api.depends("service_point_id", "new_settlement_id")
    def _compute_energy_organisation_ids(self):
        organisations = self.env["grid.energy.organisation"]
        for desk in self:
            settlement = desk.service_point_id.settlement_id or desk.new_settlement_id
            desk.energy_organisation_ids = organisations._for_settlement(settlement)

    @api.depends(
        "topic_id", "received_at", "company_id", "channel", "answered_in_contact"
    )
    def _compute_deadlines(self):
        interactions = self.env["grid.interaction"]
        callback_topic = self.env.ref(CALLBACK_TOPIC, raise_if_not_found=False)
        for desk in self:
            desk.deadline = interactions._topic_deadline(
                desk.topic_id,
                desk.received_at,
                desk.company_id,
                desk.answered_in_contact,
            )
            if (
                callback_topic
                and desk.channel == "phone_in"
                and not desk.answered_in_contact
                and desk.topic_id.callback_when_unanswered
            ):
                desk.callback_due = interactions._topic_deadline(
                    callback_topic.sudo(), desk.received_at, desk.company_id
                )
            else:
                desk.callback_due = False

    # ------------------------------------------------------------
    # Onchanges
    # ------------------------------------------------------------

    @api.onchange("topic_id")
    def _onchange_topic_id(self):
        if self.topic_kind == "complaint" and not self.complaint_answer_channel:
            self.complaint_answer_channel = DEFAULT_ANSWER_CHANNEL.get(self.channel)

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    @api.model
    def _action_open(self, context=None):
        """Return the desk's window action with ``context`` (default_* keys)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "grid_contact_center.grid_desk_action"
        )
        action["context"] = dict(context or {})
        return action

    def action_register(self):
        """Register the interaction and open it."""
        interaction = self._register_interaction()
        return {
            "type": "ir.actions.act_window",
            "res_model": "grid.interaction",
            "res_id": interaction.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_register_next(self):
        """Register the interaction and open an empty desk for the next call."""
        interaction = self._register_interaction()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Interaction %(number)s registered.", number=interaction.name
                ),
                "next": self._action_open(),
            },
        }

    def action_register_and_book(self):
        """Register the interaction and book an office visit for it."""
        interaction = self._register_interaction()
        return interaction.action_book_appointment()

    def action_search(self):
        """Run the search again, for a consumer registered meanwhile."""
        self._compute_matches()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _phone_warning(self):
        self.ensure_one()
        if not self.caller_phone:
            return False
        number = normalize_phone(
            self.caller_phone, self.company_id.grid_default_area_code
        )
        if number is None:
            return self.env._(
                "The number could not be read; it is kept as typed and the "
                "consumer is searched by the other fields."
            )
        if not number.is_valid:
            return self.env._(
                "This number does not exist in the numbering plan; check it."
            )
        return False

    def _find_consumers(self):
        """Return the consumers that the search fields match and whether any
        search field was filled.

        Each filled field gives a set of consumers. Those found by every
        field win; when the fields disagree (a caller from a neighbour's
        phone), all consumers found are offered. Only consumers of the
        desk's company and shared ones that the current user may read are
        found.
        """
        self.ensure_one()
        partners = self.env["res.partner"]
        found = []
        if self.caller_phone:
            rows = self.env["grid.contact.number"].find_by_phone(
                self.caller_phone, company=self.company_id
            )
            found.append(rows.partner_id)
        account = account_search_key(self.account_query)
        if account:
            found.append(
                partners.search(
                    [
                        ("account_number", "in", account),
                        ("company_id", "in", [False, self.company_id.id]),
                    ],
                    limit=MAX_CANDIDATES,
                )
            )
        if self.address_query and self.address_query.strip():
            points = self.env["grid.service.point"].find_by_address(
                self.address_query, limit=MAX_CANDIDATES, company=self.company_id
            )
            found.append(points.partner_id)
        if not found:
            return partners, False
        common = reduce(lambda left, right: left & right, found)
        if common:
            return common[:MAX_CANDIDATES], True
        return reduce(lambda left, right: left | right, found)[:MAX_CANDIDATES], True

    def _register_interaction(self):
        """Create the consumer and service point if new, then the interaction."""
        self.ensure_one()
        if not self.topic_id:
            raise UserError(self.env._("Choose the topic of the interaction."))
        if self.register_consumer and not self.partner_id:
            self._create_consumer()
        interaction = self.env["grid.interaction"].create(
            self._prepare_interaction_values()
        )
        # A complaint is answered in writing after its investigation, never
        # during the call that registers it.
        if self.answered_in_contact and self.answer and self.topic_kind != "complaint":
            interaction.action_answer()
        return interaction

    def _prepare_interaction_values(self):
        """Return the values of the interaction to create; addons that pass
        more data from the desk extend them."""
        self.ensure_one()
        values = {
            "company_id": self.company_id.id,
            "channel": self.channel,
            "received_at": self.received_at,
            "partner_id": self.partner_id.id,
            "service_point_id": self.service_point_id.id,
            "caller_name": self.caller_name or self.partner_id.name,
            "caller_phone": self.caller_phone,
            "topic_id": self.topic_id.id,
            "description": self.description,
            "answer": self.answer,
            "answered_in_contact": self.answered_in_contact,
        }
        if self.topic_kind == "complaint":
            values.update(
                {
                    "complaint_demands": self.complaint_demands,
                    "complaint_incident_at": self.complaint_incident_at,
                }
            )
            # Unset, the interaction takes the default of its channel.
            if self.complaint_answer_channel:
                values["complaint_answer_channel"] = self.complaint_answer_channel
        return values

    def _create_consumer(self):
        self.ensure_one()
        if not self.new_name:
            raise UserError(self.env._("Enter the name of the new consumer."))
        partner_values = {
            "name": self.new_name,
            "consumer_category": self.new_category or "household",
            "account_number": (self.new_account_number or "").strip() or False,
        }
        number = normalize_phone(
            self.caller_phone, self.company_id.grid_default_area_code
        )
        if self.caller_phone and number:
            field = "mobile" if is_mobile(number.e164) else "phone"
            partner_values[field] = self.caller_phone
        partner = self.env["res.partner"].create(partner_values)
        self.partner_id = partner
        if self.new_settlement_id or self.new_street:
            self.service_point_id = self.env["grid.service.point"].create(
                {
                    "partner_id": partner.id,
                    "company_id": self.company_id.id,
                    "settlement_id": self.new_settlement_id.id,
                    "street": self.new_street,
                    "house": self.new_house,
                    "building": self.new_building,
                    "apartment": self.new_apartment,
                }
            )
