import re

from odoo import api, fields, models
from odoo.osv import expression

VOLTAGE_LEVELS = [
    ("lv", "LV (0.4 kV and below)"),
    ("mv2", "MV2 (1-20 kV)"),
    ("mv1", "MV1 (35 kV)"),
    ("hv", "HV (110 kV and above)"),
]
RELIABILITY_CATEGORIES = [("1", "I"), ("2", "II"), ("3", "III")]

# Russian address abbreviations, which the full address uses because it is
# read and printed in Russian whatever the user's language.
HOUSE_PREFIX = "д."
BUILDING_PREFIX = "корп."
APARTMENT_PREFIX = "кв."
# Words that people type or omit at will, left out of the search key so that
# "Ленина 5-14" finds "ул. Ленина, д. 5, кв. 14".
_ADDRESS_NOISE = re.compile(
    r"\b(?:г|гор|город|пос|п|пгт|с|село|дер|д|ул|улица|пр|пр-т|проспект|пер|"
    r"переулок|ш|шоссе|б-р|бульвар|пл|площадь|наб|набережная|мкр|"
    r"корп|к|стр|строение|кв|квартира|дом)\b\.?",
    re.IGNORECASE,
)
_NON_WORD = re.compile(r"[^\w]+")


def address_search_key(text):
    """Reduce an address or a typed query to lower-case words without
    punctuation or the usual abbreviations."""
    text = (text or "").lower().replace("ё", "е")
    text = _ADDRESS_NOISE.sub(" ", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


class GridServicePoint(models.Model):
    """A place where a consumer takes power (точка поставки)."""

    _name = "grid.service.point"
    _description = "Service Point"
    _inherit = ["mail.thread"]
    _order = "full_address, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    name = fields.Char(
        string="Code",
        required=True,
        index=True,
        copy=False,
        tracking=True,
        help="Identifier of the service point in the grid company's records.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Consumer",
        index=True,
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    settlement_id = fields.Many2one("grid.settlement", index=True, tracking=True)
    street = fields.Char(tracking=True)
    house = fields.Char(tracking=True)
    building = fields.Char(tracking=True)
    apartment = fields.Char(tracking=True)
    full_address = fields.Char(compute="_compute_full_address", store=True)
    address_search_key = fields.Char(
        compute="_compute_full_address", store=True, index="trigram"
    )
    voltage_level = fields.Selection(VOLTAGE_LEVELS, default="lv", tracking=True)
    reliability_category = fields.Selection(
        RELIABILITY_CATEGORIES,
        default="3",
        tracking=True,
        help="Category of supply reliability, which sets the longest interruption "
        "allowed (category III: 24 hours at a time, 72 hours a year).",
    )
    phone = fields.Char(help="Telephone at the service point, if it has its own.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "name_company_unique",
            "unique (name, company_id)",
            "A service point with this code already exists in this company.",
        ),
    ]

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("settlement_id.name", "street", "house", "building", "apartment")
    def _compute_full_address(self):
        for point in self:
            parts = [point.settlement_id.name, point.street]
            if point.house:
                parts.append(f"{HOUSE_PREFIX} {point.house}")
            if point.building:
                parts.append(f"{BUILDING_PREFIX} {point.building}")
            if point.apartment:
                parts.append(f"{APARTMENT_PREFIX} {point.apartment}")
            point.full_address = ", ".join(part for part in parts if part)
            point.address_search_key = address_search_key(point.full_address)

    @api.depends("name", "full_address")
    def _compute_display_name(self):
        for point in self:
            if point.full_address:
                point.display_name = f"{point.full_address} ({point.name})"
            else:
                point.display_name = point.name

    @api.model
    def _search_display_name(self, operator, value):
        """Match a code exactly or every word of an address, so that
        "ленина 5 14" finds "Калининград, ул. Ленина, д. 5, кв. 14"."""
        if operator not in ("ilike", "=", "=ilike") or not value:
            return super()._search_display_name(operator, value)
        words = address_search_key(value).split()
        if not words:
            return [("name", "=", value.strip())]
        address_domain = expression.AND(
            [[("address_search_key", "ilike", word)] for word in words]
        )
        return expression.OR([[("name", "=", value.strip())], address_domain])

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        points = super().create(vals_list)
        with_phone = points.filtered("phone")
        if with_phone:
            self.env["grid.contact.number"]._rebuild_for_service_points(with_phone)
        return points

    def write(self, vals):
        result = super().write(vals)
        if {"phone", "partner_id", "company_id"} & vals.keys():
            self.env["grid.contact.number"]._rebuild_for_service_points(self)
        return result
