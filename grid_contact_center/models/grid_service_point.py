import re

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

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
# "Ленина 5-14" finds "ул. Ленина, д. 5, кв. 14". Longer forms come first
# ("пр-т" before "пр"), and "Набережная" stays because it is also a street
# name.
_ADDRESS_NOISE = re.compile(
    r"\b(?:г|гор|город|пос|п|пгт|с|село|дер|д|ул|улица|пр-кт|пр-т|пр|проспект|"
    r"пер|переулок|ш|шоссе|б-р|бульвар|пл|площадь|наб|мкр|"
    r"корп|к|стр|строение|кв|квартира|дом)\b\.?",
    re.IGNORECASE,
)
_NON_WORD = re.compile(r"[^\w]+")
# Letters that start a word and run into digits, as operators type them:
# "к2", "кв45", "д118", "ленина5". Letters after a digit stay with it, because
# they belong to a house number ("118а", "118к2").
# NOTE: address_search_key is stored, so a change of this normalisation
# reaches existing service points only when their key is recomputed.
_LETTERS_BEFORE_DIGITS = re.compile(r"\b([^\W\d_]+)(?=\d)")
SEQUENCE_CODE = "grid.service.point"
# Full-text configuration without stemming or stop words, so that address
# words and numbers are matched as typed.
TSV_CONFIG = "simple"


def address_search_key(text):
    """Reduce an address or a typed query to lower-case words without
    punctuation or the usual abbreviations."""
    text = (text or "").lower().replace("ё", "е")
    text = _LETTERS_BEFORE_DIGITS.sub(r"\1 ", text)
    text = _ADDRESS_NOISE.sub(" ", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def address_tsquery(text, prefix=False):
    """Turn a typed address into a ``to_tsquery`` text, or "" when nothing is
    left of it. Every word must occur in the address, in any order. With
    ``prefix``, a word of letters may also be the start of a word, so that a
    street can be typed in part; a word with a digit always matches whole
    (house 5 does not match 15)."""
    terms = []
    for word in address_search_key(text).split():
        if prefix and not _has_digit(word):
            terms.append(f"{word}:*")
        else:
            terms.append(word)
    return " & ".join(terms)


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
        default=lambda self: self.env._("New"),
        help="Identifier of the service point in the grid company's records; "
        "a new service point without one gets the next number of the company's "
        "sequence.",
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
    phone = fields.Char(
        help="Telephone at the service point, if it has its own.",
        groups="grid_contact_center.group_operator,grid_contact_center.group_dispatcher",
    )
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
        tsquery = self._address_tsquery_with_matches(value)
        if not tsquery:
            return [("name", "=", value.strip())]
        return expression.OR(
            [
                [("name", "=", value.strip())],
                [("id", "in", self._address_match_query(tsquery))],
            ]
        )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def init(self):
        result = super().init()
        # The address lookup finds a fully typed address through the btree
        # index and matches words through the full-text one. The trigram
        # index of address_search_key serves "contains" searches.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS grid_service_point_address_key_idx "
            "ON grid_service_point (address_search_key)"
        )
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS grid_service_point_address_tsv_idx "
                "ON grid_service_point USING gin "
                "(to_tsvector(%s::regconfig, COALESCE(address_search_key, '')))",
                TSV_CONFIG,
            )
        )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        new = self.env._("New")
        sequences = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if vals.get("name", new) == new:
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = sequences.with_company(company).next_by_code(
                    SEQUENCE_CODE
                ) or self.env._("New")
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

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    @api.model
    def _address_match_query(self, tsquery):
        return SQL(
            "(SELECT id FROM grid_service_point WHERE to_tsvector(%s::regconfig, "
            "COALESCE(address_search_key, '')) @@ to_tsquery(%s::regconfig, %s))",
            TSV_CONFIG,
            TSV_CONFIG,
            tsquery,
        )

    @api.model
    def _address_tsquery_with_matches(self, text):
        """Return the tsquery of ``text`` with whole words if any address
        matches it, else the one where words of letters match prefixes.

        Whole words come first because the full-text index finds them by
        skipping through the rarest word's entries, while a prefix such as
        "калининград:*" makes it read every entry of a large town.
        """
        exact = address_tsquery(text)
        if not exact:
            return ""
        self.env.cr.execute(SQL("SELECT EXISTS %s", self._address_match_query(exact)))
        if self.env.cr.fetchone()[0]:
            return exact
        return address_tsquery(text, prefix=True)

    @api.model
    def find_by_address(self, text, limit=20, company=None):
        """Return the service points whose address contains every word of
        ``text``, best match first.

        The addresses equal to the typed one, abbreviations and punctuation
        aside, are returned alone. Otherwise every word must match a whole
        word, in any order, and when no address has them all, words of
        letters match the start of a word (a street typed in part). An
        address with the typed words in the typed order comes first, then
        one with the typed numbers in the typed order (house 81, apartment
        24 before house 24, apartment 81), then the shortest. Record rules
        apply, and ``company`` limits the result to its service points.
        """
        exact = address_tsquery(text)
        if not exact:
            return self.browse()
        company_domain = [("company_id", "=", company.id)] if company else []
        same = self.search_fetch(
            [("address_search_key", "=", address_search_key(text)), *company_domain],
            ["partner_id", "full_address"],
            limit=limit,
            order="id",
        )
        if same:
            return same
        points = self._find_by_address(text, exact, limit, company_domain)
        prefix = address_tsquery(text, prefix=True)
        if not points and prefix != exact:
            points = self._find_by_address(text, prefix, limit, company_domain)
        return points

    @api.model
    def _find_by_address(self, text, tsquery, limit, domain=()):
        key = address_search_key(text)
        numbers = " ".join(word for word in key.split() if _has_digit(word))
        query = self._search(list(domain))
        address = self._field_to_sql(self._table, "address_search_key", query)
        query.add_where(
            SQL(
                "to_tsvector(%s::regconfig, COALESCE(%s, '')) "
                "@@ to_tsquery(%s::regconfig, %s)",
                TSV_CONFIG,
                address,
                TSV_CONFIG,
                tsquery,
            )
        )
        padded = SQL("' ' || %s || ' '", address)
        query.order = SQL(
            "%s = %s DESC, strpos(%s, %s) > 0 DESC, strpos(%s, %s) > 0 DESC, "
            "length(%s), %s",
            address,
            key,
            padded,
            f" {key} ",
            padded,
            f" {numbers} ",
            address,
            self._field_to_sql(self._table, "id", query),
        )
        query.limit = limit
        # The consumer comes in the same query, as every caller reads it.
        return self._fetch_query(
            query, self._determine_fields_to_fetch(["partner_id", "full_address"])
        )


def _has_digit(word):
    return any(char.isdigit() for char in word)
