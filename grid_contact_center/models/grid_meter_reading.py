import logging
from datetime import timedelta

import pytz
from psycopg2.extras import Json as PsycopgJson

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.misc import format_date

from ..tools.meter_readings import (
    INFO,
    REVIEW,
    STATE_ACCEPTED,
    ZONES,
    History,
    PreviousReading,
    ReadingInputError,
    billing_period,
    check_input,
    evaluate,
    jsonable_params,
    parse_date,
    parse_value,
)

_logger = logging.getLogger(__name__)

SOURCES = [
    ("operator", "Operator"),
    ("ivr", "IVR"),
    ("website", "Website"),
    ("api", "API"),
    ("import", "File Import"),
    ("remote", "Remote Reading"),
]
READING_STATES = [
    ("accepted", "Accepted"),
    ("review", "Needs Review"),
    ("rejected", "Rejected"),
]
WINDOW_STATUSES = [
    ("in_window", "In the Window"),
    ("early", "Before the Window"),
    ("late", "Late"),
]
VALUE_FIELDS = ("value_t1", "value_t2", "value_t3")
# Fields that make up a reading as received. They never change after
# creation, so that billing and the history of the meter stay consistent.
RECEIVED_FIELDS = {
    "meter_id",
    "company_id",
    "service_point_id",
    "partner_id",
    "reading_date",
    "received_at",
    "source",
    *VALUE_FIELDS,
}
# Fields that operators may change on a stored reading. The others change only
# through the review actions of supervisors.
OPERATOR_WRITABLE_FIELDS = {"interaction_id"}
# Finding parameters that hold dates, kept as ISO strings in ``findings``.
DATE_PARAMS = {
    "date",
    "today",
    "installation_date",
    "last_date",
    "previous_date",
    "due_date",
}
# Columns that _grid_insert() fills from the prepared values of a reading.
INSERT_FIELDS = {
    "meter_id",
    "company_id",
    "service_point_id",
    "partner_id",
    "reading_date",
    "received_at",
    *VALUE_FIELDS,
    "source",
    "interaction_id",
    "api_key_id",
    "state",
    "findings",
    "reason_codes",
    "has_warning",
    "previous_date",
    "previous_value_t1",
    "previous_value_t2",
    "previous_value_t3",
    "days",
    "consumption_t1",
    "consumption_t2",
    "consumption_t3",
    "consumption_total",
    "period_start",
    "window_status",
}
# Rows per INSERT statement of _grid_insert(), the batch that create() uses
# too (odoo.models.INSERT_BATCH_SIZE).
INSERT_ROWS = 100
# Fields of a reading that _grid_register() returns with each result.
RESULT_VALUES = (
    "state",
    "period_start",
    "days",
    "consumption_t1",
    "consumption_t2",
    "consumption_t3",
    "consumption_total",
)
# Registration results besides the reading states.
DUPLICATE = "duplicate"
ERROR = "error"


