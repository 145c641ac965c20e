"""Plausibility rules for meter readings, free of Odoo so that every rule can
be tested on fixed dates alone.

``grid.meter.reading`` loads the meters, their last accepted readings and
their history in batches, calls :func:`evaluate` for each new reading and
turns the :class:`Finding` codes into translated messages.
"""

import math
import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

ZONES = ("t1", "t2", "t3")

# Outcomes of a finding, from the most to the least severe. The state of a
# reading is the most severe outcome among its findings.
REJECT = "rejected"
REVIEW = "review"
WARNING = "warning"
INFO = "info"

STATE_ACCEPTED = "accepted"

# Readings keep at most this many decimal places, whatever the register shows.
MAX_DECIMAL_DIGITS = 3

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y")


# ------------------------------------------------------------
# Input
# ------------------------------------------------------------


class ReadingInputError(ValueError):
    """Input that cannot become a reading, with a code and the values that the
    message about it needs."""

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


def parse_value(raw, zone):
    """Return a register value as a float, or None for an empty cell.

    Accepts numbers and strings with a point or a comma as the decimal
    separator and spaces between digit groups ("12 345,6").
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ReadingInputError("value_invalid", zone=zone, value=str(raw))
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        text = raw.strip().replace("\u00a0", "").replace(" ", "")
        if not _NUMBER.match(text):
            raise ReadingInputError("value_invalid", zone=zone, value=raw.strip())
        value = float(text.replace(",", "."))
    else:
        raise ReadingInputError("value_invalid", zone=zone, value=str(raw))
    if not math.isfinite(value):
        raise ReadingInputError("value_invalid", zone=zone, value=str(raw))
    if value < 0:
        raise ReadingInputError("value_negative", zone=zone, value=value)
    return value


def parse_date(raw):
    """Return the date of a reading from a date, a datetime or a string in
    ISO (2026-02-24) or Russian (24.02.2026) form."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ReadingInputError("date_missing")
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        for date_format in _DATE_FORMATS:
            try:
                return datetime.strptime(text, date_format).date()
            except ValueError:
                continue
    raise ReadingInputError("date_invalid", value=str(raw))


def jsonable_params(params):
    """Return finding parameters with dates as ISO strings, for JSON."""
    return {
        key: value.isoformat() if hasattr(value, "isoformat") else value
        for key, value in params.items()
    }


def decimal_places(value):
    """Return the number of decimal places of a float as written by repr()."""
    text = repr(float(value))
    if "e" in text or "E" in text:
        return MAX_DECIMAL_DIGITS + 1
    fraction = text.partition(".")[2].rstrip("0")
    return len(fraction)


# ------------------------------------------------------------
# Rules
# ------------------------------------------------------------


@dataclass(frozen=True)
class MeterSpec:
    """What the rules need to know about a meter."""

    zone_count: int
    integer_digits: int
    decimal_digits: int
    multiplier: float = 1.0
    installation_date: date | None = None
    next_verification_date: date | None = None

    @property
    def register_range(self):
        """The number of units after which the register wraps to zero."""
        return 10**self.integer_digits


@dataclass(frozen=True)
class PreviousReading:
    """The last accepted reading of a meter: its date and register values,
    one per zone (None for a zone the meter does not have)."""

    reading_date: date
    values: tuple


@dataclass(frozen=True)
class History:
    """Accepted consumption of a meter over a span of days, in kWh."""

    consumption: float = 0.0
    days: int = 0

    def daily_average(self):
        return self.consumption / self.days if self.days else None

    def add(self, consumption, days):
        return History(self.consumption + consumption, self.days + days)


@dataclass(frozen=True)
class RuleSettings:
    """A company's settings of the rules."""

    # Largest consumption that a register wrap may give, as a share of the
    # register's range (0.1: a 6-digit register may wrap by 100,000 kWh).
    rollover_max_share: float = 0.1
    # Daily consumption more than this many times above or below the history
    # needs review; 0 switches the check off.
    deviation_factor: float = 3.0
    # The history must span at least this many days to be compared with.
    history_min_days: int = 30
    # Readings may be dated this many days after today.
    future_days: int = 0
    warn_verification: bool = True


@dataclass(frozen=True)
class Finding:
    code: str
    outcome: str
    params: dict = field(default_factory=dict)


@dataclass
class Evaluation:
    """The result of the rules for one reading. ``consumption`` is in kWh per
    zone (the register difference times the meter's multiplier) and ``days``
    the days since the previous accepted reading; both are None without a
    previous reading or for a rejected reading."""

    state: str
    findings: list
    consumption: tuple | None = None
    days: int | None = None

    @property
    def total(self):
        if self.consumption is None:
            return None
        return round(sum(value or 0.0 for value in self.consumption), 3)


def check_input(meter, values):
    """Raise ReadingInputError unless ``values`` (one per zone, None for an
    empty zone) fit the meter's zones and register."""
    for index, value in enumerate(values):
        zone = index + 1
        if zone > meter.zone_count:
            if value is not None:
                raise ReadingInputError(
                    "value_extra_zone", zone=zone, zone_count=meter.zone_count
                )
            continue
        if value is None:
            raise ReadingInputError(
                "value_missing", zone=zone, zone_count=meter.zone_count
            )
        if value < 0:
            raise ReadingInputError("value_negative", zone=zone, value=value)
        if value >= meter.register_range:
            raise ReadingInputError(
                "value_too_large",
                zone=zone,
                value=value,
                digits=meter.integer_digits,
            )
        if decimal_places(value) > meter.decimal_digits:
            raise ReadingInputError(
                "value_too_precise",
                zone=zone,
                value=value,
                decimals=meter.decimal_digits,
            )


