from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.meter_readings import MAX_DECIMAL_DIGITS, MeterSpec

METER_STATES = [
    ("in_service", "In Service"),
    ("faulty", "Faulty"),
    ("removed", "Removed"),
]
# A register with more integer digits than this does not exist on electricity
# meters, and a wider one would overflow the reading columns.
MAX_INTEGER_DIGITS = 9


class GridMeter(models.Model):
    """An electricity meter (прибор учёта) installed at a service point."""

    _name = "grid.meter"
    _description = "Meter"
    _inherit = ["mail.thread"]
    _order = "service_point_id, name, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    name = fields.Char(
        string="Serial Number",
        required=True,
        index=True,
        copy=False,
        tracking=True,
        help="Serial number from the meter's nameplate, unique within a company.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    meter_type = fields.Char(
        string="Type",
        tracking=True,
        help="Type (model) of the meter as on its nameplate, e.g. Меркурий 201.8.",
    )
    service_point_id = fields.Many2one(
        "grid.service.point",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        check_company=True,
    )
    partner_id = fields.Many2one(
        related="service_point_id.partner_id", string="Consumer", store=True
    )
    zone_count = fields.Integer(
        string="Tariff Zones",
        required=True,
        default=1,
        tracking=True,
        help="Number of tariff zones (registers T1, T2, T3) the meter counts: "
        "1 for a single-rate meter, 2 for day and night, 3 for peak, "
        "half-peak and night.",
    )
    integer_digits = fields.Integer(
        required=True,
        default=6,
        tracking=True,
        help="Digits of the register before the decimal point. The register "
        "wraps to zero after its largest value (999999 for 6 digits).",
    )
    decimal_digits = fields.Integer(
        required=True,
        default=1,
        tracking=True,
        help="Digits of the register after the decimal point.",
    )
    multiplier = fields.Float(
        required=True,
        default=1.0,
        tracking=True,
        help="Ratio of the current transformers the meter is connected "
        "through (40 for 200/5 A), 1 for a direct-connected meter. "
        "Consumption is the register difference times this ratio.",
    )
    installation_date = fields.Date(tracking=True)
    verification_date = fields.Date(
        string="Last Verification",
        tracking=True,
        help="Date of the last metrological verification (поверка).",
    )
    verification_interval = fields.Integer(
        string="Verification Interval (Years)",
        default=16,
        tracking=True,
        help="Years between verifications, from the type approval of the meter.",
    )
    next_verification_date = fields.Date(
        compute="_compute_next_verification_date",
        store=True,
        index=True,
        string="Next Verification Due",
    )
    is_verification_overdue = fields.Boolean(
        string="Verification Overdue",
        compute="_compute_is_verification_overdue",
        search="_search_is_verification_overdue",
    )
    state = fields.Selection(
        METER_STATES, required=True, default="in_service", tracking=True, index=True
    )
    reading_ids = fields.One2many(
        "grid.meter.reading", "meter_id", string="Readings", readonly=True
    )
    reading_count = fields.Integer(compute="_compute_reading_count")

    _sql_constraints = [
        (
            "name_company_unique",
            "unique (name, company_id)",
            "A meter with this serial number already exists in this company.",
        ),
        (
            "zone_count_range",
            "check (zone_count between 1 and 3)",
            "A meter has 1, 2 or 3 tariff zones.",
        ),
        (
            "integer_digits_range",
            f"check (integer_digits between 1 and {MAX_INTEGER_DIGITS})",
            "The register has 1 to 9 integer digits.",
        ),
        (
            "decimal_digits_range",
            f"check (decimal_digits between 0 and {MAX_DECIMAL_DIGITS})",
            "The register has 0 to 3 decimal digits.",
        ),
        (
            "multiplier_positive",
            "check (multiplier > 0)",
            "The multiplier must be greater than zero.",
        ),
        (
            "verification_interval_positive",
            "check (verification_interval > 0)",
            "The verification interval must be at least one year.",
        ),
    ]

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("verification_date", "verification_interval")
    def _compute_next_verification_date(self):
        for meter in self:
            if meter.verification_date and meter.verification_interval:
                meter.next_verification_date = meter.verification_date + relativedelta(
                    years=meter.verification_interval
                )
            else:
                meter.next_verification_date = False

    @api.depends("next_verification_date")
    def _compute_is_verification_overdue(self):
        today = fields.Date.context_today(self)
        for meter in self:
            meter.is_verification_overdue = bool(
                meter.next_verification_date and meter.next_verification_date < today
            )

    def _search_is_verification_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._("Filter meters with an overdue verification by yes or no.")
            )
        overdue = [("next_verification_date", "<", fields.Date.context_today(self))]
        if (operator == "=") == value:
            return overdue
        return ["!", *overdue]

    def _compute_reading_count(self):
        if not self.env["grid.meter.reading"].has_access("read"):
            # Dispatchers see meters but not their readings.
            self.reading_count = 0
            return
        counts = dict(
            self.env["grid.meter.reading"]._read_group(
                [("meter_id", "in", self.ids)], ["meter_id"], ["__count"]
            )
        )
        for meter in self:
            meter.reading_count = counts.get(meter, 0)

    @api.depends("name", "meter_type")
    def _compute_display_name(self):
        for meter in self:
            if meter.meter_type:
                meter.display_name = f"{meter.name} ({meter.meter_type})"
            else:
                meter.display_name = meter.name

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("installation_date")
    def _check_installation_date(self):
        for meter in self:
            if (
                meter.installation_date
                and meter.installation_date > fields.Date.context_today(meter)
            ):
                raise ValidationError(
                    self.env._(
                        "Meter %(meter)s cannot be installed in the future (%(date)s).",
                        meter=meter.name,
                        date=meter.installation_date,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        register_fields = {"zone_count", "integer_digits", "decimal_digits"}
        if register_fields & vals.keys():
            with_readings = self.env["grid.meter.reading"]._read_group(
                [("meter_id", "in", self.ids)], ["meter_id"]
            )
            read = self.browse([meter.id for (meter,) in with_readings])
            changed = read.filtered(
                lambda meter: any(
                    field in vals and meter[field] != vals[field]
                    for field in register_fields
                )
            )
            if changed:
                raise UserError(
                    self.env._(
                        "Meters %(meters)s already have readings, so their zones "
                        "and register digits cannot change: record the "
                        "replacement as a new meter.",
                        meters=", ".join(changed.mapped("name")),
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_view_readings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "grid_contact_center.grid_meter_reading_action"
        )
        action["domain"] = [("meter_id", "=", self.id)]
        action["context"] = {"default_meter_id": self.id}
        return action

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _grid_specs(self):
        """Return ``{meter id: MeterSpec}``: what the plausibility rules need
        to know about each meter, read field by field for all meters at once."""
        columns = zip(
            self.ids,
            self.mapped("zone_count"),
            self.mapped("integer_digits"),
            self.mapped("decimal_digits"),
            self.mapped("multiplier"),
            self.mapped("installation_date"),
            self.mapped("next_verification_date"),
            strict=True,
        )
        return {
            meter_id: MeterSpec(
                zone_count=zone_count,
                integer_digits=integer_digits,
                decimal_digits=decimal_digits,
                multiplier=multiplier,
                installation_date=installed or None,
                next_verification_date=next_verification or None,
            )
            for (
                meter_id,
                zone_count,
                integer_digits,
                decimal_digits,
                multiplier,
                installed,
                next_verification,
            ) in columns
        }
