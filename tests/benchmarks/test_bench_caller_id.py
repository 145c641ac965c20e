"""Caller identification among 1,000,000 consumers: every number is found,
p95 of a lookup under 10 ms."""

import random
import statistics
import time

CONSUMERS = 1_000_000
LOOKUPS = 2000


def _generate(env):
    """Insert the consumers and their index rows with two INSERT ... SELECT
    statements (minutes with the ORM, seconds in SQL)."""
    cr = env.cr
    cr.execute("SELECT count(*) FROM res_partner WHERE ref LIKE 'bench-phone-%%'")
    existing = cr.fetchone()[0]
    if existing >= CONSUMERS:
        return
    company = env.company.id
    cr.execute(
        """
        INSERT INTO res_partner (name, ref, active, type, company_id,
                                 consumer_category, phone, lang, create_date,
                                 write_date, create_uid, write_uid)
        SELECT 'Потребитель ' || g, 'bench-phone-' || g, true, 'contact', %s,
               'household', '8 (912) ' || lpad(g::text, 7, '0'), 'ru_RU',
               now(), now(), 1, 1
          FROM generate_series(%s, %s) g
        """,
        (company, existing + 1, CONSUMERS),
    )
    cr.execute(
        """
        INSERT INTO grid_contact_number (partner_id, company_id, number,
                                         number_key, e164, origin,
                                         create_date, write_date, create_uid,
                                         write_uid)
        SELECT p.id, p.company_id, p.phone,
               '912' || substr(p.ref, 13)::int::text, NULL, 'phone',
               now(), now(), 1, 1
          FROM res_partner p
         WHERE p.ref LIKE 'bench-phone-%%'
           AND NOT EXISTS (SELECT 1 FROM grid_contact_number n
                            WHERE n.partner_id = p.id)
        """
    )
    cr.execute(
        """
        UPDATE grid_contact_number
           SET number_key = '912' || lpad(substr(number_key, 4), 7, '0'),
               e164 = '+7912' || lpad(substr(number_key, 4), 7, '0')
         WHERE e164 IS NULL AND origin = 'phone'
        """
    )
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE grid_contact_number")


def test_caller_found_among_a_million(committed_env):
    started = time.monotonic()
    committed_env(_generate)
    generated = time.monotonic() - started

    def measure(env):
        index = env["grid.contact.number"]
        count = index.search_count([("number_key", "=like", "912%")])
        forms = [
            "8912{:07d}",
            "+7 912 {:07d}",
            "7912{:07d}",
            "912{:07d}",
            "8 (912) {:07d} доб. 12",
        ]
        durations = []
        missing = 0
        rng = random.Random(42)
        for _ in range(LOOKUPS):
            number = rng.randint(1, CONSUMERS)
            raw = rng.choice(forms).format(number)
            begin = time.perf_counter()
            rows = index.find_by_phone(raw)
            durations.append((time.perf_counter() - begin) * 1000)
            if not rows:
                missing += 1
            env.invalidate_all()
        return count, durations, missing

    count, durations, missing = committed_env(measure)
    durations.sort()
    p95 = durations[int(len(durations) * 0.95)]
    print(
        f"\nBENCH caller identification: {count} indexed numbers "
        f"(generated or checked in {generated:.0f} s), {LOOKUPS} lookups in five "
        f"forms: median {statistics.median(durations):.2f} ms, p95 {p95:.2f} ms, "
        f"max {durations[-1]:.2f} ms, not found {missing}"
    )
    assert count >= CONSUMERS
    assert missing == 0
    assert p95 < 10
