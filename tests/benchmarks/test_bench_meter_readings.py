"""Import of 100,000 meter readings with validation, side by side with Odoo's
generic import (base_import) of the same rows without validation, and the
billing export of a month of 100,000 readings.

Each run prints readings per second and the peak growth of the process's
resident memory (RSS, sampled every 10 ms) of each phase. The benchmark data
(100,000 consumers, service points and meters with three months of accepted
readings) is committed once; every measured phase is rolled back.
"""

import base64
import csv
import ctypes
import gc
import io
import random
import tempfile
import threading
import time
from calendar import monthrange
from datetime import date, timedelta
from unittest.mock import patch

import psutil

import odoo
from odoo.tests.common import get_db_name

METERS = 100_000
# Goal of the import with validation.
MIN_READINGS_PER_SECOND = 2000
SERIAL = "MRB-{:07d}"
# Every meter with (number % TWO_ZONE_EVERY == 0) has two tariff zones.
TWO_ZONE_EVERY = 5


def _registry():
    return odoo.modules.registry.Registry(get_db_name())


def _month_day(today, months_back, day=24):
    year, month = today.year, today.month - months_back
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, min(day, monthrange(year, month)[1]))


class _RssPeak:
    """Sample the process's resident memory in a thread and keep the peak."""

    def __init__(self, interval=0.01):
        self.process = psutil.Process()
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()

    def __enter__(self):
        gc.collect()
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except OSError:
            pass
        self.baseline = self.process.memory_info().rss
        self.peak = self.baseline
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(self.interval)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)

    @property
    def growth_mib(self):
        return (self.peak - self.baseline) / 2**20


# ------------------------------------------------------------
# Data
# ------------------------------------------------------------


def _history(number, today):
    """Return the three accepted readings of meter ``number`` and the value
    expected on the import date: [(date, t1, t2)], (date, t1, t2)."""
    rng = random.Random(number)
    daily = 3 + number % 10
    dates = [_month_day(today, months) for months in (4, 3, 2)]
    import_date = _month_day(today, 1)
    two_zone = number % TWO_ZONE_EVERY == 0
    wraps = number % 200 == 1
    if wraps:
        start = 999990.0 - daily * (dates[2] - dates[0]).days
    else:
        start = float(1000 + (number * 37) % 500000)
    points = []
    value = start
    for index, reading_date in enumerate(dates):
        if index:
            value += daily * (reading_date - dates[index - 1]).days
        night = round(value / 3, 1) if two_zone else None
        points.append((reading_date, round(value, 1), night))
    jitter = rng.uniform(0.8, 1.2)
    used = daily * jitter * (import_date - dates[2]).days
    expected = value + used
    if expected >= 1_000_000:
        expected -= 1_000_000
    night = round(expected / 3, 1) if two_zone else None
    return points, (import_date, round(expected, 1), night)


def _generate(env):
    """Insert consumers, service points, meters and three months of accepted
    readings with INSERT ... SELECT and COPY, which the ORM would take many
    times longer to create. Skipped when the data exists."""
    cr = env.cr
    cr.execute("SELECT count(*) FROM grid_meter WHERE name LIKE 'MRB-%%'")
    if cr.fetchone()[0] >= METERS:
        return False
    _generate_meters(cr, env.company)
    _generate_history(cr, env.company)
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE grid_service_point")
    cr.execute("ANALYZE grid_meter")
    cr.execute("ANALYZE grid_meter_reading")
    return True


def _generate_meters(cr, company):
    cr.execute(
        """
        INSERT INTO res_partner (name, ref, active, type, company_id,
                                 consumer_category, account_number, lang,
                                 create_date, write_date, create_uid, write_uid)
        SELECT 'Потребитель ' || g, 'mrb-' || g, true, 'contact', %s,
               CASE WHEN g %% 10 = 0 THEN 'legal_entity' ELSE 'household' END,
               'MRB' || lpad(g::text, 7, '0'), 'ru_RU', now(), now(), 1, 1
          FROM generate_series(1, %s) g
        """,
        (company.id, METERS),
    )
    cr.execute(
        """
        INSERT INTO grid_service_point (name, partner_id, company_id, active,
                                        voltage_level, reliability_category,
                                        create_date, write_date, create_uid,
                                        write_uid)
        SELECT 'SP-' || p.account_number, p.id, p.company_id, true, 'lv', '3',
               now(), now(), 1, 1
          FROM res_partner p
         WHERE p.ref LIKE 'mrb-%%'
        """
    )
    cr.execute(
        """
        INSERT INTO grid_meter (name, company_id, service_point_id, partner_id,
                                meter_type, zone_count, integer_digits,
                                decimal_digits, multiplier, installation_date,
                                verification_date, verification_interval,
                                next_verification_date, state, create_date,
                                write_date, create_uid, write_uid)
        SELECT 'MRB-' || substr(sp.name, 7), sp.company_id, sp.id, sp.partner_id,
               'Меркурий 201.8',
               CASE WHEN substr(sp.name, 7)::int %% %s = 0 THEN 2 ELSE 1 END,
               6, 1, 1, '2020-01-15', '2020-01-10', 16, '2036-01-10',
               'in_service', now(), now(), 1, 1
          FROM grid_service_point sp
         WHERE sp.name LIKE 'SP-MRB%%'
        """,
        (TWO_ZONE_EVERY,),
    )


