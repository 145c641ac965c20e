"""Finding the caller among a million consumers: by phone, by account number
and by address, beside Odoo's own partner search by phone on the same data.

The first run loads 1,000,000 invented consumers, their service points and
their rows of the phone index into the benchmark database with COPY. That
takes minutes, so later runs reuse the data. Consumers' numbers are stored in
the mix of formats that real data has, and each caller's number arrives in
another format than the stored one. Settings (environment variables):
``BENCH_CONSUMERS`` (default 1000000), ``BENCH_SAMPLES`` (1000 lookups per
kind) and ``BENCH_ODOO_SAMPLES`` (200, because Odoo's search reads the whole
table each time).
"""

import io
import os
import random
import statistics
import time

import pytest

import odoo
from odoo.tests.common import get_db_name

from odoo.addons.grid_contact_center.models.grid_service_point import (
    address_search_key,
)

CONSUMERS = int(os.environ.get("BENCH_CONSUMERS", "1000000"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "1000"))
ODOO_SAMPLES = int(os.environ.get("BENCH_ODOO_SAMPLES", "200"))
ACCOUNT_PREFIX = "77"
AREA_CODE = "4012"
SEED = 186
BATCH = 100_000

SETTLEMENTS = [
    ("Калининград", 40),
    ("Гурьевск", 4),
    ("Зеленоградск", 4),
    ("Светлогорск", 3),
    ("Советск", 4),
    ("Черняховск", 4),
    ("Балтийск", 3),
    ("Гусев", 3),
    ("Багратионовск", 2),
    ("Полесск", 2),
    ("Правдинск", 2),
    ("Неман", 2),
    ("Озёрск", 2),
    ("Пионерский", 2),
    ("Светлый", 2),
    ("Ладушкин", 1),
    ("Мамоново", 1),
    ("Приморск", 1),
    ("Славск", 2),
    ("Краснознаменск", 1),
    ("Нестеров", 1),
    ("Большое Исаково", 2),
    ("Васильково", 2),
    ("Прибрежный", 2),
    ("Малое Исаково", 1),
    ("Сокольники", 1),
]
STREETS = [
    "ул. Ленина",
    "ул. Ленинградская",
    "пр-т Мира",
    "ул. Мирная",
    "ул. Садовая",
    "ул. Садовая 2-я",
    "ул. Лесная",
    "ул. Лесная Поляна",
    "ул. Центральная",
    "ул. Школьная",
    "ул. Советская",
    "пр-т Советский",
    "ул. Молодёжная",
    "ул. Победы",
    "ул. Октябрьская",
    "ул. Гагарина",
    "ул. Калининградская",
    "ул. Балтийская",
    "ул. Янтарная",
    "ул. Морская",
    "ул. Заводская",
    "ул. Железнодорожная",
    "ул. Набережная",
    "ул. Пушкина",
    "ул. Чехова",
    "ул. Горького",
    "ул. Комсомольская",
    "ул. Полевая",
    "ул. Новая",
    "ул. Зелёная",
    "ул. Озёрная",
    "ул. Северная",
    "ул. Южная",
    "ул. Восточная",
    "ул. Западная",
    "ул. Весенняя",
    "ул. Солнечная",
    "ул. Речная",
    "ул. Строителей",
    "ул. Энергетиков",
]
HOUSES = 150
APARTMENTS = 200

# How consumers' mobile numbers are stored: (format, share).
MOBILE_FORMATS = [
    ("+7 {a} {b}-{c}-{d}", 25),
    ("8 ({a}) {b}-{c}-{d}", 25),
    ("8{a}{b}{c}{d}", 15),
    ("{a}{b}{c}{d}", 10),
    ("+7{a}{b}{c}{d}", 15),
    ("8-{a}-{b}-{c}-{d}", 10),
]
# How callers' mobile numbers arrive from the PBX or are typed.
CALLER_MOBILE_FORMATS = [
    "7{a}{b}{c}{d}",
    "+7{a}{b}{c}{d}",
    "8{a}{b}{c}{d}",
    "{a}{b}{c}{d}",
    "8 {a} {b} {c} {d}",
    "+7 ({a}) {b}-{c}-{d}",
]


def _mobile(number, template):
    """Format a ten-digit mobile number."""
    return template.format(a=number[:3], b=number[3:6], c=number[6:8], d=number[8:])