class GridMeterReading(models.Model):
    """A reading of a meter's registers, as received from a consumer or a
    remote reading system, with the result of the plausibility rules."""

    _name = "grid.meter.reading"
    _description = "Meter Reading"
    _order = "reading_date desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    # Searches by meter use the unique index that starts with meter_id.
    meter_id = fields.Many2one("grid.meter", required=True, ondelete="restrict")
    # The company, service point and consumer of the meter when the reading
    # was received, kept if the meter or the service point changes later.
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    service_point_id = fields.Many2one(
        "grid.service.point", readonly=True, index=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Consumer",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
    )
    zone_count = fields.Integer(related="meter_id.zone_count")
    reading_date = fields.Date(
        required=True,
        index=True,
        default=lambda self: self.env.company._grid_today(),
        help="Date on which the registers were read.",
    )
    received_at = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        help="When the company received the reading; sets its billing period.",
    )
    value_t1 = fields.Float(string="T1", digits=(16, 3))
    value_t2 = fields.Float(string="T2", digits=(16, 3))
    value_t3 = fields.Float(string="T3", digits=(16, 3))
    source = fields.Selection(SOURCES, required=True, default="operator")
    interaction_id = fields.Many2one(
        "grid.interaction", index="btree_not_null", check_company=True
    )
    api_key_id = fields.Many2one(
        "grid.api.key",
        string="API Key",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    state = fields.Selection(READING_STATES, readonly=True, index=True, copy=False)
    findings = fields.Json(
        readonly=True, copy=False, help="Codes and values of the rules' results."
    )
    reason_codes = fields.Char(
        readonly=True, copy=False, help="Codes of the rules' results, space-separated."
    )
    reasons = fields.Text(compute="_compute_reasons")
    has_warning = fields.Boolean(readonly=True, copy=False)
    previous_date = fields.Date(
        readonly=True, copy=False, help="Date of the previous accepted reading."
    )
    previous_value_t1 = fields.Float(
        string="Previous T1", digits=(16, 3), readonly=True, copy=False
    )
    previous_value_t2 = fields.Float(
        string="Previous T2", digits=(16, 3), readonly=True, copy=False
    )
    previous_value_t3 = fields.Float(
        string="Previous T3", digits=(16, 3), readonly=True, copy=False
    )
    days = fields.Integer(
        string="Days Since Previous", readonly=True, copy=False, aggregator=None
    )
    consumption_t1 = fields.Float(
        string="Consumption T1 (kWh)", digits=(16, 3), readonly=True, copy=False
    )
    consumption_t2 = fields.Float(
        string="Consumption T2 (kWh)", digits=(16, 3), readonly=True, copy=False
    )
    consumption_t3 = fields.Float(
        string="Consumption T3 (kWh)", digits=(16, 3), readonly=True, copy=False
    )
    consumption_total = fields.Float(
        string="Consumption (kWh)", digits=(16, 3), readonly=True, copy=False
    )
    period_start = fields.Date(
        string="Billing Period",
        readonly=True,
        copy=False,
        help="First day of the billing month that the reading counts toward.",
    )
    window_status = fields.Selection(
        WINDOW_STATUSES, string="Reading Window", readonly=True, copy=False
    )
    window_description = fields.Char(compute="_compute_window_description")
    reviewed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    reviewed_at = fields.Datetime(readonly=True, copy=False)

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("meter_id.name", "reading_date")
    def _compute_display_name(self):
        for reading in self:
            date_text = (
                format_date(self.env, reading.reading_date)
                if reading.reading_date
                else ""
            )
            reading.display_name = f"{reading.meter_id.name or ''} {date_text}".strip()

    @api.depends("findings")
    def _compute_reasons(self):
        for reading in self:
            messages = [
                reading._grid_finding_message(finding)
                for finding in reading.findings or []
            ]
            reading.reasons = "\n".join(messages) or False

    @api.depends("company_id", "partner_id.consumer_category")
    def _compute_window_description(self):
        windows = self.env["grid.meter.reading.window"]._grid_for(self.company_id)
        for reading in self:
            window = windows.get(
                (reading.company_id.id, reading.partner_id.consumer_category)
            )
            reading.window_description = window._grid_describe() if window else False

    # ------------------------------------------------------------
    # Constraints and onchanges
    # ------------------------------------------------------------

    @api.onchange("meter_id", "reading_date", *VALUE_FIELDS)
    def _onchange_check_reading(self):
        """Show the operator the rules' result before the reading is saved."""
        for reading in self:
            if not reading.meter_id or not reading.reading_date:
                reading.update(self._grid_blank_result())
                continue
            values = reading._grid_form_values(reading.meter_id, reading)
            if not any(values):
                # Nothing typed yet: a form shows zero in empty number fields.
                reading.update(self._grid_blank_result())
                continue
            try:
                check_input(reading.meter_id._grid_specs()[reading.meter_id.id], values)
            except ReadingInputError as error:
                result = self._grid_blank_result()
                result["findings"] = [
                    {"code": error.code, "outcome": ERROR, "params": error.params}
                ]
                reading.update(result)
                continue
            candidate = {
                "meter": reading.meter_id,
                "reading_date": reading.reading_date,
                "values": values,
                "received_at": reading.received_at or fields.Datetime.now(),
            }
            (result,) = self._grid_evaluate([candidate], lock=False)
            reading.update(result)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def init(self):
        result = super().init()
        # The same meter, date and values are stored once. The check in
        # create() names the earlier reading, and this index also applies when
        # two requests store the same reading at the same moment.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS grid_meter_reading_values_uniq
                ON grid_meter_reading (
                    meter_id, reading_date, value_t1,
                    COALESCE(value_t2, -1), COALESCE(value_t3, -1)
                )
            """
        )
        # The last accepted reading of each meter, read for every new reading.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS grid_meter_reading_last_accepted_idx
                ON grid_meter_reading (meter_id, reading_date DESC, id DESC)
             WHERE state = 'accepted'
            """
        )
        # The export of a billing period.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS grid_meter_reading_period_idx
                ON grid_meter_reading (company_id, period_start, id)
             WHERE state = 'accepted'
            """
        )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        self._grid_prepare_create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        changed = RECEIVED_FIELDS & vals.keys()
        if changed and self:
            reading = self[:1]
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "The reading of %(date)s (%(state)s) cannot be changed once "
                    "received (%(fields)s). Record a new reading; a supervisor "
                    "rejects the wrong one if it still needs review.",
                    date=format_date(self.env, reading.reading_date),
                    state=states.get(reading.state, reading.state),
                    fields=", ".join(
                        self._fields[name].get_description(self.env)["string"]
                        for name in sorted(changed)
                    ),
                )
            )
        if (
            vals.keys() - OPERATOR_WRITABLE_FIELDS
            and not self.env.su
            and not self.env.user.has_group("grid_contact_center.group_supervisor")
        ):
            raise AccessError(
                self.env._(
                    "Only supervisors accept or reject readings; operators can "
                    "only link a reading to an interaction."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_previous(self):
        """Keep accepted readings that later readings were judged against,
        because the consumption of those starts from them."""
        accepted = self.filtered(lambda reading: reading.state == STATE_ACCEPTED)
        if not accepted:
            return
        later = self.search(
            [
                ("meter_id", "in", accepted.meter_id.ids),
                ("previous_date", "in", accepted.mapped("reading_date")),
                ("state", "!=", "rejected"),
                ("id", "not in", self.ids),
            ]
        )
        starts = {(reading.meter_id, reading.previous_date) for reading in later}
        kept = accepted.filtered(
            lambda reading: (reading.meter_id, reading.reading_date) in starts
        )
        if kept:
            raise UserError(
                self.env._(
                    "Readings %(readings)s are the previous readings of later "
                    "ones, so they cannot be deleted.",
                    readings=", ".join(kept.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_accept(self):
        """Accept readings that need review, after a supervisor checked them
        with the consumer."""
        self._grid_check_reviewable()
        last = self._grid_last_accepted(self.meter_id)
        for reading in self:
            previous = last.get(reading.meter_id.id)
            previous_date = previous.reading_date if previous else None
            if previous_date != (reading.previous_date or None):
                raise UserError(
                    self.env._(
                        "Meter %(meter)s got another accepted reading (%(date)s) "
                        "after %(reading)s was checked, so its consumption is out "
                        "of date: reject it and record the reading again.",
                        meter=reading.meter_id.name,
                        date=format_date(self.env, previous_date),
                        reading=reading.display_name,
                    )
                )
        self.write(
            {
                "state": "accepted",
                "reviewed_by_id": self.env.uid,
                "reviewed_at": fields.Datetime.now(),
            }
        )

    def action_reject(self):
        """Reject readings that need review."""
        self._grid_check_reviewable()
        self.write(
            {
                "state": "rejected",
                "reviewed_by_id": self.env.uid,
                "reviewed_at": fields.Datetime.now(),
            }
        )

    def _grid_check_reviewable(self):
        others = self.filtered(lambda reading: reading.state != REVIEW)
        if others:
            raise UserError(
                self.env._(
                    "Only readings that need review can be accepted or rejected "
                    "by hand: %(readings)s.",
                    readings=", ".join(others.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------
    # Business methods: registration
    # ------------------------------------------------------------

    @api.model
    def _grid_register(self, rows, source, company, api_key=None):
        """Validate and store a batch of readings received as raw data.

        ``rows`` are dicts with ``meter`` (serial number), ``date``,
        ``values`` (``{"t1": ..., "t2": ..., "t3": ...}``) and optionally
        ``interaction`` (registration number), as strings or numbers. Returns
        one dict per row, in order: ``status`` (``accepted``, ``review``,
        ``rejected``, ``duplicate`` or ``error``), ``reading`` (the stored or
        earlier reading, or None), ``findings`` and, with a reading, its
        ``values`` (state, billing period, days and consumption). Rows with
        an error are not stored. The queries do not grow with the number of
        rows.
        """
        meters = self._grid_meters_by_serial(rows, company)
        specs = (
            self.env["grid.meter"]
            .browse([meter.id for meter in meters.values()])
            ._grid_specs()
        )
        interactions = self._grid_interactions_by_number(rows, company)
        results = [None] * len(rows)
        candidates = []
        for index, row in enumerate(rows):
            try:
                vals = self._grid_parse_row(row, meters, specs, interactions, company)
            except ReadingInputError as error:
                results[index] = self._grid_error_result(error)
                continue
            vals["source"] = source
            if api_key:
                vals["api_key_id"] = api_key.id
            candidates.append((index, vals))

        earlier = self._grid_find_duplicates([vals for _index, vals in candidates])
        first_by_key = {}
        to_create = []
        for position, (index, vals) in enumerate(candidates):
            key = self._grid_duplicate_key(vals)
            if earlier[position]:
                results[index] = self._grid_duplicate_result(earlier[position])
            elif key in first_by_key:
                results[index] = {"status": DUPLICATE, "first_row": first_by_key[key]}
            else:
                first_by_key[key] = index
                to_create.append((index, vals))

        vals_list = [vals for _index, vals in to_create]
        self._grid_prepare_create(vals_list, known_new=True)
        readings = self._grid_insert(vals_list)
        by_row = {}
        for (index, vals), reading in zip(to_create, readings, strict=True):
            by_row[index] = reading
            results[index] = {
                "status": vals["state"],
                "reading": reading,
                "findings": vals["findings"],
                "values": {name: vals[name] for name in RESULT_VALUES},
            }
        for result in results:
            if result["status"] == DUPLICATE and "first_row" in result:
                reading = by_row[result.pop("first_row")]
                result.update(self._grid_duplicate_result(reading))
        return results

    @api.model
    def _grid_insert(self, vals_list):
        """Insert readings prepared by _grid_prepare_create() with one
        statement and return them.

        Batches from the endpoint and from files take this path because
        create() spends more time per record on defaults, conversions and the
        cache than the rules do. It checks the same access rights, fills the
        same columns and marks the same fields as modified as create().
        NOTE: overrides of create() do not see these readings; extend
        _grid_prepare_create() to change what every reading gets.
        """
        if not vals_list:
            return self.browse()
        self.check_access("create")
        companies = {vals["company_id"] for vals in vals_list}
        if not self.env.su and not companies <= set(self.env.companies.ids):
            raise AccessError(
                self.env._("Readings can only be registered in your companies.")
            )
        now = self.env.cr.now()
        common = {
            "create_uid": self.env.uid,
            "create_date": now,
            "write_uid": self.env.uid,
            "write_date": now,
        }
        columns = sorted(INSERT_FIELDS | common.keys())
        fields_in_order = [self._fields[name] for name in columns]
        # One placeholder per column: the values go as parameters, so that
        # nothing from a reading ends up in the text of the statement.
        placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
        rows = []
        for vals in vals_list:
            unknown = vals.keys() - INSERT_FIELDS
            if unknown:
                raise ValueError(f"Fields not stored by _grid_insert: {unknown}")
            row = {**common, **vals}
            rows.append(
                SQL(
                    placeholders,
                    *(
                        _column_value(field, row.get(field.name))
                        for field in fields_in_order
                    ),
                )
            )
        column_names = SQL(", ").join(SQL.identifier(name) for name in columns)
        ids = []
        for start in range(0, len(rows), INSERT_ROWS):
            self.env.cr.execute(
                SQL(
                    "INSERT INTO grid_meter_reading (%s) VALUES %s RETURNING id",
                    column_names,
                    SQL(", ").join(rows[start : start + INSERT_ROWS]),
                )
            )
            ids.extend(row_id for (row_id,) in self.env.cr.fetchall())
        readings = self.browse(ids)
        readings.modified(
            [name for name, field in self._fields.items() if field.store],
            create=True,
        )
        return readings

    @api.model
    def _grid_meters_by_serial(self, rows, company):
        serials = {
            self._grid_serial(row.get("meter")) for row in rows if isinstance(row, dict)
        } - {""}
        meters = self.env["grid.meter"].search_fetch(
            [("company_id", "=", company.id), ("name", "in", list(serials))],
            [
                "name",
                "state",
                "zone_count",
                "integer_digits",
                "decimal_digits",
                "multiplier",
                "installation_date",
                "next_verification_date",
                "company_id",
                "service_point_id",
            ],
        )
        return {meter.name: meter for meter in meters}

    @api.model
    def _grid_interactions_by_number(self, rows, company):
        numbers = {
            str(row["interaction"]).strip()
            for row in rows
            if isinstance(row, dict) and row.get("interaction")
        }
        if not numbers:
            return {}
        interactions = self.env["grid.interaction"].search_fetch(
            [("company_id", "=", company.id), ("name", "in", list(numbers))], ["name"]
        )
        return {interaction.name: interaction for interaction in interactions}

    @api.model
    def _grid_serial(self, raw):
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        return str(raw).strip() if raw is not None else ""

    @api.model
    def _grid_parse_row(self, row, meters, specs, interactions, company):
        """Return the create values of one raw row, or raise ReadingInputError."""
        if not isinstance(row, dict):
            raise ReadingInputError("item_invalid")
        if not isinstance(row.get("meter") or "", str | int | float) or isinstance(
            row.get("meter"), bool
        ):
            raise ReadingInputError("meter_invalid")
        serial = self._grid_serial(row.get("meter"))
        if not serial:
            raise ReadingInputError("meter_missing")
        meter = meters.get(serial)
        if meter is None:
            raise ReadingInputError(
                "meter_unknown", serial=serial, company=company.name
            )
        if meter.state != "in_service":
            raise ReadingInputError(
                "meter_not_in_service", serial=serial, state=meter.state
            )
        reading_date = parse_date(row.get("date"))
        raw_values = row.get("values") or {}
        if not isinstance(raw_values, dict):
            raise ReadingInputError("values_invalid")
        unknown = sorted(set(raw_values) - set(ZONES), key=str)
        if unknown:
            raise ReadingInputError(
                "zone_unknown", zones=", ".join(str(zone) for zone in unknown)
            )
        values = tuple(
            parse_value(raw_values.get(zone), index + 1)
            for index, zone in enumerate(ZONES)
        )
        check_input(specs[meter.id], values)
        vals = {
            "meter_id": meter.id,
            "reading_date": reading_date,
            **{
                name: value
                for name, value in zip(VALUE_FIELDS, values, strict=True)
                if value is not None
            },
        }
        number = row.get("interaction")
        if number:
            number = str(number).strip()
            interaction = interactions.get(number)
            if interaction is None:
                raise ReadingInputError(
                    "interaction_unknown", number=number, company=company.name
                )
            vals["interaction_id"] = interaction.id
        return vals

    def _grid_error_result(self, error):
        return {
            "status": ERROR,
            "reading": None,
            "findings": [
                {
                    "code": error.code,
                    "outcome": ERROR,
                    "params": jsonable_params(error.params),
                }
            ],
        }

    def _grid_duplicate_result(self, reading):
        values = {name: reading[name] for name in RESULT_VALUES}
        for zone in range(reading.meter_id.zone_count + 1, len(ZONES) + 1):
            values[f"consumption_t{zone}"] = False
        return {
            "status": DUPLICATE,
            "reading": reading,
            "values": values,
            "findings": [
                {
                    "code": DUPLICATE,
                    "outcome": INFO,
                    "params": {
                        "reading": reading.id,
                        "state": reading.state,
                        "received_at": fields.Datetime.to_string(reading.received_at),
                    },
                }
            ],
        }

    # ------------------------------------------------------------
    # Business methods: rules
    # ------------------------------------------------------------

    @api.model
    def _grid_prepare_create(self, vals_list, known_new=False):
        """Check the input of new readings and fill in the rules' results.

        Raises ValidationError on input that cannot become a reading and on
        a reading that was already received, unless ``known_new`` tells that
        the caller has just looked for those.
        """
        meter_ids = {vals.get("meter_id") for vals in vals_list}
        if None in meter_ids or False in meter_ids:
            raise ValidationError(self.env._("Choose the meter of every reading."))
        # Records taken from one recordset share its prefetch: reading a
        # field of one meter loads it for all of them.
        meter_records = self.env["grid.meter"].browse(meter_ids)
        meters = {meter.id: meter for meter in meter_records}
        specs = meter_records._grid_specs()
        candidates = []
        for vals in vals_list:
            meter = meters[vals["meter_id"]]
            values = self._grid_form_values(meter, vals)
            for name, value in zip(VALUE_FIELDS, values, strict=True):
                vals[name] = value if value is not None else False
            if meter.state != "in_service":
                raise ValidationError(
                    self._grid_finding_message(
                        {
                            "code": "meter_not_in_service",
                            "params": {"serial": meter.name, "state": meter.state},
                        }
                    )
                )
            try:
                check_input(specs[meter.id], values)
            except ReadingInputError as error:
                raise ValidationError(
                    self.env._(
                        "Reading of meter %(meter)s: %(error)s",
                        meter=meter.name,
                        error=self._grid_finding_message(
                            {"code": error.code, "params": error.params}
                        ),
                    )
                ) from error
            reading_date = fields.Date.to_date(
                vals.get("reading_date") or meter.company_id._grid_today()
            )
            received_at = fields.Datetime.to_datetime(
                vals.get("received_at") or fields.Datetime.now()
            )
            vals["reading_date"] = reading_date
            vals["received_at"] = received_at
            candidates.append(
                {
                    "meter": meter,
                    "reading_date": reading_date,
                    "values": values,
                    "received_at": received_at,
                }
            )
        earlier = (
            [self.browse()] * len(vals_list)
            if known_new
            else self._grid_find_duplicates(vals_list)
        )
        seen = set()
        for vals, reading in zip(vals_list, earlier, strict=True):
            key = self._grid_duplicate_key(vals)
            if reading:
                raise ValidationError(
                    self.env._(
                        "This reading of meter %(meter)s on %(date)s with the "
                        "same values was already received (reading %(reading)s).",
                        meter=meters[vals["meter_id"]].name,
                        date=format_date(self.env, vals["reading_date"]),
                        reading=reading.id,
                    )
                )
            if key in seen:
                raise ValidationError(
                    self.env._(
                        "The reading of meter %(meter)s on %(date)s with the same "
                        "values is entered twice.",
                        meter=meters[vals["meter_id"]].name,
                        date=format_date(self.env, vals["reading_date"]),
                    )
                )
            seen.add(key)
        for vals, result in zip(
            vals_list, self._grid_evaluate(candidates, lock=True), strict=True
        ):
            vals.update(result)

    @api.model
    def _grid_form_values(self, meter, source):
        """Return the register values of ``source`` (create values or a
        record) as a tuple with None for empty zones. Zones beyond the meter's
        count read as empty when they hold zero, the value a form sends for
        a hidden number field."""
        values = []
        for index, name in enumerate(VALUE_FIELDS):
            value = source[name] if name in source else None
            if value is False:
                value = None
            if index >= meter.zone_count and not value:
                value = None
            values.append(value)
        return tuple(values)

    @api.model
    def _grid_duplicate_key(self, vals):
        return (
            vals["meter_id"],
            fields.Date.to_date(vals["reading_date"]),
            *(round(vals.get(name) or 0.0, 3) for name in VALUE_FIELDS),
        )

    @api.model
    def _grid_find_duplicates(self, vals_list):
        """Return, for each of ``vals_list``, the stored reading with the same
        meter, date and values, or an empty recordset."""
        if not vals_list:
            return []
        pairs = {
            (vals["meter_id"], fields.Date.to_date(vals["reading_date"]))
            for vals in vals_list
        }
        self.flush_model(["meter_id", "reading_date", *VALUE_FIELDS])
        meter_ids, dates = zip(*pairs, strict=True)
        self.env.cr.execute(
            SQL(
                """
                SELECT r.id, r.meter_id, r.reading_date,
                       r.value_t1, r.value_t2, r.value_t3
                  FROM grid_meter_reading r
                  JOIN unnest(%s::int[], %s::date[]) AS batch(meter_id, reading_date)
                    ON batch.meter_id = r.meter_id
                   AND batch.reading_date = r.reading_date
                """,
                list(meter_ids),
                list(dates),
            )
        )
        stored = {}
        for reading_id, meter_id, reading_date, *values in self.env.cr.fetchall():
            key = (meter_id, reading_date, *(round(v or 0.0, 3) for v in values))
            stored.setdefault(key, reading_id)
        return [
            self.browse(stored.get(self._grid_duplicate_key(vals)))
            for vals in vals_list
        ]

    @api.model
    def _grid_evaluate(self, candidates, lock):
        """Apply the rules to new readings and return their create values.

        ``candidates`` are dicts with ``meter``, ``reading_date``, ``values``
        and ``received_at``. The readings of one meter are judged in date
        order, each accepted one becoming the previous reading of the next.
        With ``lock``, the meters' rows are locked and rewritten until the
        transaction ends. A second transaction with readings of the same
        meters then waits, and fails with a serialization error once the
        first one commits, because its snapshot does not show the first
        one's readings. Odoo retries a request that fails this way.
        """
        meters = self.env["grid.meter"].browse(
            {candidate["meter"].id for candidate in candidates}
        )
        if lock:
            # Locking in id order keeps two batches from deadlocking. The
            # rewrite is what a concurrent lock in REPEATABLE READ reports
            # as a serialization error; a bare lock would not be.
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM grid_meter WHERE id = ANY(%s) "
                    "ORDER BY id FOR NO KEY UPDATE",
                    meters.ids,
                )
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE grid_meter SET write_date = write_date WHERE id = ANY(%s)",
                    meters.ids,
                )
            )
        previous_by_meter = self._grid_last_accepted(meters)
        history_by_meter = self._grid_history(meters, previous_by_meter)
        companies = meters.company_id
        windows = {
            key: window._grid_rule()
            for key, window in self.env["grid.meter.reading.window"]
            ._grid_for(companies)
            .items()
        }
        settings = {
            company.id: company._grid_reading_rule_settings() for company in companies
        }
        timezones = {company.id: company._grid_timezone() for company in companies}
        now = pytz.utc.localize(fields.Datetime.now())
        today = {
            company_id: now.astimezone(timezone).date()
            for company_id, timezone in timezones.items()
        }
        specs = meters._grid_specs()
        # Loads only the columns needed, not every field of the consumers.
        meters.service_point_id.fetch(["partner_id"])
        meters.service_point_id.partner_id.fetch(["consumer_category"])
        # (company, service point, consumer, consumer category) of each meter
        owners = {
            meter.id: (
                meter.company_id.id,
                meter.service_point_id.id,
                meter.service_point_id.partner_id.id,
                meter.service_point_id.partner_id.consumer_category,
            )
            for meter in meters
        }

        results = [None] * len(candidates)
        order = sorted(
            range(len(candidates)),
            key=lambda index: (
                candidates[index]["meter"].id,
                candidates[index]["reading_date"],
                index,
            ),
        )
        for index in order:
            candidate = candidates[index]
            meter_id = candidate["meter"].id
            company_id, point_id, partner_id, category = owners[meter_id]
            previous = previous_by_meter.get(meter_id)
            history = history_by_meter.get(meter_id, History())
            evaluation = evaluate(
                specs[meter_id],
                candidate["reading_date"],
                candidate["values"],
                today[company_id],
                previous,
                history,
                settings[company_id],
            )
            window = windows.get((company_id, category))
            received_date = (
                pytz.utc.localize(candidate["received_at"])
                .astimezone(timezones[company_id])
                .date()
            )
            period_start, window_status = billing_period(
                candidate["reading_date"], received_date, window
            )
            findings = [
                {
                    "code": finding.code,
                    "outcome": finding.outcome,
                    "params": jsonable_params(finding.params),
                }
                for finding in evaluation.findings
            ]
            if window_status == "late":
                params = {"period": period_start, "day": window.transmit_day}
                findings.append(
                    {
                        "code": "window_late",
                        "outcome": INFO,
                        "params": jsonable_params(params),
                    }
                )
            elif window_status == "early":
                findings.append(
                    {
                        "code": "window_early",
                        "outcome": INFO,
                        "params": {"day": window.first_day},
                    }
                )
            results[index] = self._grid_result_vals(
                evaluation, previous, findings, period_start, window_status
            )
            results[index].update(
                company_id=company_id,
                service_point_id=point_id,
                partner_id=partner_id,
            )
            if evaluation.state == STATE_ACCEPTED:
                previous_by_meter[meter_id] = PreviousReading(
                    candidate["reading_date"], candidate["values"]
                )
                if evaluation.consumption is not None:
                    history_by_meter[meter_id] = history.add(
                        evaluation.total, evaluation.days
                    )
        return results

    @api.model
    def _grid_result_vals(
        self, evaluation, previous, findings, period_start, window_status
    ):
        consumption = evaluation.consumption or (None, None, None)
        previous_values = previous.values if previous else (None, None, None)
        vals = {
            "state": evaluation.state,
            "findings": findings,
            "reason_codes": " ".join(finding["code"] for finding in findings) or False,
            "has_warning": any(finding["outcome"] == "warning" for finding in findings),
            "previous_date": previous.reading_date if previous else False,
            "days": evaluation.days or 0,
            "consumption_total": (
                evaluation.total if evaluation.total is not None else False
            ),
            "period_start": period_start,
            "window_status": window_status,
        }
        for zone, (used, before) in enumerate(
            zip(consumption, previous_values, strict=True), start=1
        ):
            vals[f"consumption_t{zone}"] = used if used is not None else False
            vals[f"previous_value_t{zone}"] = before if before is not None else False
        return vals

    @api.model
    def _grid_blank_result(self):
        return {
            "state": False,
            "findings": False,
            "reason_codes": False,
            "has_warning": False,
            "previous_date": False,
            "days": 0,
            "consumption_total": 0.0,
            "period_start": False,
            "window_status": False,
            **{f"consumption_t{zone}": False for zone in (1, 2, 3)},
            **{f"previous_value_t{zone}": False for zone in (1, 2, 3)},
        }

    @api.model
    def _grid_last_accepted(self, meters):
        """Return ``{meter id: PreviousReading}`` of the last accepted reading
        of each meter that has one."""
        if not meters:
            return {}
        self.flush_model(["meter_id", "reading_date", "state", *VALUE_FIELDS])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (meter_id)
                       meter_id, reading_date, value_t1, value_t2, value_t3
                  FROM grid_meter_reading
                 WHERE state = 'accepted' AND meter_id = ANY(%s)
                 ORDER BY meter_id, reading_date DESC, id DESC
                """,
                meters.ids,
            )
        )
        return {
            meter_id: PreviousReading(reading_date, tuple(values))
            for meter_id, reading_date, *values in self.env.cr.fetchall()
        }

    @api.model
    def _grid_history(self, meters, previous_by_meter):
        """Return ``{meter id: History}``: the accepted consumption of each
        meter over its company's history period before its last reading."""
        meter_ids, since = [], []
        for meter in meters:
            previous = previous_by_meter.get(meter.id)
            if previous is None:
                continue
            meter_ids.append(meter.id)
            since.append(
                previous.reading_date
                - timedelta(days=meter.company_id.grid_reading_history_days)
            )
        if not meter_ids:
            return {}
        self.flush_model(["meter_id", "reading_date", "state", "days"])
        self.env.cr.execute(
            SQL(
                """
                SELECT r.meter_id, SUM(r.consumption_total), SUM(r.days)
                  FROM grid_meter_reading r
                  JOIN unnest(%s::int[], %s::date[]) AS batch(meter_id, since)
                    ON batch.meter_id = r.meter_id
                 WHERE r.state = 'accepted'
                   AND r.days > 0
                   AND r.reading_date > batch.since
                 GROUP BY r.meter_id
                """,
                meter_ids,
                since,
            )
        )
        return {
            meter_id: History(consumption or 0.0, int(days or 0))
            for meter_id, consumption, days in self.env.cr.fetchall()
        }

    # ------------------------------------------------------------
    # Business methods: messages
    # ------------------------------------------------------------

    def _grid_finding_message(self, finding):
        """Return the translated sentence of one finding or input error."""
        params = dict(finding.get("params") or {})
        for key, value in params.items():
            if key in DATE_PARAMS and value:
                params[key] = format_date(self.env, fields.Date.to_date(value))
            elif isinstance(value, float):
                params[key] = _format_number(value)
        if params.get("period"):
            period = fields.Date.to_date(params["period"])
            params["period"] = format_date(self.env, period, date_format="LLLL yyyy")
        if "state" in params and finding["code"] == "meter_not_in_service":
            params["state"] = dict(
                self.env["grid.meter"]._fields["state"]._description_selection(self.env)
            ).get(params["state"], params["state"])
        if "state" in params and finding["code"] == DUPLICATE:
            params["state"] = dict(
                self._fields["state"]._description_selection(self.env)
            ).get(params["state"], params["state"])
        if "received_at" in params:
            params["received_at"] = fields.Datetime.to_string(
                fields.Datetime.context_timestamp(
                    self, fields.Datetime.to_datetime(params["received_at"])
                )
            )[:16]
        template = self._grid_message_templates().get(finding["code"])
        if template is None:
            _logger.warning("No message for the reading finding %s", finding["code"])
            return finding["code"]
        return template(params)

    def _grid_message_templates(self):
        return {
            # Input errors
            "item_invalid": lambda p: self.env._(
                "Each reading must be an object with a meter, a date and values."
            ),
            "meter_missing": lambda p: self.env._(
                "The meter's serial number is missing."
            ),
            "meter_invalid": lambda p: self.env._(
                "Give the meter's serial number as text or a number."
            ),
            "values_invalid": lambda p: self.env._(
                'Give the values per zone, such as {"t1": 1234.5, "t2": 567.8}.'
            ),
            "zone_unknown": lambda p: self.env._(
                "Unknown tariff zones %(zones)s: the zones are t1, t2 and t3.", **p
            ),
            "meter_unknown": lambda p: self.env._(
                "No meter with serial number %(serial)s in %(company)s.", **p
            ),
            "meter_not_in_service": lambda p: self.env._(
                "Meter %(serial)s is %(state)s and takes no readings.", **p
            ),
            "date_missing": lambda p: self.env._("The reading date is missing."),
            "date_invalid": lambda p: self.env._(
                "%(value)s is not a date: write it as 2026-02-24 or 24.02.2026.", **p
            ),
            "value_missing": lambda p: self.env._(
                "T%(zone)s has no value, and the meter has %(zone_count)s tariff "
                "zones.",
                **p,
            ),
            "value_invalid": lambda p: self.env._(
                "T%(zone)s: %(value)s is not a number.", **p
            ),
            "value_negative": lambda p: self.env._(
                "T%(zone)s: %(value)s is negative; a register shows no negative "
                "values.",
                **p,
            ),
            "value_too_large": lambda p: self.env._(
                "T%(zone)s: %(value)s does not fit the register of %(digits)s "
                "integer digits.",
                **p,
            ),
            "value_too_precise": lambda p: self.env._(
                "T%(zone)s: %(value)s has more decimal places than the register, "
                "which shows %(decimals)s.",
                **p,
            ),
            "value_extra_zone": lambda p: self.env._(
                "T%(zone)s has a value, but the meter has only %(zone_count)s "
                "tariff zones.",
                **p,
            ),
            "interaction_unknown": lambda p: self.env._(
                "No interaction with registration number %(number)s in %(company)s.",
                **p,
            ),
            DUPLICATE: lambda p: self.env._(
                "The same reading was already received at %(received_at)s "
                "(reading %(reading)s, %(state)s); it is stored once.",
                **p,
            ),
            # Rules
            "future_date": lambda p: self.env._(
                "The reading is dated %(date)s, after today (%(today)s).", **p
            ),
            "before_installation": lambda p: self.env._(
                "The reading is dated %(date)s, before the meter was installed on "
                "%(installation_date)s.",
                **p,
            ),
            "before_last_accepted": lambda p: self.env._(
                "The reading is dated %(date)s, before the last accepted reading of "
                "%(last_date)s; only later readings can be added.",
                **p,
            ),
            "same_date_accepted": lambda p: self.env._(
                "The meter already has an accepted reading on %(date)s with other "
                "values.",
                **p,
            ),
            "below_previous": lambda p: self.env._(
                "T%(zone)s: %(value)s is below the previous accepted reading "
                "%(previous)s of %(previous_date)s. A register that wrapped past "
                "zero would mean %(wrapped)s kWh, which is not plausible.",
                **p,
            ),
            "rollover": lambda p: self.env._(
                "T%(zone)s: the register wrapped past zero, from %(previous)s to "
                "%(value)s (%(wrapped)s kWh).",
                **p,
            ),
            "consumption_high": lambda p: self.env._(
                "Daily consumption of %(daily)s kWh is more than %(factor)s times "
                "the meter's average of %(average)s kWh a day: check the value "
                "with the consumer.",
                **p,
            ),
            "consumption_low": lambda p: self.env._(
                "Daily consumption of %(daily)s kWh is less than the meter's "
                "average of %(average)s kWh a day divided by %(factor)s: check the "
                "value with the consumer.",
                **p,
            ),
            "verification_overdue": lambda p: self.env._(
                "The meter's verification was due on %(due_date)s: the reading is "
                "accepted, and the meter needs a verification.",
                **p,
            ),
            "first_reading": lambda p: self.env._(
                "First reading of the meter: consumption is counted from the next "
                "reading."
            ),
            "window_late": lambda p: self.env._(
                "Received after the reading window, which closes at the end of "
                "day %(day)s: counts toward %(period)s.",
                **p,
            ),
            "window_early": lambda p: self.env._(
                "Taken before the reading window opens on day %(day)s of the month.",
                **p,
            ),
        }


def _format_number(value):
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _column_value(field, value):
    """Return the query parameter of a value for _grid_insert()."""
    if field.type == "boolean":
        return bool(value)
    if value is False or value is None:
        return None
    if field.type == "json":
        return PsycopgJson(value)
    return value
