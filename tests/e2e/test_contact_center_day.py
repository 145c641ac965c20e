"""A day in the contact center of a grid company, end to end, on real inputs.

Odoo runs in multi-worker mode on a copy of the test database, behind a
reverse proxy; the AMI bridge runs as its own process. A scripted Asterisk
feeds it the recorded AMI streams of the samples folder and a generated day
of 5,000 calls over a TCP socket, and Odoo is killed and started again while
the day streams in. Operators, a dispatcher and a supervisor, each a real
user with their role, work through JSON-RPC (odoorpc) and in Chromium. The
checks compare the end state with the generated day, count for count.
"""

import json
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

import odoorpc
import pytest

from odoo import Command

from ..ami_server import ami_wire
from .conftest import AMI_SECRET, AMI_USER, WEBHOOK_SECRET, wait_until
from .day import DayGenerator

PASSWORD = "Grid-e2e-2024"
TIMEZONE = "Europe/Kaliningrad"
AGENTS = [str(extension) for extension in range(7001, 7017)]
DAY_CALLS = 5000
CONSUMERS = 400
# The recorded streams and what the bridge must make of each call in them.
SAMPLE_STREAMS = (
    "ru_queue_call_ami_debug.log",
    "cacofonisk_queue_queue_simple.json",
    "cacofonisk_simple_ab_reject.json",
    "cacofonisk_simple_ab_success_a_hangup.json",
    "cacofonisk_var_set_user_events.json",
)
SAMPLE_CALLS = {
    # call id: (direction, outcome, events, queue)
    "1514295827.372": ("inbound", "answered", 5, "Q1"),
    "195176c06ab8-1529939196.518": ("inbound", "answered", 5, False),
    "195176c06ab8-1529936241.98": ("internal", "busy", 3, False),
    "195176c06ab8-1529936170.42": ("internal", "answered", 4, False),
    "b6093874285e-1530278036.1196": ("outbound", "answered", 3, False),
    "b6093874285e-1530278036.1206": ("inbound", "answered", 4, False),
}
SURNAMES = (
    ("Орлов", "Орлова"),
    ("Зайцев", "Зайцева"),
    ("Громов", "Громова"),
    ("Белов", "Белова"),
    ("Тихонов", "Тихонова"),
    ("Ершов", "Ершова"),
    ("Соболев", "Соболева"),
    ("Комаров", "Комарова"),
)
# First name, patronymic, female.
FIRST_NAMES = (
    ("Андрей", "Сергеевич", False),
    ("Мария", "Петровна", True),
    ("Олег", "Иванович", False),
    ("Анна", "Викторовна", True),
    ("Денис", "Алексеевич", False),
    ("Елена", "Юрьевна", True),
    ("Игорь", "Николаевич", False),
)


def connect(web, database, login):
    """An odoorpc client logged in as `login` through the reverse proxy."""
    client = odoorpc.ODOO("127.0.0.1", port=web.port, timeout=600)
    client.login(database, login, PASSWORD if login != "admin" else "admin")
    return client


def ref(client, xmlid):
    model, name = xmlid.split(".")
    data = client.env["ir.model.data"].search_read(
        [("module", "=", model), ("name", "=", name)], ["res_id"]
    )
    return data[0]["res_id"]


# ----------------------------------------------------------------------
# The company's set-up, done once by the administrator
# ----------------------------------------------------------------------


@dataclass
class Company:
    database: str
    provider_id: int
    # Extension or role: {"login": ..., "id": ...}.
    users: dict = field(default_factory=dict)
    # Number as the trunk sends it: the consumer that Odoo must find, or False.
    callers: dict = field(default_factory=dict)
    # Numbers of inbound calls, each repeated by its weight.
    caller_pool: list = field(default_factory=list)
    # Numbers that agents dial.
    dialled: list = field(default_factory=list)
    consumers: list = field(default_factory=list)


def _consumer_values(index):
    """The national number and the values of the index-th consumer."""
    male, female = SURNAMES[index % len(SURNAMES)]
    first, patronymic, is_female = FIRST_NAMES[index % len(FIRST_NAMES)]
    key = f"9117{index:06d}"
    return key, {
        "name": f"{female if is_female else male} {first} {patronymic}",
        "consumer_category": "household",
        "account_number": f"3909{index:05d}",
        "mobile": f"+7 911 7{key[4:6]}-{key[6:8]}-{key[8:]}",
    }