def _landline(area, local, style):
    """Format a city number of ``area`` in one of the stored styles."""
    if len(local) == 6:
        grouped = f"{local[:2]}-{local[2:4]}-{local[4:]}"
    else:
        grouped = f"{local[0]}-{local[1:3]}-{local[3:]}"
    if style == 0:
        return f"8 ({area}) {grouped}"
    if style == 1:
        return f"+7 {area} {local}"
    if style == 2 and area == AREA_CODE:
        return grouped
    return f"8{area}{local}"


def _caller_landline(key, extension, rng):
    formats = [f"8{key}", f"+7{key}", f"7{key}"]
    if key.startswith(AREA_CODE):
        formats.append(key[len(AREA_CODE) :])
    caller = rng.choice(formats)
    return f"{caller} доб. {extension}" if extension and rng.random() < 0.5 else caller


# ------------------------------------------------------------------
# Data
# ------------------------------------------------------------------


def _build_consumers(env, count):
    """Generate the consumers, service points and phone index rows and COPY
    them into the database; return nothing, the data stays committed."""
    rng = random.Random(SEED)
    cr = env.cr
    company_id = env.ref("base.main_company").id
    settlement_ids = _settlements(env)
    index_model = env["grid.contact.number"]
    mobiles = rng.sample(range(9_000_000_000, 10_000_000_000), count)
    city_locals = iter(rng.sample(range(100_000, 1_000_000), min(count, 800_000)))
    village_locals = iter(rng.sample(range(10_000, 100_000), 80_000))
    taken_addresses = set()
    settlement_weights = [weight for _name, weight in SETTLEMENTS]
    mobile_templates = [template for template, _share in MOBILE_FORMATS]
    mobile_weights = [share for _template, share in MOBILE_FORMATS]

    tables = ("res_partner", "grid_service_point", "grid_contact_number")
    # Building an index once over the loaded rows is many times faster than
    # updating it row by row, above all for the GIN indexes.
    cr.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
          FROM pg_index i
         WHERE i.indrelid = ANY(%s::regclass[])
           AND NOT i.indisprimary
           AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
           )
        """,
        [list(tables)],
    )
    indexes = cr.fetchall()
    for name, _definition in indexes:
        cr.execute(f"DROP INDEX {name}")
    cr.execute("SELECT nextval('res_partner_id_seq')")
    first_partner = cr.fetchone()[0]
    cr.execute("SELECT setval('res_partner_id_seq', %s)", [first_partner + count + 1])
    cr.execute("SELECT nextval('grid_service_point_id_seq')")
    first_point = cr.fetchone()[0]
    cr.execute(
        "SELECT setval('grid_service_point_id_seq', %s)", [first_point + count + 1]
    )
    for start in range(0, count, BATCH):
        partners, points, numbers = io.StringIO(), io.StringIO(), io.StringIO()
        for offset in range(start, min(start + BATCH, count)):
            partner_id = first_partner + offset
            legal = rng.random() < 0.05
            mobile = _mobile(
                str(mobiles[offset]),
                rng.choices(mobile_templates, weights=mobile_weights)[0],
            )
            phone = ""
            if rng.random() < 0.35:
                if rng.random() < 0.9:
                    area, local = AREA_CODE, str(next(city_locals))
                else:
                    area, local = "40151", str(next(village_locals))
                phone = _landline(area, local, rng.randrange(4))
                if legal:
                    phone += f" доб. {rng.randint(10, 999)}"
                elif rng.random() < 0.1:
                    # Both numbers typed into one field.
                    phone, mobile = f"{phone}, {mobile}", ""
            name = f"Потребитель {offset:07d}"
            account = f"{ACCOUNT_PREFIX}{offset:08d}"
            category = "legal_entity" if legal else "household"
            partners.write(
                "\t".join(
                    [
                        str(partner_id),
                        name,
                        name,
                        "t",
                        "contact",
                        "f" if not legal else "t",
                        category,
                        account,
                        phone or r"\N",
                        mobile or r"\N",
                        str(partner_id),
                    ]
                )
                + "\n"
            )
            # Every address is unique, so that an address names one consumer.
            while True:
                settlement_index = rng.choices(
                    range(len(SETTLEMENTS)), weights=settlement_weights
                )[0]
                street_index = rng.randrange(len(STREETS))
                house = rng.randrange(HOUSES)
                apartment = rng.randrange(APARTMENTS)
                code = (
                    (settlement_index * len(STREETS) + street_index) * HOUSES + house
                ) * APARTMENTS + apartment
                if code not in taken_addresses:
                    taken_addresses.add(code)
                    break
            settlement_name = SETTLEMENTS[settlement_index][0]
            street = STREETS[street_index]
            full = f"{settlement_name}, {street}, д. {house + 1}, кв. {apartment + 1}"
            points.write(
                "\t".join(
                    [
                        str(first_point + offset),
                        f"BENCH-{offset:07d}",
                        str(partner_id),
                        str(company_id),
                        str(settlement_ids[settlement_name]),
                        street,
                        str(house + 1),
                        str(apartment + 1),
                        full,
                        address_search_key(full),
                        "lv",
                        "3",
                        "t",
                    ]
                )
                + "\n"
            )
            for origin, text in (("phone", phone), ("mobile", mobile)):
                for row in index_model._rows_for(
                    text, AREA_CODE, origin, partner_id=partner_id
                ):
                    numbers.write(
                        "\t".join(
                            [
                                str(partner_id),
                                row["number"],
                                row["number_key"],
                                row["e164"],
                                row["extension"] or r"\N",
                                origin,
                            ]
                        )
                        + "\n"
                    )
        for buffer, table, columns in (
            (
                partners,
                "res_partner",
                "id, name, complete_name, active, type, is_company, "
                "consumer_category, account_number, phone, mobile, "
                "commercial_partner_id",
            ),
            (
                points,
                "grid_service_point",
                "id, name, partner_id, company_id, settlement_id, street, house, "
                "apartment, full_address, address_search_key, voltage_level, "
                "reliability_category, active",
            ),
            (
                numbers,
                "grid_contact_number",
                "partner_id, number, number_key, e164, extension, origin",
            ),
        ):
            buffer.seek(0)
            cr._obj.copy_expert(
                f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT text)", buffer
            )
        print(f"  loaded {min(start + BATCH, count)} consumers", flush=True)
    print(f"  rebuilding {len(indexes)} indexes", flush=True)
    cr.execute("SET maintenance_work_mem = '1GB'")
    for _name, definition in indexes:
        cr.execute(definition)
    for table in tables:
        cr.execute(f"ANALYZE {table}")


def _settlements(env):
    settlements = env["grid.settlement"]
    ids = {}
    for name, _weight in SETTLEMENTS:
        settlement = settlements.search(
            [("name", "=", name), ("district", "=", "benchmark")], limit=1
        ) or settlements.create({"name": name, "district": "benchmark"})
        ids[name] = settlement.id
    return ids


@pytest.fixture(scope="module")
def registry():
    return odoo.modules.registry.Registry(get_db_name())


@pytest.fixture(scope="module")
def consumers(registry):
    """Load the consumers once and return the uid of an operator."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env.ref("base.main_company").grid_default_area_code = AREA_CODE
        cr.execute(
            "SELECT count(*) FROM res_partner WHERE account_number LIKE %s",
            [f"{ACCOUNT_PREFIX}%"],
        )
        loaded = cr.fetchone()[0]
        if loaded != CONSUMERS:
            if loaded:
                pytest.fail(
                    f"the benchmark database holds {loaded} benchmark consumers, "
                    f"not {CONSUMERS}: drop it (var/bench) and run again"
                )
            print(f"\nLoading {CONSUMERS} consumers", flush=True)
            started = time.perf_counter()
            _build_consumers(env, CONSUMERS)
            print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
        operator = env["res.users"].search([("login", "=", "bench_lookup_operator")])
        if not operator:
            operator = env["res.users"].create(
                {
                    "name": "Benchmark Operator",
                    "login": "bench_lookup_operator",
                    "groups_id": [
                        odoo.Command.link(
                            env.ref("grid_contact_center.group_operator").id
                        )
                    ],
                }
            )
        cr.commit()
        return operator.id


