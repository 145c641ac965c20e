"""Benchmarks of outages and outbound notices at the scale of a city feeder.

A feeder with 500 transformer substations and 100 service points under each
(50,000 service points, one consumer each) is inserted with plain SQL, which
is setup and not measured. GRID_CC_BENCH_POINTS scales the grid down for a
quick check. It must stay at 10,000 or more, because the grouping benchmark
needs 100 transformer substations. The figures in docs/benchmarks.md are at
the full scale.
"""

import os
import time
from datetime import datetime, timedelta

import pytest

from odoo.fields import Command
from odoo.tools import SQL

POINTS = int(os.environ.get("GRID_CC_BENCH_POINTS", "50000"))
POINTS_PER_TRANSFORMER = 100
REPORTS = 1000
REPORT_SPAN = timedelta(minutes=10)


def _insert_consumers(env, transformers):
    """Insert one consumer with a mobile number and a service point per
    point of the grid, spread over the transformer substations."""
    cr = env.cr
    company = env.company.id
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (
                name, complete_name, active, type, is_company,
                consumer_category, account_number, mobile, email,
                notify_sms, notify_email, notify_call,
                quiet_hours_start, quiet_hours_end, tz,
                create_uid, write_uid, create_date, write_date)
            SELECT 'Bench consumer ' || n, 'Bench consumer ' || n, TRUE,
                   'contact', FALSE, 'household', 'BENCH-' || n,
                   '+79' || lpad(n::text, 9, '0'),
                   'bench' || n || '@example.com',
                   mod(n, 5) <> 0 AND mod(n, 3) <> 2, mod(n, 5) = 0, TRUE,
                   0, 0, 'Europe/Moscow', 1, 1, now(), now()
              FROM generate_series(1, %s) n
            RETURNING id, mobile
            """,
            POINTS,
        )
    )
    partners = cr.fetchall()
    cr.execute(
        SQL(
            """
            INSERT INTO grid_contact_number (
                partner_id, number, number_key, e164, origin,
                create_uid, write_uid, create_date, write_date)
            SELECT row.id, row.mobile, substr(row.mobile, 3), row.mobile,
                   'mobile', 1, 1, now(), now()
              FROM unnest(%s::int[], %s::text[]) AS row(id, mobile)
            """,
            [partner_id for partner_id, _mobile in partners],
            [mobile for _partner_id, mobile in partners],
        )
    )
    element_ids = [
        transformers[index // POINTS_PER_TRANSFORMER].id
        for index in range(len(partners))
    ]
    cr.execute(
        SQL(
            """
            INSERT INTO grid_service_point (
                name, partner_id, company_id, street, house, full_address,
                address_search_key, voltage_level, reliability_category,
                active, grid_element_id,
                create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH-SP-' || row.partner_id, row.partner_id, %s,
                   'ул. Испытательная', row.partner_id::text,
                   'ул. Испытательная, д. ' || row.partner_id,
                   'испытательная ' || row.partner_id, 'lv', '3', TRUE,
                   row.element_id, 1, 1, now(), now()
              FROM unnest(%s::int[], %s::int[]) AS row(partner_id, element_id)
            """,
            company,
            [partner_id for partner_id, _mobile in partners],
            element_ids,
        )
    )
    cr.execute("ANALYZE res_partner, grid_contact_number, grid_service_point")
    env.invalidate_all()


@pytest.fixture
def grid(env):
    elements = env["grid.element"]
    substation = elements.create(
        {"name": "ПС Нагрузочная", "code": "BENCH-PS", "kind": "substation"}
    )
    feeder = elements.create(
        {
            "name": "Ф-Нагрузочный",
            "code": "BENCH-F",
            "kind": "feeder",
            "parent_id": substation.id,
        }
    )
    transformers = elements.create(
        [
            {
                "name": f"ТП-Н{number}",
                "code": f"BENCH-TP-{number}",
                "kind": "transformer_substation",
                "parent_id": feeder.id,
            }
            for number in range(-(-POINTS // POINTS_PER_TRANSFORMER))
        ]
    )
    _insert_consumers(env, transformers)
    env["grid.notice.campaign"].search(
        [("state", "in", ("queued", "running"))]
    ).action_cancel()
    return feeder, transformers


def _report(label, seconds, goal=None):
    verdict = "" if goal is None else f" (goal: under {goal} s)"
    print(f"\n{label}: {seconds:.3f} s{verdict}")


def test_affected_consumers_of_feeder(env, grid):
    feeder, _transformers = grid
    outage = env["grid.outage"].create(
        {"element_ids": [Command.set(feeder.ids)], "kind": "emergency"}
    )
    env.flush_all()
    start = time.perf_counter()
    partner_ids = outage._affected_partner_ids()
    partners_seconds = time.perf_counter() - start
    start = time.perf_counter()
    counts = outage._affected_counts()[outage.id]
    counts_seconds = time.perf_counter() - start
    start = time.perf_counter()
    point_count = env["grid.service.point"].search_count(
        outage._affected_service_point_domain()
    )
    domain_seconds = time.perf_counter() - start
    _report(f"affected consumers of a feeder ({len(partner_ids)})", partners_seconds, 1)
    _report("affected service points and consumers counted", counts_seconds, 1)
    _report("affected service points through child_of", domain_seconds, 1)
    assert len(partner_ids) == POINTS
    assert counts == (POINTS, POINTS)
    assert point_count == POINTS
    assert partners_seconds < 1
    assert counts_seconds < 1
    assert domain_seconds < 1


def test_campaign_for_all_consumers_of_feeder(env, grid):
    feeder, _transformers = grid
    outage = env["grid.outage"].create(
        {"element_ids": [Command.set(feeder.ids)], "kind": "emergency"}
    )
    campaign = env["grid.notice.campaign"].create(
        {"name": "Bench", "outage_id": outage.id, "message": "Emergency outage"}
    )
    campaign.action_launch()
    campaigns = env["grid.notice.campaign"]
    start = time.perf_counter()
    campaigns._cron_process()
    build_seconds = time.perf_counter() - start
    runs = 1
    while env["grid.notice.recipient"]._count_due_messages():
        campaigns._cron_process()
        runs += 1
    total_seconds = time.perf_counter() - start
    _report(
        f"campaign built for {campaign.recipient_count} recipients", build_seconds, 60
    )
    _report(
        f"campaign built and its SMS and e-mails queued ({runs} cron runs)",
        total_seconds,
    )
    call_tasks = env["grid.notice.recipient"].search_count(
        [("campaign_id", "=", campaign.id), ("channel", "=", "call")]
    )
    assert campaign.recipient_count == POINTS
    assert campaign.open_count == call_tasks
    assert build_seconds < 60


def test_grouping_reports_within_ten_minutes(env, grid):
    _feeder, transformers = grid
    points = env["grid.service.point"].search(
        [("grid_element_id", "in", transformers[:100].ids)]
    )
    per_transformer = {}
    for point in points:
        per_transformer.setdefault(point.grid_element_id, []).append(point)
    reporters = [
        per_transformer[transformer][index]
        for index in range(REPORTS // 100)
        for transformer in transformers[:100]
    ]
    start_at = datetime.now() - REPORT_SPAN
    step = REPORT_SPAN / REPORTS
    interactions = env["grid.interaction"]
    topic = env.ref("grid_contact_center.topic_4_2")
    created = interactions.browse()
    start = time.perf_counter()
    for number, point in enumerate(reporters):
        created |= interactions.create(
            {
                "channel": "phone_in",
                "partner_id": point.partner_id.id,
                "service_point_id": point.id,
                "topic_id": topic.id,
                "received_at": start_at + step * number,
            }
        )
    seconds = time.perf_counter() - start
    ungrouped = created.filtered(lambda report: not report.outage_id)
    outages = created.outage_id
    _report(
        f"{REPORTS} reports grouped into {len(outages)} suspected outages, "
        f"{len(ungrouped)} left ungrouped, {1000 * seconds / REPORTS:.1f} ms a report",
        seconds,
    )
    assert not ungrouped
    assert len(outages) == 100
    assert set(outages.mapped("report_count")) == {REPORTS // 100}