@pytest.fixture(scope="module")
def company(web, day_database):
    """Users with their roles, the PBX provider and the consumers who call,
    set up by the administrator through JSON-RPC."""
    admin = connect(web, day_database, "admin")
    languages = admin.env["res.lang"].with_context(active_test=False)
    russian = languages.search([("code", "=", "ru_RU")])
    installer = admin.env["base.language.install"]
    wizard = installer.create({"lang_ids": [Command.set(russian)]})
    installer.browse(wizard).lang_install()

    provider_id = ref(
        admin, "grid_contact_center_telephony.grid_telephony_provider_asterisk_demo"
    )
    admin.env["grid.telephony.provider"].write(
        [provider_id],
        {
            "webhook_secret": WEBHOOK_SECRET,
            "ami_username": AMI_USER,
            "ami_secret": AMI_SECRET,
            "ami_channel_template": "SIP/{extension}",
        },
    )
    result = Company(database=day_database, provider_id=provider_id)
    groups = {
        role: ref(admin, f"grid_contact_center.group_{role}")
        for role in ("operator", "supervisor", "manager", "dispatcher")
    }
    people = [
        (f"operator{extension}", f"Оператор {extension}", "operator", extension)
        for extension in AGENTS
    ] + [
        ("supervisor", "Старший смены", "supervisor", False),
        ("manager", "Руководитель контакт-центра", "manager", False),
        ("dispatcher", "Диспетчер РЭС", "dispatcher", False),
    ]
    user_ids = admin.env["res.users"].create(
        [
            {
                "name": name,
                "login": f"e2e_{login}",
                "password": PASSWORD,
                "groups_id": [Command.set([groups[role]])],
                "grid_phone_extension": extension,
                "tz": TIMEZONE,
                "lang": "ru_RU",
            }
            for login, name, role, extension in people
        ]
    )
    for (login, _name, _role, extension), user_id in zip(people, user_ids, strict=True):
        result.users[extension or login] = {"login": f"e2e_{login}", "id": user_id}

    keys_and_values = [_consumer_values(index) for index in range(CONSUMERS)]
    partner_ids = admin.env["res.partner"].create([v for _k, v in keys_and_values])
    for (key, _values), partner_id in zip(keys_and_values, partner_ids, strict=True):
        # The trunk sends the same number in several forms.
        for number in ("8" + key, "+7" + key, "7" + key):
            result.callers[number] = partner_id
            result.caller_pool.append(number)
        result.dialled.append("8" + key)
        result.consumers.append(partner_id)
    # A couple with one telephone: Odoo offers both and picks neither.
    admin.env["res.partner"].create(
        [
            {
                "name": name,
                "consumer_category": "household",
                "phone": "+7 4012 99-88-77",
            }
            for name in ("Ковалёв Пётр Ильич", "Ковалёва Нина Петровна")
        ]
    )
    result.callers["84012998877"] = False
    # Demo consumers, reached with a city number and with a landline.
    result.callers["521738"] = ref(admin, "grid_contact_center.consumer_smirnova_demo")
    result.callers["84012123456"] = ref(
        admin, "grid_contact_center.consumer_ivanova_demo"
    )
    for number in ("84012998877", "521738", "84012123456"):
        result.caller_pool += [number] * 20
    # Numbers nobody registered, and calls without caller id.
    for index in range(200):
        result.callers[f"8912{index:07d}"] = False
        result.caller_pool.append(f"8912{index:07d}")
    for number in ("", "anonymous"):
        result.callers[number] = False
        result.caller_pool += [number] * 20
    return result


@pytest.fixture(scope="module")
def supervisor(web, company):
    return connect(web, company.database, company.users["supervisor"]["login"])


# ----------------------------------------------------------------------
# Telephony: the recorded streams, then the day with a restart of Odoo
# ----------------------------------------------------------------------