def _generate_history(cr, company):
    cr.execute(
        """
        SELECT m.id, substr(m.name, 5)::int, m.service_point_id, m.partner_id
          FROM grid_meter m
         WHERE m.name LIKE 'MRB-%%'
        """
    )
    meters = cr.fetchall()
    today = date.today()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for meter_id, number, point_id, partner_id in meters:
        points, _expected = _history(number, today)
        previous = None
        for reading_date, day_value, night_value in points:
            if previous:
                days = (reading_date - previous[0]).days
                used_day = round(day_value - previous[1], 1)
                used_night = round(night_value - previous[2], 1) if night_value else ""
                total = used_day + (used_night or 0)
                before = (previous[0], previous[1], previous[2] or "")
            else:
                days, used_day, used_night, total = 0, "", "", ""
                before = ("", "", "")
            writer.writerow(
                [
                    meter_id,
                    company.id,
                    point_id,
                    partner_id,
                    reading_date,
                    f"{reading_date} 07:00:00",
                    day_value,
                    night_value if night_value is not None else "",
                    "import",
                    "accepted",
                    *before,
                    days,
                    used_day,
                    used_night,
                    total,
                    reading_date.replace(day=1),
                    "in_window",
                    "false",
                ]
            )
            previous = (reading_date, day_value, night_value)
    buffer.seek(0)
    cr.copy_expert(
        """
        COPY grid_meter_reading (meter_id, company_id, service_point_id,
                                 partner_id, reading_date, received_at,
                                 value_t1, value_t2, source, state,
                                 previous_date, previous_value_t1,
                                 previous_value_t2, days, consumption_t1,
                                 consumption_t2, consumption_total,
                                 period_start, window_status, has_warning)
        FROM STDIN WITH (FORMAT csv, NULL '')
        """,
        buffer,
    )
    cr.execute(
        """
        UPDATE grid_meter_reading
           SET create_date = now(), write_date = now(), create_uid = 1,
               write_uid = 1
         WHERE create_date IS NULL
        """
    )


def _import_rows(today):
    """Return the 100,000 rows of the import, one reading a meter. Most are
    plausible; 1 % are below the previous value, 1 % far above the usual
    consumption, 0.5 % past the register's wrap and 0.2 % dated in the
    future."""
    rows = []
    for number in range(1, METERS + 1):
        points, (reading_date, day_value, night_value) = _history(number, today)
        if number % 100 == 7:
            day_value = round(points[-1][1] - 50.0, 1)
        elif number % 100 == 13:
            day_value = round(day_value + 3000.0, 1)
            if day_value >= 1_000_000:
                day_value = round(day_value - 1_000_000, 1)
        if number % 500 == 3:
            reading_date = today + timedelta(days=5)
        rows.append(
            [
                SERIAL.format(number),
                reading_date.isoformat(),
                f"{day_value:.1f}",
                f"{night_value:.1f}" if night_value is not None else "",
            ]
        )
    return rows


def _csv_bytes(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["meter", "date", "t1", "t2"])
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _print(title, count, seconds, cpu_seconds, memory):
    print(
        f"\n{title}: {count} rows in {seconds:.1f} s, {count / seconds:.0f} rows/s "
        f"({cpu_seconds:.1f} s CPU in the Odoo process), "
        f"peak RSS growth {memory.growth_mib:.0f} MiB, "
        f"load average {psutil.getloadavg()[0]:.1f}"
    )


# ------------------------------------------------------------
# Benchmarks
# ------------------------------------------------------------