@pytest.fixture(scope="module")
def samples(registry, consumers):
    return _pick_samples(registry)


def _pick_samples(registry):
    """Pick the consumers whose callers are looked up, with the caller's
    number in another format than the stored one and the typed address."""
    rng = random.Random(SEED + 1)
    accounts = [
        f"{ACCOUNT_PREFIX}{offset:08d}"
        for offset in rng.sample(range(CONSUMERS), min(SAMPLES, CONSUMERS))
    ]
    with registry.cursor() as cr:
        cr.execute(
            """
            SELECT p.id, p.account_number, sp.full_address,
                   array_agg(n.number_key), array_agg(n.extension)
              FROM res_partner p
              JOIN grid_service_point sp ON sp.partner_id = p.id
              JOIN grid_contact_number n ON n.partner_id = p.id
             WHERE p.account_number = ANY(%s)
          GROUP BY p.id, p.account_number, sp.full_address
          ORDER BY p.account_number
            """,
            [accounts],
        )
        rows = cr.fetchall()
    picked = []
    for partner_id, account, address, keys, extensions in rows:
        index = rng.randrange(len(keys))
        key, extension = keys[index], extensions[index]
        if key.startswith("9"):
            caller = _mobile(key, rng.choice(CALLER_MOBILE_FORMATS))
        else:
            caller = _caller_landline(key, extension, rng)
        picked.append(
            {
                "partner_id": partner_id,
                "account": account,
                "caller": caller,
                "address": _typed_address(address, rng),
            }
        )
    return picked


