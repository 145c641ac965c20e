"""Survey campaign among 1,000,000 consumers: the recipients are listed in one
statement, then invited by e-mail in batches of the sending job.

The consumers are inserted in the test transaction and rolled back at the end,
so the benchmark database keeps nothing.
"""

import statistics
import time

CONSUMERS = 1_000_000
BATCH_SIZE = 500
BATCHES = 5


def _insert_consumers(env):
    env.cr.execute(
        """
        INSERT INTO res_partner (name, ref, active, type, company_id,
                                 consumer_category, email, email_normalized,
                                 notify_email, lang, create_date, write_date,
                                 create_uid, write_uid)
        SELECT 'Потребитель ' || g, 'bench-survey-' || g, true, 'contact', %s,
               'household', 'consumer' || g || '@example.org',
               'consumer' || g || '@example.org', true, 'en_US', now(), now(), 1, 1
          FROM generate_series(1, %s) g
        """,
        (env.company.id, CONSUMERS),
    )
    env.cr.execute("ANALYZE res_partner")


def test_campaign_among_a_million(env):
    _insert_consumers(env)
    Campaign = env["grid.survey.campaign"]
    campaign = Campaign.create(
        {
            "name": "Benchmark",
            "survey_id": env.ref("grid_contact_center_survey.survey_annual").id,
            "channel": "email",
            "preset": "custom",
            "partner_domain": repr([("ref", "=like", "bench-survey-%")]),
        }
    )

    start = time.perf_counter()
    matching = campaign.matching_count
    count_seconds = time.perf_counter() - start
    assert matching == CONSUMERS

    start = time.perf_counter()
    campaign.action_launch()
    launch_seconds = time.perf_counter() - start

    start = time.perf_counter()
    listed = campaign._list_recipients()
    list_seconds = time.perf_counter() - start
    assert listed == CONSUMERS

    batch_seconds = []
    for _batch in range(BATCHES):
        start = time.perf_counter()
        Campaign._cron_send_invitations(batch_size=BATCH_SIZE)
        env.flush_all()
        batch_seconds.append(time.perf_counter() - start)
    assert campaign.invited_count == BATCH_SIZE * BATCHES
    mails = env["mail.mail"].search_count(
        [("recipient_ids.ref", "=like", "bench-survey-%")]
    )
    assert mails == BATCH_SIZE * BATCHES

    per_batch = statistics.median(batch_seconds)
    estimate_hours = per_batch * CONSUMERS / BATCH_SIZE / 3600
    print(
        f"\nsurvey campaign among {CONSUMERS:,} consumers:"
        f"\n  matching count in the form: {count_seconds:.2f} s"
        f"\n  launch (checks only): {launch_seconds * 1000:.0f} ms"
        f"\n  recipients listed: {list_seconds:.1f} s"
        f"\n  batch of {BATCH_SIZE} invited and e-mailed: median {per_batch:.2f} s"
        f" (max {max(batch_seconds):.2f} s)"
        f"\n  estimate for all consumers: {estimate_hours:.1f} h of one cron worker"
    )
