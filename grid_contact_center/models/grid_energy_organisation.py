from odoo import fields, models

ORGANISATION_KINDS = [
    ("supplier_of_last_resort", "Supplier of Last Resort"),
    ("grid_company", "Grid Company"),
    ("retailer", "Electricity Retailer"),
    ("other", "Other"),
]


class GridEnergyOrganisation(models.Model):
    """An energy organisation of the company's territory whose contacts the
    contact center gives to callers (duty 1.5): the supplier of last resort,
    other grid companies and retailers, with the settlements they serve."""

    _name = "grid.energy.organisation"
    _description = "Energy Organisation"
    _order = "sequence, name"

    name = fields.Char(required=True, index="trigram")
    sequence = fields.Integer(default=10)
    kind = fields.Selection(ORGANISATION_KINDS, required=True, default="other")
    settlement_ids = fields.Many2many(
        "grid.settlement",
        string="Settlements Served",
        help="Where the organisation serves consumers; empty means the whole "
        "territory.",
    )
    serves_whole_territory = fields.Boolean(
        compute="_compute_serves_whole_territory",
        search="_search_serves_whole_territory",
    )
    services = fields.Char(
        help="What consumers turn to the organisation for, for example bills and "
        "supply contracts.",
    )
    phone = fields.Char()
    email = fields.Char()
    website = fields.Char()
    address = fields.Char()
    opening_hours = fields.Char()
    note = fields.Text()
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty for an organisation listed for every company.",
    )
    active = fields.Boolean(default=True)

    def _compute_serves_whole_territory(self):
        for organisation in self:
            organisation.serves_whole_territory = not organisation.settlement_ids

    def _search_serves_whole_territory(self, operator, value):
        empty = (operator == "=") == bool(value)
        return [("settlement_ids", "=" if empty else "!=", False)]

    def _for_settlement(self, settlement):
        """Return the active organisations that serve ``settlement``, those
        of the whole territory included."""
        if not settlement:
            return self.search([("settlement_ids", "=", False)])
        return self.search(
            [
                "|",
                ("settlement_ids", "in", settlement.ids),
                ("settlement_ids", "=", False),
            ]
        )