def _typed_address(full_address, rng):
    """Write an address the way an operator types it during a call."""
    settlement, street, house, apartment = full_address.split(", ")
    street = street.split(" ", 1)[1] if rng.random() < 0.7 else street
    house = house.removeprefix("д. ")
    apartment = apartment.removeprefix("кв. ")
    style = rng.randrange(3)
    if style == 0:
        return f"{settlement} {street} {house}-{apartment}"
    if style == 1:
        return f"{settlement.lower()}, {street.lower()}, д.{house}, кв.{apartment}"
    return f"г. {settlement} {street} д {house} кв {apartment}"


# ------------------------------------------------------------------
# Lookups
# ------------------------------------------------------------------


def _run(registry, uid, samples, lookup, label):
    """Time ``lookup(env, sample)``, which returns the partner ids it found
    with the best first, and print the figures: a caller is found when the
    right consumer comes first, and the lookup is wrong when another does."""
    timings, found, wrong, crowded = [], 0, 0, 0
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, uid, {})
        for sample in samples[:20]:
            lookup(env, sample)
        for sample in samples:
            env.invalidate_all()
            started = time.perf_counter()
            result = lookup(env, sample)
            timings.append((time.perf_counter() - started) * 1000)
            if result and result[0] == sample["partner_id"]:
                found += 1
            elif result:
                wrong += 1
            if len(set(result)) > 1:
                crowded += 1
        cr.rollback()
    timings.sort()
    figures = {
        "lookups": len(samples),
        "median_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "found": found / len(samples),
        "wrong": wrong,
        "several": crowded,
    }
    print(
        f"\n{label}: {figures['lookups']} lookups, median "
        f"{figures['median_ms']:.2f} ms, p95 {figures['p95_ms']:.2f} ms, found "
        f"{figures['found']:.1%}, wrong consumer first {figures['wrong']}, "
        f"several consumers {figures['several']}",
        flush=True,
    )
    return figures


def _by_phone(env, sample):
    rows = env["grid.contact.number"].find_by_phone(sample["caller"])
    return list(dict.fromkeys(rows.partner_id.ids))


def _by_account(env, sample):
    return env["res.partner"].search([("account_number", "=", sample["account"])]).ids


def _by_address(env, sample):
    points = env["grid.service.point"].find_by_address(sample["address"])
    return list(dict.fromkeys(points.partner_id.ids))


def _by_odoo_phone_search(env, sample):
    # The domain of the Phone field of Odoo's partner search view.
    caller = sample["caller"]
    return (
        env["res.partner"]
        .search(
            ["|", ("phone", "ilike", caller), ("mobile", "ilike", caller)], limit=80
        )
        .ids
    )


def test_lookup_by_phone(registry, consumers, samples):
    figures = _run(registry, consumers, samples, _by_phone, "phone index")
    assert figures["found"] == 1.0
    assert figures["wrong"] == 0
    assert figures["several"] == 0


def test_lookup_by_account_number(registry, consumers, samples):
    figures = _run(registry, consumers, samples, _by_account, "account number")
    assert figures["found"] == 1.0
    assert figures["wrong"] == 0
    assert figures["several"] == 0


def test_lookup_by_address(registry, consumers, samples):
    figures = _run(registry, consumers, samples, _by_address, "address")
    assert figures["found"] == 1.0
    assert figures["wrong"] == 0


def test_odoo_partner_search_by_phone(registry, consumers, samples):
    _run(
        registry,
        consumers,
        samples[:ODOO_SAMPLES],
        _by_odoo_phone_search,
        "Odoo partner search by phone",
    )
