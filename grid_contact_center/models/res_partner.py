from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.quiet_hours import quiet_hours_end_utc

CONSUMER_CATEGORIES = [
    ("household", "Household"),
    ("legal_entity", "Legal Entity"),
    ("entrepreneur", "Individual Entrepreneur"),
    ("applicant", "Grid Connection Applicant"),
]
PHONE_FIELDS = ("phone", "mobile")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    consumer_category = fields.Selection(
        CONSUMER_CATEGORIES,
        help="Set for the consumers of the grid company; empty for other contacts.",
    )
    account_number = fields.Char(
        index=True,
        copy=False,
        tracking=True,
        help="The consumer's account number (лицевой счёт), unique within a company.",
    )
    contract_number = fields.Char(
        tracking=True, help="Number of the transmission or supply contract."
    )
    notify_call = fields.Boolean(
        string="Consents to Calls",
        help="The consumer agreed to receive notices by telephone call.",
    )
    notify_sms = fields.Boolean(
        string="Consents to SMS", help="The consumer agreed to receive notices by SMS."
    )
    notify_email = fields.Boolean(
        string="Consents to E-mail",
        help="The consumer agreed to receive notices by e-mail.",
    )
    quiet_hours_start = fields.Float(
        help="Start of the hours without calls or SMS, in the consumer's time zone.",
    )
    quiet_hours_end = fields.Float(
        help="End of the hours without calls or SMS, in the consumer's time zone. "
        "A start after the end means the quiet hours span midnight.",
    )
    service_point_ids = fields.One2many(
        "grid.service.point", "partner_id", string="Service Points"
    )
    service_point_count = fields.Integer(compute="_compute_service_point_count")
    interaction_ids = fields.One2many(
        "grid.interaction", "partner_id", string="Interactions"
    )
    interaction_count = fields.Integer(compute="_compute_interaction_count")
    contact_number_ids = fields.One2many(
        "grid.contact.number", "partner_id", string="Indexed Numbers", readonly=True
    )
    grid_addresses = fields.Char(
        string="Service Point Addresses",
        compute="_compute_grid_addresses",
        help="Addresses of the consumer's active service points.",
    )
    phone_lookup = fields.Char(
        string="Phone Number (any format)",
        compute="_compute_phone_lookup",
        search="_search_phone_lookup",
        help="Finds consumers by a telephone number typed in any usual form.",
    )

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    def _compute_service_point_count(self):
        counts = dict(
            self.env["grid.service.point"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.service_point_count = counts.get(partner, 0)

    def _compute_interaction_count(self):
        counts = dict(
            self.env["grid.interaction"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.interaction_count = counts.get(partner, 0)

    def _grid_addresses_by_partner(self):
        points = self.env["grid.service.point"].search(
            [("partner_id", "in", self.ids)], order="full_address, id"
        )
        addresses = {}
        for point in points:
            addresses.setdefault(point.partner_id.id, []).append(point.full_address)
        return addresses

    def _compute_grid_addresses(self):
        addresses = self._grid_addresses_by_partner() if self.ids else {}
        for partner in self:
            partner.grid_addresses = "; ".join(addresses.get(partner.id, []))

    @api.depends_context("grid_consumer_label")
    def _compute_display_name(self):
        """With ``grid_consumer_label`` in the context, add the account number
        and the first service point's address, so that an operator tells
        consumers of the same name apart in a drop-down list."""
        super()._compute_display_name()
        if not self.env.context.get("grid_consumer_label"):
            return
        consumers = self.filtered("consumer_category")
        addresses = consumers._grid_addresses_by_partner() if consumers.ids else {}
        for partner in consumers:
            parts = [partner.display_name]
            if partner.account_number:
                parts.append(
                    self.env._("account %(number)s", number=partner.account_number)
                )
            partner_addresses = addresses.get(partner.id)
            if partner_addresses:
                extra = len(partner_addresses) - 1
                parts.append(
                    partner_addresses[0]
                    if not extra
                    else self.env._(
                        "%(address)s and %(count)s more",
                        address=partner_addresses[0],
                        count=extra,
                    )
                )
            partner.display_name = ", ".join(parts)

    def _compute_phone_lookup(self):
        for partner in self:
            partner.phone_lookup = partner.phone or partner.mobile

    def _search_phone_lookup(self, operator, value):
        if operator not in ("=", "ilike") or not isinstance(value, str):
            raise UserError(
                self.env._(
                    "Search consumers by phone number with a number, not %(value)s.",
                    value=value,
                )
            )
        rows = self.env["grid.contact.number"].find_by_phone(value)
        return [("id", "in", rows.partner_id.ids)]

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("quiet_hours_start", "quiet_hours_end")
    def _check_quiet_hours(self):
        for partner in self:
            for hour in (partner.quiet_hours_start, partner.quiet_hours_end):
                if not 0 <= hour < 24:
                    raise ValidationError(
                        self.env._("Quiet hours must lie between 00:00 and 23:59.")
                    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def init(self):
        result = super().init()
        # Enforces the uniqueness under concurrent writes, which the check in
        # create and write cannot see; that check gives the readable message.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS res_partner_account_number_company_uniq
                ON res_partner (COALESCE(company_id, 0), account_number)
             WHERE account_number IS NOT NULL
            """
        )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("account_number"):
                self._check_account_number_free(
                    vals["account_number"],
                    vals.get(
                        "company_id", self.default_get(["company_id"]).get("company_id")
                    ),
                )
        partners = super().create(vals_list)
        with_phones = partners.filtered(lambda partner: partner.phone or partner.mobile)
        if with_phones:
            self.env["grid.contact.number"]._rebuild_for_partners(with_phones)
        return partners

    def write(self, vals):
        if vals.get("account_number") or (
            "company_id" in vals and any(self.mapped("account_number"))
        ):
            for partner in self:
                self._check_account_number_free(
                    vals.get("account_number", partner.account_number),
                    vals.get("company_id", partner.company_id.id),
                    exclude=partner,
                )
        result = super().write(vals)
        if any(field in vals for field in (*PHONE_FIELDS, "company_id")):
            self.env["grid.contact.number"]._rebuild_for_partners(self)
        return result

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_view_grid_interactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "grid_contact_center.grid_interaction_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_grid_open_desk(self):
        """Open the operator's desk for a new interaction with this consumer."""
        self.ensure_one()
        return self.env["grid.desk"]._action_open({"default_partner_id": self.id})

    def action_view_grid_service_points(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "grid_contact_center.grid_service_point_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _grid_quiet_hours_end(self, now, company):
        """Return the naive UTC time at which the consumer's quiet hours
        around the naive UTC ``now`` end, or None outside them. The hours
        are read in the consumer's time zone, else in ``company``'s.

        Notices by SMS and by call, and survey invitations by SMS, wait
        until this time.
        """
        self.ensure_one()
        return quiet_hours_end_utc(
            now,
            self.tz or company._grid_timezone(),
            self.quiet_hours_start,
            self.quiet_hours_end,
        )

    @api.model
    def _check_account_number_free(self, number, company_id, exclude=None):
        """Raise a ValidationError naming the consumer who already has the
        account number in the company. A unique index on the table also
        rejects the duplicate when two operators save at the same moment."""
        if not number:
            return
        holder = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("account_number", "=", number),
                    ("company_id", "=", company_id or False),
                    ("id", "!=", exclude.id if exclude else False),
                ],
                limit=1,
            )
        )
        if holder:
            raise ValidationError(
                self.env._(
                    "Account number %(number)s already belongs to %(consumer)s. "
                    "Open that consumer instead of registering a new one.",
                    number=number,
                    consumer=holder.display_name,
                )
            )