@dataclass
class TelephonyDay:
    calls: list
    start: int
    end: int
    # Events that Odoo had committed when it was killed.
    committed_at_stop: int
    # Events waiting in the bridge's spool while Odoo was down.
    spooled_during_stop: int
    # Requests that found Odoo down (502 from the proxy).
    bad_gateways: int
    # Calls that began while Odoo was down.
    calls_during_stop: int


def _event_ids(day_cursor, provider_id):
    rows = day_cursor(
        "SELECT event_id FROM grid_call_event WHERE provider_id = %s", provider_id
    )
    return {row[0] for row in rows}


def _event_count(day_cursor, provider_id):
    rows = day_cursor(
        "SELECT count(*) FROM grid_call_event WHERE provider_id = %s", provider_id
    )
    return rows[0][0]


@pytest.fixture(scope="module")
def telephony_day(company, ami, bridge, odoo_server, web, day_cursor, samples_dir):
    """Replay the recorded streams, then the generated day; kill Odoo when a
    third of the day is in, stream the rest of the day into the bridge while
    Odoo is down, and start Odoo again."""
    provider = company.provider_id
    ami.wait_for_client()
    folder = samples_dir / "asterisk_ami"
    for name in SAMPLE_STREAMS:
        data = (folder / name).read_bytes()
        ami.send(ami_wire(json.loads(data)) if name.endswith(".json") else data)
    sample_events = sum(spec[2] for spec in SAMPLE_CALLS.values())
    wait_until(
        lambda: _event_count(day_cursor, provider) >= sample_events,
        120,
        "the calls of the recorded streams",
    )

    end = int(time.time()) - 3600
    start = end - 10 * 3600
    generator = DayGenerator(
        start, end, DAY_CALLS, AGENTS, company.caller_pool, company.dialled
    )
    calls = generator.generate()
    day_ids = {event_id for call in calls for event_id in call.event_ids}
    cut = start + (end - start) * 6 // 10
    ami.send(generator.wire(until=cut))
    wait_until(
        lambda: _event_count(day_cursor, provider) >= sample_events + len(day_ids) // 3,
        600,
        "a third of the day in Odoo",
    )
    odoo_server.stop(kill=True)
    committed = _event_ids(day_cursor, provider)
    ami.send(generator.wire(since=cut))
    # Every event that Odoo lacks must wait in the spool, the day's end too.
    missing = day_ids - committed
    wait_until(
        lambda: missing <= bridge.pending_event_ids(),
        300,
        "the rest of the day in the bridge's spool",
        interval=2,
    )
    spooled = bridge.pending()
    bad_gateways = web.bad_gateways
    odoo_server.start()
    wait_until(
        lambda: (
            bridge.pending() == 0
            and _event_count(day_cursor, provider) >= sample_events + len(day_ids)
        ),
        900,
        "the whole day in Odoo",
        interval=2,
    )
    return TelephonyDay(
        calls=calls,
        start=start,
        end=end,
        committed_at_stop=len(committed & day_ids),
        spooled_during_stop=spooled,
        bad_gateways=bad_gateways,
        calls_during_stop=sum(1 for call in calls if call.arrived >= cut),
    )


CALL_FIELDS = [
    "external_call_id",
    "direction",
    "state",
    "outcome",
    "queue",
    "caller_number",
    "called_number",
    "agent_id",
    "rang_user_ids",
    "partner_id",
    "arrived_at",
    "ended_at",
    "wait_seconds",
    "talk_seconds",
    "durations_from_pbx",
]


def _utc(timestamp):
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def test_recorded_streams_logged(telephony_day, supervisor, company):
    calls = supervisor.env["grid.call"].search_read(
        [("external_call_id", "in", list(SAMPLE_CALLS))],
        ["external_call_id", "direction", "outcome", "state", "queue", "event_ids"],
    )
    by_id = {call["external_call_id"]: call for call in calls}
    assert set(by_id) == set(SAMPLE_CALLS)
    for call_id, (direction, outcome, events, queue) in SAMPLE_CALLS.items():
        call = by_id[call_id]
        assert (call_id, call["direction"]) == (call_id, direction)
        assert (call_id, call["outcome"]) == (call_id, outcome)
        assert (call_id, call["state"]) == (call_id, "ended")
        assert (call_id, call["queue"]) == (call_id, queue)
        assert (call_id, len(call["event_ids"])) == (call_id, events)


