from odoo import fields, models


class GridSettlement(models.Model):
    """A town or village of the company's territory, shared by the addresses
    of service points and by the directory of energy organisations."""

    _name = "grid.settlement"
    _description = "Settlement"
    _order = "name, district"

    name = fields.Char(required=True, index="trigram", translate=False)
    kind = fields.Selection(
        [
            ("city", "City"),
            ("town", "Urban-Type Settlement"),
            ("village", "Village"),
            ("other", "Other"),
        ],
        default="city",
        required=True,
    )
    district = fields.Char(help="Municipal district or city district.")
    region = fields.Char(help="Subject of the Russian Federation.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "name_district_unique",
            "unique (name, district, region)",
            "A settlement with this name already exists in this district.",
        ),
    ]

    def _compute_display_name(self):
        for settlement in self:
            parts = [settlement.name, settlement.district]
            settlement.display_name = ", ".join(part for part in parts if part)