def test_import_vs_base_import():
    registry = _registry()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        started = time.monotonic()
        if _generate(env):
            cr.commit()
            print(
                f"\ngenerated the benchmark data in {time.monotonic() - started:.0f} s"
            )
        supervisor = env["res.users"].search([("login", "=", "mrb_supervisor")])
        if not supervisor:
            supervisor = env["res.users"].create(
                {
                    "name": "Benchmark Supervisor",
                    "login": "mrb_supervisor",
                    "groups_id": [
                        odoo.Command.link(
                            env.ref("grid_contact_center.group_supervisor").id
                        )
                    ],
                }
            )
            cr.commit()
        supervisor_id = supervisor.id

    rows = _import_rows(date.today())
    content = _csv_bytes(rows)

    # Import with validation, through the wizard, as a supervisor.
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, supervisor_id, {})
        wizard = env["grid.meter.reading.import"].create(
            {"file": base64.b64encode(content), "filename": "readings.csv"}
        )
        with _RssPeak() as memory:
            started, cpu_started = time.monotonic(), time.process_time()
            wizard.action_import()
            env.flush_all()
            ours = time.monotonic() - started
            ours_cpu = time.process_time() - cpu_started
        counts = {
            "accepted": wizard.accepted_count,
            "review": wizard.review_count,
            "rejected": wizard.rejected_count,
            "duplicate": wizard.duplicate_count,
            "error": wizard.error_count,
        }
        cr.rollback()
    _print(
        "grid_contact_center import with validation", len(rows), ours, ours_cpu, memory
    )
    print(f"results: {counts}")
    ours_rate = len(rows) / ours

    # Odoo's generic import of the same rows, without the rules: each
    # reading gets its meter's company, service point and consumer, the state
    # accepted, and nothing is checked.
    def without_rules(self, vals_list, known_new=False):
        meters = self.env["grid.meter"].browse({vals["meter_id"] for vals in vals_list})
        owners = {
            meter.id: (
                meter.company_id.id,
                meter.service_point_id.id,
                meter.partner_id.id,
            )
            for meter in meters
        }
        for vals in vals_list:
            company_id, point_id, partner_id = owners[vals["meter_id"]]
            vals.update(
                company_id=company_id,
                service_point_id=point_id,
                partner_id=partner_id,
                state="accepted",
            )

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        Reading = type(env["grid.meter.reading"])
        importer = env["base_import.import"].create(
            {
                "res_model": "grid.meter.reading",
                "file": content,
                "file_name": "readings.csv",
                "file_type": "text/csv",
            }
        )
        options = {
            "has_headers": True,
            "separator": ";",
            "quoting": '"',
            "encoding": "utf-8",
            "date_format": "%Y-%m-%d",
            "float_decimal_separator": ".",
            "float_thousand_separator": ",",
            "import_skip_records": [],
            "import_set_empty_fields": [],
            "fallback_values": {},
            "name_create_enabled_fields": {},
        }
        with (
            patch.object(Reading, "_grid_prepare_create", without_rules),
            _RssPeak() as base_memory,
        ):
            started, cpu_started = time.monotonic(), time.process_time()
            result = importer.execute_import(
                ["meter_id", "reading_date", "value_t1", "value_t2"],
                ["meter", "date", "t1", "t2"],
                options,
            )
            env.flush_all()
            base = time.monotonic() - started
            base_cpu = time.process_time() - cpu_started
        errors = [m for m in result["messages"] if m.get("type") == "error"]
        imported = len(result["ids"] or [])
        cr.rollback()
    _print("base_import without validation", len(rows), base, base_cpu, base_memory)
    print(f"base_import stored {imported} rows, {len(errors)} errors")
    assert not errors, errors[:3]
    assert imported == len(rows)
    assert counts["accepted"] + counts["review"] + counts["rejected"] == len(rows)
    assert ours_rate >= MIN_READINGS_PER_SECOND, (
        f"{ours_rate:.0f} readings/s, below the goal of {MIN_READINGS_PER_SECOND}"
    )


def test_export_month_in_bounded_memory():
    registry = _registry()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if _generate(env):
            cr.commit()
        period = _month_day(date.today(), 2).replace(day=1)
        for file_format in ("csv", "xlsx"):
            wizard = env["grid.meter.reading.export"].create(
                {"period": period, "file_format": file_format}
            )
            with _RssPeak() as memory, tempfile.TemporaryFile() as spool:
                started, cpu_started = time.monotonic(), time.process_time()
                count = wizard._grid_write(spool)
                seconds = time.monotonic() - started
                cpu_seconds = time.process_time() - cpu_started
                size = spool.tell()
            _print(
                f"billing export ({file_format})", count, seconds, cpu_seconds, memory
            )
            print(f"file of {size / 2**20:.1f} MiB")
            assert count >= METERS
        cr.rollback()