def test_day_logged_once(telephony_day, supervisor, company):
    """Every call of the day is in the call log once, with every one of its
    events once: nothing lost, nothing doubled, although Odoo was killed in
    the middle of the day."""
    provider = company.provider_id
    day_call_ids = {call.call_id for call in telephony_day.calls}
    logged = supervisor.env["grid.call"].search_read(
        [
            ("provider_id", "=", provider),
            ("external_call_id", "not in", list(SAMPLE_CALLS)),
        ],
        ["external_call_id"],
    )
    logged_ids = [call["external_call_id"] for call in logged]
    assert len(logged_ids) == DAY_CALLS
    assert set(logged_ids) == day_call_ids
    events = supervisor.env["grid.call.event"].search_read(
        [("provider_id", "=", provider)], ["event_id"]
    )
    # The bridge names an event <call id>:<type>[:<leg>].
    day_events = [
        event["event_id"]
        for event in events
        if event["event_id"].split(":")[0] in day_call_ids
    ]
    expected = {e for call in telephony_day.calls for e in call.event_ids}
    assert len(day_events) == len(expected)
    assert set(day_events) == expected


def test_restart_lost_nothing(telephony_day, bridge):
    """While Odoo was down the bridge kept trying, kept the events in its
    spool and delivered them after the restart; Odoo rejected none."""
    assert telephony_day.committed_at_stop > 0
    assert telephony_day.spooled_during_stop > 0
    assert telephony_day.bad_gateways > 0
    assert telephony_day.calls_during_stop > 0
    assert bridge.pending() == 0
    assert bridge.rejected() == []
    log = bridge.log()
    assert "Delivery failed, retrying" in log
    assert "Delivery works again" in log


def test_day_calls_as_the_pbx_reported(telephony_day, supervisor, company):
    """Direction, outcome, queue, agent, the agents rung, the consumer found
    by the caller's number, the times and the PBX's durations of every call
    are what the generated day says."""
    users = {extension: company.users[extension]["id"] for extension in AGENTS}
    rows = supervisor.env["grid.call"].search_read(
        [("provider_id", "=", company.provider_id)], CALL_FIELDS
    )
    logged = {row["external_call_id"]: row for row in rows}
    differences = {name: [] for name in CALL_FIELDS}

    def compare(name, call, value, expected):
        if value != expected:
            differences[name].append((call.call_id, value, expected))

    for call in telephony_day.calls:
        row = logged[call.call_id]
        partner = row["partner_id"] and row["partner_id"][0]
        if call.direction == "inbound":
            expected_partner = company.callers[call.caller]
        elif call.direction == "outbound":
            expected_partner = company.callers[call.called]
        else:
            expected_partner = False
        no_caller_id = call.caller in ("", "anonymous")
        compare("direction", call, row["direction"], call.direction)
        compare("state", call, row["state"], "ended")
        compare("outcome", call, row["outcome"], call.outcome)
        compare(
            "queue", call, row["queue"], "support" if call.kind == "queue" else False
        )
        compare(
            "caller_number",
            call,
            row["caller_number"],
            False if no_caller_id else call.caller,
        )
        compare("called_number", call, row["called_number"], call.called)
        compare(
            "agent_id",
            call,
            row["agent_id"] and row["agent_id"][0],
            users[call.agent] if call.agent else False,
        )
        compare(
            "rang_user_ids",
            call,
            sorted(row["rang_user_ids"]),
            sorted(users[extension] for extension in call.rung),
        )
        compare("partner_id", call, partner, expected_partner)
        compare("arrived_at", call, row["arrived_at"], _utc(call.arrived))
        compare("ended_at", call, row["ended_at"], _utc(call.ended))
        compare("wait_seconds", call, row["wait_seconds"], call.wait_seconds)
        compare("talk_seconds", call, row["talk_seconds"], call.talk_seconds)
        compare(
            "durations_from_pbx", call, row["durations_from_pbx"], call.kind == "queue"
        )
    for name, found in differences.items():
        assert found[:5] == [], f"{len(found)} calls differ in {name}"
