from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.float_utils import float_round

# Total and decimal digits of the allowed voltage band, in volts.
VOLTAGE_DIGITS = (16, 2)
SYMPTOMS = [
    ("low_voltage", "Low Voltage"),
    ("high_voltage", "High Voltage"),
    ("fluctuation", "Voltage Fluctuation or Flicker"),
    ("phase_loss", "Loss of a Phase"),
    ("appliance_damage", "Damaged Appliances"),
    ("other", "Other"),
]
VERDICTS = [
    ("within", "Within the Allowed Band"),
    ("below", "Below the Allowed Band"),
    ("above", "Above the Allowed Band"),
    ("outside", "Below and Above the Allowed Band"),
]
ANSWER_CHANNELS = [
    ("letter", "Letter"),
    ("email", "E-mail"),
    ("phone", "Telephone"),
    ("personal_account", "Personal Account"),
]


class GridPowerQualityReport(models.Model):
    """The details of a complaint about power quality: what the consumer
    noticed and demands, and the voltage measured at the service point.

    The measurement is judged against the band that GOST 32144-2013 allows,
    the nominal voltage plus or minus the company's tolerance (10 % by
    default).
    """

    _name = "grid.power.quality.report"
    _description = "Power Quality Report"
    _order = "id desc"
    _rec_name = "interaction_id"

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
    partner_id = fields.Many2one(related="interaction_id.partner_id")
    service_point_id = fields.Many2one(related="interaction_id.service_point_id")
    answer_deadline = fields.Datetime(related="interaction_id.deadline")
    symptom = fields.Selection(SYMPTOMS, required=True, default="low_voltage")
    symptom_details = fields.Text(
        help="What happens, since when and at what times of day."
    )
    violation_at = fields.Datetime(
        string="Noticed At", help="When the consumer noticed the problem."
    )
    demands = fields.Text(help="What the consumer demands.")
    answer_channel = fields.Selection(
        ANSWER_CHANNELS,
        string="Answer By",
        help="How the consumer wants to receive the answer.",
    )
    measurement_requested = fields.Boolean(
        help="The consumer asked for the voltage to be measured at the service point."
    )
    measured_at = fields.Datetime()
    measured_by_id = fields.Many2one("res.users", string="Measured By")
    nominal_voltage = fields.Float(string="Nominal Voltage (V)", default=220.0)
    voltage_min = fields.Float(string="Lowest Measured Voltage (V)")
    voltage_max = fields.Float(string="Highest Measured Voltage (V)")
    band_low = fields.Float(
        string="Lowest Allowed Voltage (V)",
        digits=VOLTAGE_DIGITS,
        compute="_compute_verdict",
        store=True,
    )
    band_high = fields.Float(
        string="Highest Allowed Voltage (V)",
        digits=VOLTAGE_DIGITS,
        compute="_compute_verdict",
        store=True,
    )
    verdict = fields.Selection(
        VERDICTS,
        compute="_compute_verdict",
        store=True,
        help="Whether the measured voltage stays within the allowed band; empty "
        "until a voltage is measured.",
    )
    conclusion = fields.Text(help="What was found and done.")

    _sql_constraints = [
        (
            "interaction_unique",
            "unique (interaction_id)",
            "An interaction has one set of power-quality details.",
        ),
    ]

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends(
        "nominal_voltage",
        "voltage_min",
        "voltage_max",
        "company_id.grid_voltage_tolerance",
    )
    def _compute_verdict(self):
        for report in self:
            tolerance = (report.company_id or self.env.company).grid_voltage_tolerance
            # Rounded like the stored value, so that 230 V + 10 % is 253.0 and
            # not 253.00000000000003 in the comparison and over RPC.
            report.band_low = float_round(
                report.nominal_voltage * (1 - tolerance / 100.0),
                precision_digits=VOLTAGE_DIGITS[1],
            )
            report.band_high = float_round(
                report.nominal_voltage * (1 + tolerance / 100.0),
                precision_digits=VOLTAGE_DIGITS[1],
            )
            if not report.voltage_min and not report.voltage_max:
                report.verdict = False
                continue
            below = bool(report.voltage_min) and report.voltage_min < report.band_low
            above = bool(report.voltage_max) and report.voltage_max > report.band_high
            if below and above:
                report.verdict = "outside"
            elif below:
                report.verdict = "below"
            elif above:
                report.verdict = "above"
            else:
                report.verdict = "within"

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("nominal_voltage", "voltage_min", "voltage_max")
    def _check_voltages(self):
        for report in self:
            if report.nominal_voltage <= 0:
                raise ValidationError(
                    self.env._("The nominal voltage must be greater than zero.")
                )
            if report.voltage_min < 0 or report.voltage_max < 0:
                raise ValidationError(
                    self.env._("A measured voltage cannot be negative.")
                )
            if (
                report.voltage_min
                and report.voltage_max
                and report.voltage_min > report.voltage_max
            ):
                raise ValidationError(
                    self.env._(
                        "The lowest measured voltage %(low)s V is above the "
                        "highest %(high)s V.",
                        low=report.voltage_min,
                        high=report.voltage_max,
                    )
                )