def evaluate(meter, reading_date, values, today, previous, history, settings):
    """Apply the rules to a reading whose input passed :func:`check_input`.

    ``previous`` is the meter's last accepted reading (or None) and
    ``history`` its accepted consumption before that reading.
    """
    findings = []
    if reading_date > today + timedelta(days=settings.future_days):
        findings.append(
            Finding("future_date", REJECT, {"date": reading_date, "today": today})
        )
    if meter.installation_date and reading_date < meter.installation_date:
        findings.append(
            Finding(
                "before_installation",
                REJECT,
                {"date": reading_date, "installation_date": meter.installation_date},
            )
        )
    consumption = days = None
    if previous is None:
        findings.append(Finding("first_reading", INFO))
    elif reading_date < previous.reading_date:
        findings.append(
            Finding(
                "before_last_accepted",
                REJECT,
                {"date": reading_date, "last_date": previous.reading_date},
            )
        )
    elif reading_date == previous.reading_date:
        findings.append(Finding("same_date_accepted", REJECT, {"date": reading_date}))
    else:
        days = (reading_date - previous.reading_date).days
        consumption = _consumption(
            meter, values, previous, days, history, settings, findings
        )
        if consumption is not None:
            _check_deviation(consumption, days, history, settings, findings)
    if (
        settings.warn_verification
        and meter.next_verification_date
        and reading_date > meter.next_verification_date
    ):
        findings.append(
            Finding(
                "verification_overdue",
                WARNING,
                {"due_date": meter.next_verification_date},
            )
        )
    outcomes = {finding.outcome for finding in findings}
    if REJECT in outcomes:
        return Evaluation(REJECT, findings)
    state = REVIEW if REVIEW in outcomes else STATE_ACCEPTED
    return Evaluation(state, findings, consumption, days)


def _consumption(meter, values, previous, days, history, settings, findings):
    """Return the consumption per zone in kWh, or None after adding a finding
    for a value below the previous one that is no plausible register wrap."""
    register_range = meter.register_range
    average = _usable_average(history, settings)
    result = []
    rejected = False
    for index, value in enumerate(values):
        before = previous.values[index] if index < len(previous.values) else None
        if value is None or before is None:
            result.append(None)
            continue
        difference = round(value - before, meter.decimal_digits)
        if difference < 0:
            wrapped = round(value + register_range - before, meter.decimal_digits)
            energy = wrapped * meter.multiplier
            plausible = wrapped <= register_range * settings.rollover_max_share
            if plausible and average is not None and settings.deviation_factor:
                plausible = energy / days <= average * settings.deviation_factor
            params = {
                "zone": index + 1,
                "value": value,
                "previous": before,
                "previous_date": previous.reading_date,
                "wrapped": round(energy, 3),
            }
            if not plausible:
                findings.append(Finding("below_previous", REJECT, params))
                rejected = True
                continue
            findings.append(Finding("rollover", INFO, params))
            difference = wrapped
        result.append(round(difference * meter.multiplier, 3))
    return None if rejected else tuple(result)


def _usable_average(history, settings):
    if history is None or history.days < max(settings.history_min_days, 1):
        return None
    return history.daily_average()


def _check_deviation(consumption, days, history, settings, findings):
    average = _usable_average(history, settings)
    factor = settings.deviation_factor
    if not factor or average is None or average <= 0:
        return
    daily = sum(value or 0.0 for value in consumption) / days
    params = {
        "daily": round(daily, 2),
        "average": round(average, 2),
        "factor": factor,
    }
    if daily > average * factor:
        findings.append(Finding("consumption_high", REVIEW, params))
    elif daily < average / factor:
        findings.append(Finding("consumption_low", REVIEW, params))


# ------------------------------------------------------------
# Reading windows and billing periods
# ------------------------------------------------------------


@dataclass(frozen=True)
class ReadingWindow:
    """Days of the month on which readings are taken (``first_day`` to
    ``last_day``) and the day by whose end they must reach the company
    (``transmit_day``)."""

    first_day: int
    last_day: int
    transmit_day: int


def _day_in_month(day, month_start):
    return min(day, monthrange(month_start.year, month_start.month)[1])


def next_month(month_start):
    if month_start.month == 12:
        return date(month_start.year + 1, 1, 1)
    return date(month_start.year, month_start.month + 1, 1)


def billing_period(reading_date, received_date, window):
    """Return ``(period_start, status)``: the first day of the billing month
    that the reading counts toward, and ``in_window``, ``early`` or ``late``.

    A reading counts toward the month in which the company received it. It
    is late, and counts toward the next month, when it was received after the
    window's transmission day or taken in that month after its last day.
    Without a window every reading counts toward the month of receipt.
    """
    month_start = received_date.replace(day=1)
    if window is None:
        return month_start, "in_window"
    transmit_day = _day_in_month(window.transmit_day, month_start)
    last_day = _day_in_month(window.last_day, month_start)
    same_month = reading_date.replace(day=1) == month_start
    late = received_date.day > transmit_day or (
        same_month and reading_date.day > last_day
    )
    if late:
        return next_month(month_start), "late"
    if same_month and reading_date.day < window.first_day:
        return month_start, "early"
    return month_start, "in_window"
