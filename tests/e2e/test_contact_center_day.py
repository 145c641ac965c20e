"""A day in the contact center of a grid company, end to end, on real inputs.

Odoo runs in multi-worker mode on a copy of the test database, behind a
reverse proxy; the AMI bridge runs as its own process. A scripted Asterisk
feeds it the recorded AMI streams of the samples folder and a generated day
of 5,000 calls over a TCP socket, and Odoo is killed and started again while
the day streams in. Operators, a dispatcher and a supervisor, each a real
user with their role, work through JSON-RPC (odoorpc) and in Chromium. The
checks compare the end state with the generated day, count for count.
"""

import base64
import email
import email.policy
import json
import re
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import lxml.html
import odoorpc
import phonenumbers
import pytest

from odoo import Command

from ..ami_server import ami_wire
from .chromium import Chromium
from .conftest import AMI_SECRET, AMI_USER, WEBHOOK_SECRET, wait_until
from .day import DayGenerator

PASSWORD = "Grid-e2e-2024"
TIMEZONE = "Europe/Kaliningrad"
AGENTS = [str(extension) for extension in range(7001, 7017)]
DAY_CALLS = 5000
CONSUMERS = 400
TRANSFORMER_SUBSTATION = "TP-7-{:02d}"
REPORT_COLUMNS = ("in_person", "telephone", "internet", "post", "other")
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
    # Consumer id: the id of their service point.
    service_points: dict = field(default_factory=dict)
    topology_import: dict = field(default_factory=dict)
    # Numbers of the consumers behind the transformer substation that trips.
    storm_numbers: list = field(default_factory=list)
    # Serial number: service point.
    meters: dict = field(default_factory=dict)
    # Source (ivr, website): the API key of the system that sends readings.
    api_keys: dict = field(default_factory=dict)


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
        "email": f"consumer{index:03d}@mail.example",
        "notify_email": True,
        "lang": "ru_RU",
    }


def _topology_csv(points):
    """The grid as a dispatcher's register exports it: semicolons, Russian
    kinds, Windows-1251. Ten consumers' service points per transformer
    substation, five substations per feeder."""
    lines = [
        "kind;code;name;parent_code",
        "ПС;PS-7;ПС 110 кВ Северная;",
    ]
    for feeder in range(len(points) // 50 + 1):
        lines.append(f"Ф;F-7-{feeder + 1};Фидер 10 кВ № {feeder + 1};PS-7")
    for index, point in enumerate(points):
        station = TRANSFORMER_SUBSTATION.format(index // 10 + 1)
        if index % 10 == 0:
            lines.append(f"ТП;{station};ТП 10/0,4 кВ {station};F-7-{index // 50 + 1}")
        lines.append(f"ТчК;{point};;{station}")
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


@pytest.fixture(scope="module")
def company(web, day_database, mail_sink):
    """Users with their roles, the PBX provider, the consumers who call with
    their service points and the grid that supplies them, set up by the
    administrator and the manager through JSON-RPC."""
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
    # Operators start on their desk, where the caller's card pops up.
    desk = ref(admin, "grid_contact_center.grid_desk_action")
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
                "email": f"{login}@grid.example",
                "password": PASSWORD,
                "groups_id": [Command.set([groups[role]])],
                "grid_phone_extension": extension,
                "action_id": desk if role == "operator" else False,
                "tz": TIMEZONE,
                "lang": "ru_RU",
            }
            for login, name, role, extension in people
        ]
    )
    for (login, _name, _role, extension), user_id in zip(people, user_ids, strict=True):
        result.users[extension or login] = {"login": f"e2e_{login}", "id": user_id}
    calendar = admin.env["res.company"].browse(1).resource_calendar_id
    calendar.tz = TIMEZONE
    admin.env["ir.mail_server"].create(
        {
            "name": "Loopback SMTP",
            "smtp_host": "127.0.0.1",
            "smtp_port": mail_sink.port,
            "smtp_encryption": "none",
        }
    )

    keys_and_values = [_consumer_values(index) for index in range(CONSUMERS)]
    partner_ids = admin.env["res.partner"].create([v for _k, v in keys_and_values])
    for (key, _values), partner_id in zip(keys_and_values, partner_ids, strict=True):
        # The trunk sends the same number in several forms.
        for number in ("8" + key, "+7" + key, "7" + key):
            result.callers[number] = partner_id
            result.caller_pool.append(number)
        result.dialled.append("8" + key)
        result.consumers.append(partner_id)
    result.storm_numbers = ["8" + key for key, _values in keys_and_values[:10]]
    settlement = ref(admin, "grid_contact_center.settlement_kaliningrad_demo")
    point_codes = [f"SP-E2E-{index:04d}" for index in range(CONSUMERS)]
    point_ids = admin.env["grid.service.point"].create(
        [
            {
                "name": code,
                "partner_id": partner_id,
                "settlement_id": settlement,
                "street": "ул. Северная",
                "house": str(index // 10 + 1),
                "apartment": str(index % 10 + 1),
                "voltage_level": "lv",
                "reliability_category": "3",
            }
            for index, (code, partner_id) in enumerate(
                zip(point_codes, partner_ids, strict=True)
            )
        ]
    )
    result.service_points = dict(zip(partner_ids, point_ids, strict=True))
    manager = connect(web, day_database, result.users["manager"]["login"])
    importer = manager.env["grid.element.import"]
    wizard = importer.create(
        {
            "file": base64.b64encode(_topology_csv(point_codes)).decode(),
            "filename": "grid.csv",
        }
    )
    importer.browse(wizard).action_import()
    result.topology_import = importer.read(
        [wizard], ["created_count", "attached_count", "error_count"]
    )[0]

    # Two-zone meters at twelve consumers, and the keys of the IVR and of
    # the website, which send the readings that consumers give them.
    installed = (datetime.now(timezone.utc) - timedelta(days=365)).date()
    result.meters = {
        f"E2E-M-{index:04d}": result.service_points[partner_ids[index]]
        for index in range(100, 112)
    }
    manager.env["grid.meter"].create(
        [
            {
                "name": serial,
                "service_point_id": point,
                "zone_count": 2,
                "installation_date": installed.isoformat(),
            }
            for serial, point in result.meters.items()
        ]
    )
    keys = manager.env["grid.api.key"]
    for source, name in (("ivr", "IVR"), ("website", "Личный кабинет")):
        key = keys.create({"name": name, "source": source})
        action = keys.browse(key).action_generate_key()
        result.api_keys[source] = action["context"]["default_key"]
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


# The dashboard's count cards that the day adds to, as (section, card).
DASHBOARD_COUNTS = (
    ("calls", "inbound"),
    ("calls", "answered"),
    ("interactions", "received"),
    ("interactions", "channel_phone_in"),
    ("complaints", "answered"),
    ("callbacks", "done"),
)


def dashboard_counts(client):
    """The count cards of the supervisor's dashboard for the last 7 days."""
    board = client.env["grid.dashboard"].get_dashboard("week")
    cards = {
        (section["key"], card["key"]): card["value"]
        for section in board["sections"]
        for card in section["cards"]
    }
    return {key: cards[key] for key in DASHBOARD_COUNTS}


def service_quality_figures(client, year):
    """The current year's figures of the regulatory report (Order 186,
    appendix 7, table 4.1) as the manager sees it: {row: {column: count}}."""
    reports = client.env["grid.service.quality.report"]
    report = reports.create({"year": year})
    html = reports.read([report], ["report_html"])[0]["report_html"]
    figures = {}
    for row in lxml.html.fromstring(html).xpath("//tr[@data-row]"):
        cells = [cell.text_content().strip() for cell in row.xpath("./td")]
        # Number, indicator, then previous year, year and change per column.
        figures[row.get("data-row")] = {
            column: int(re.sub(r"\D", "", cells[3 + 3 * index]) or 0)
            for index, column in enumerate(REPORT_COLUMNS)
        }
    return figures


@pytest.fixture(scope="module")
def baseline(company, web):
    """The dashboard and the regulatory report before the day, so that the
    checks count what the day added to the demo data."""
    supervisor = connect(web, company.database, company.users["supervisor"]["login"])
    manager = connect(web, company.database, company.users["manager"]["login"])
    year = datetime.now(ZoneInfo(TIMEZONE)).year
    return {
        "dashboard": dashboard_counts(supervisor),
        "report": service_quality_figures(manager, year),
        "year": year,
    }


@pytest.fixture(scope="module")
def telephony_day(
    company, baseline, ami, bridge, odoo_server, web, day_cursor, samples_dir
):
    """Replay the recorded streams, then the generated day. Odoo is killed
    when a third of the day is in, the rest of the day streams into the
    bridge while Odoo is down, and Odoo starts again."""
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
    # A transformer substation trips four hours into the day, and the
    # consumers behind it call one after another.
    storm = [(start + 4 * 3600, 90, company.storm_numbers)]
    generator = DayGenerator(
        start, end, DAY_CALLS, AGENTS, company.caller_pool, company.dialled, storm
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


# ----------------------------------------------------------------------
# The people: operators, the dispatcher and the supervisor at work
# ----------------------------------------------------------------------

# Calls of the day that operators register as interactions on a topic
# answered during the call, one consumer each.
INFORMATION_CALLS = 40
CALLBACKS = 4


@dataclass
class ContactDay:
    call_ids: dict
    topics: dict
    storm_reports: list = field(default_factory=list)
    informed: list = field(default_factory=list)
    callbacks: list = field(default_factory=list)
    callbacks_done: list = field(default_factory=list)
    complaint: int = 0
    outage: int = 0
    etrs: list = field(default_factory=list)
    answered_with_outage: list = field(default_factory=list)
    notice_campaign: int = 0
    # Calls made while the browser was open (PlannedCall).
    live_calls: list = field(default_factory=list)
    # Responses of the reading endpoint by batch.
    readings: dict = field(default_factory=dict)
    # (serial number, reading id, interaction id) taken by operators.
    operator_readings: list = field(default_factory=list)

    @property
    def interactions(self):
        """Every interaction that the day registered."""
        return (
            self.storm_reports
            + self.informed
            + self.callbacks
            + [self.complaint]
            + [interaction for _s, _r, interaction in self.operator_readings]
            + self.answered_with_outage
        )


class Staff:
    """One odoorpc client per person, logged in on first use."""

    def __init__(self, web, company):
        self.web = web
        self.company = company
        self.clients = {}

    def __getitem__(self, who):
        if who not in self.clients:
            login = self.company.users[who]["login"]
            self.clients[who] = connect(self.web, self.company.database, login)
        return self.clients[who]


def interaction_from_call(client, call_id, values):
    """Register an interaction from a call the way its card does: the desk
    opens prefilled from the call, the operator fills it in and registers,
    and the interaction is linked to the call. The values that the desk has
    no field for are then written on the interaction, as on its form."""
    action = client.env["grid.call"].browse(call_id).action_new_interaction()
    defaults = {
        name.removeprefix("default_"): value
        for name, value in action["context"].items()
        if name.startswith("default_")
    }
    desks = client.env["grid.desk"]
    desk_fields = desks.fields_get(attributes=["type"])
    on_desk = {name: value for name, value in values.items() if name in desk_fields}
    desk = desks.browse(desks.create({**defaults, **on_desk}))
    interaction_id = desk.action_register()["res_id"]
    rest = {name: value for name, value in values.items() if name not in on_desk}
    if rest:
        client.env["grid.interaction"].browse(interaction_id).write(rest)
    return interaction_id


def _pick_calls(calls, company, count, taken):
    """Every n-th answered queue call from one of the set-up's consumers not
    yet served, so that each consumer gets one survey."""
    chosen = []
    consumers = set(company.consumers)
    candidates = [
        call
        for call in calls
        if call.kind == "queue"
        and call.outcome == "answered"
        and company.callers[call.caller] in consumers
        and not call.burst
    ]
    step = max(1, len(candidates) // (count * 2))
    # Spread over the day first, then any call left.
    for call in candidates[::step] + candidates:
        partner = company.callers[call.caller]
        if partner in taken:
            continue
        taken.add(partner)
        chosen.append(call)
        if len(chosen) == count:
            break
    return chosen


@pytest.fixture(scope="module")
def contact_day(
    telephony_day, company, web, ami, supervisor, admin_client, screenshots
):
    """Operators register the day's calls, a feeder's consumers report the
    interruption, the dispatcher confirms it and changes the ETR, callers
    learn the ETR, the dispatcher restores supply, and the queued surveys and
    notices go out by e-mail."""
    staff = Staff(web, company)
    rows = supervisor.env["grid.call"].search_read(
        [("provider_id", "=", company.provider_id)], ["external_call_id"]
    )
    day = ContactDay(
        call_ids={row["external_call_id"]: row["id"] for row in rows},
        topics={
            code: ref(admin_client, f"grid_contact_center.topic_{code}")
            for code in ("1_2", "2", "3", "4_2", "5", "8", "9")
        },
    )
    calls = sorted(telephony_day.calls, key=lambda call: call.arrived)

    # The reports of the storm, each by the operator who took the call.
    storm = [call for call in calls if call.burst and call.outcome == "answered"]
    for call in storm:
        partner = company.callers[call.caller]
        day.storm_reports.append(
            interaction_from_call(
                staff[call.agent],
                day.call_ids[call.call_id],
                {
                    "topic_id": day.topics["4_2"],
                    "service_point_id": company.service_points[partner],
                    "description": "Нет света во всём доме.",
                    "notify_on_restoration": True,
                },
            )
        )

    # Questions answered during the call, then closed.
    taken = set(company.callers[call.caller] for call in storm)
    for call in _pick_calls(calls, company, INFORMATION_CALLS, taken):
        client = staff[call.agent]
        interaction = interaction_from_call(
            client,
            day.call_ids[call.call_id],
            {
                "topic_id": day.topics["1_2"],
                "description": "Как заключить договор на передачу электроэнергии?",
                "answer": "Рассказали о документах и сроках.",
                "answered_in_contact": True,
            },
        )
        client.env["grid.interaction"].browse(interaction).action_close()
        day.informed.append(interaction)

    # Questions that need a specialist: a callback is due within four hours.
    # The operators call two of the consumers back.
    for index, call in enumerate(_pick_calls(calls, company, CALLBACKS, taken)):
        client = staff[call.agent]
        interaction = interaction_from_call(
            client,
            day.call_ids[call.call_id],
            {
                "topic_id": day.topics["2"],
                "description": "Перерасчёт за период без света: ответит специалист.",
            },
        )
        day.callbacks.append(interaction)
        if index < CALLBACKS // 2:
            client.env["grid.callback.attempt"].create(
                {
                    "interaction_id": interaction,
                    "result": "reached",
                    "note": "Специалист объяснил порядок перерасчёта.",
                }
            )
            day.callbacks_done.append(interaction)

    # A complaint about a late reconnection; the supervisor answers it.
    [call] = _pick_calls(calls, company, 1, taken)
    day.complaint = interaction_from_call(
        staff[call.agent],
        day.call_ids[call.call_id],
        {
            "topic_id": day.topics["9"],
            "description": "После оплаты долга свет подключили через три дня.",
            "complaint_demands": "Объяснить задержку и наказать виновных.",
        },
    )
    complaints = staff["supervisor"].env["grid.interaction"]
    complaints.write(
        [day.complaint],
        {
            "answer": "Подключение выполнено с опозданием по вине подрядчика.",
            "complaint_justified": "partly",
            "complaint_resolution": "Подрядчику выставлена претензия.",
        },
    )
    complaints.browse(day.complaint).action_answer()

    take_meter_readings(day, company, web, staff, calls, taken)

    # The dispatcher confirms the suspected outage and gives an ETR, then a
    # later one when the damage turns out worse.
    dispatcher = staff["dispatcher"].env["grid.outage"]
    outages = dispatcher.search([("interaction_ids", "in", day.storm_reports)])
    assert len(outages) == 1
    day.outage = outages[0]
    dispatcher.browse(day.outage).action_confirm()
    for hours, reason in ((3, "Бригада выехала."), (5, "Повреждён кабель 10 кВ.")):
        etr = datetime.fromtimestamp(time.time() + hours * 3600, timezone.utc)
        dispatcher.write(
            [day.outage],
            {"etr": etr.strftime("%Y-%m-%d %H:%M:%S"), "etr_change_reason": reason},
        )
        day.etrs.append((etr.strftime("%Y-%m-%d %H:%M:%S"), reason))

    # Two more consumers behind the substation call; the operator takes the
    # calls in the browser, once working in Russian and once in English.
    browser = Chromium()
    try:
        take_calls_in_browser(day, company, web, ami, screenshots, staff, browser)
        browser.logout(web.url)
        show_outage(day, company, web, screenshots, staff, browser)
    finally:
        browser.close()

    # Supply is back: the reports close and the callers who asked are told.
    dispatcher.browse(day.outage).action_restore()

    # The scheduler's jobs send what the day queued: the notice job builds
    # the campaign's recipients in one run and sends in the next.
    campaigns = admin_client.env["grid.notice.campaign"]
    [day.notice_campaign] = campaigns.search(
        [("outage_id", "=", day.outage), ("kind", "=", "restoration")]
    )
    run_job_until(
        admin_client,
        "grid_contact_center.ir_cron_grid_notice_process",
        lambda: campaigns.read([day.notice_campaign], ["state"])[0]["state"] == "done",
        "the restoration notices",
    )
    run_job_until(
        admin_client,
        "grid_contact_center_survey.ir_cron_grid_survey_send",
        lambda: (
            not admin_client.env["survey.user_input"].search_count(
                [("grid_send_state", "=", "queued")]
            )
        ),
        "the survey invitations",
    )
    run_job_until(
        admin_client,
        "mail.ir_cron_mail_scheduler_action",
        lambda: (
            not admin_client.env["mail.mail"].search_count([("state", "=", "outgoing")])
        ),
        "the e-mail queue",
    )

    # At the end of the day the supervisor looks at the dashboard and the
    # call log.
    browser = Chromium()
    try:
        show_supervisor_screens(company, web, screenshots, staff, browser)
    finally:
        browser.close()
    return day


def run_job_until(client, xmlid, done, what, runs=10):
    """Run a scheduled job (as Odoo's cron would) until `done()` is true."""
    job = client.env["ir.cron"].browse(ref(client, xmlid))
    for _run in range(runs):
        job.method_direct_trigger()
        if done():
            return
    raise AssertionError(f"{what}: not done after {runs} runs of {xmlid}")


LANGUAGES = ("ru_RU", "en_US")


def switch_language(staff, company, who, language):
    """The user's own preference, as they would change it."""
    client = staff[who]
    client.env["res.users"].write([company.users[who]["id"]], {"lang": language})


def live_call(number, extension):
    """A call from `number` that rings at `extension` and is answered there
    now; return it with the AMI text up to the hang-up and of the hang-up."""
    now = int(time.time())
    generator = DayGenerator(
        now, now + 3600, 1, [extension], [number], [], [(now, 0, [number])]
    )
    [call] = generator.generate()
    return call, generator.wire(until=call.ended), generator.wire(since=call.ended)


def take_calls_in_browser(day, company, web, ami, screenshots, staff, browser):
    """Take calls in the web client. When the phone rings, the caller's card
    pops up with the outage and opens the desk. The operator registers the
    report there and then gives the caller the ETR."""
    extension = AGENTS[0]
    login = company.users[extension]["login"]
    numbers = company.storm_numbers[5:7]
    for language, number in zip(LANGUAGES, numbers, strict=True):
        switch_language(staff, company, extension, language)
        if not day.live_calls:
            browser.login(web.url, login, PASSWORD)
        browser.open_web_client(web.url, tours=True)
        start = browser.start_tour("grid_telephony_outage_call_card")
        browser.wait_for_console("grid_telephony: waiting for a call", start)
        call, ringing, hang_up = live_call(number, extension)
        ami.send(ringing)
        browser.wait_for_tour(start)
        browser.settle(".o_grid_screen_pop .o_grid_screen_pop_outage")
        screenshots.take(browser, "call_card", language)
        browser.wait_for_tour(browser.start_tour("grid_telephony_outage_call_desk"))
        browser.settle(".o_grid_desk .o_grid_outage_alert")
        # Choosing the topic scrolled the desk down; show it from its top.
        browser.evaluate(
            "document.querySelectorAll('.o_content').forEach((e) => e.scrollTo(0, 0))"
        )
        screenshots.take(browser, "desk", language)
        browser.wait_for_tour(browser.start_tour("grid_telephony_outage_call_answer"))
        ami.send(hang_up)
        day.live_calls.append(call)
        interaction = wait_until(
            lambda call=call: ended_call_interaction(staff, call),
            60,
            "the call taken in the browser to end",
        )
        day.answered_with_outage.append(interaction)
        # The interaction as the operator finds it later, out of the tour.
        browser.open_web_client(
            web.url,
            f"/odoo/action-grid_contact_center.grid_interaction_action/{interaction}",
        )
        browser.settle(".o_form_view .o_grid_outage_alert")
        screenshots.take(browser, "interaction_outage", language)


def ended_call_interaction(staff, call):
    """The interaction of a call once the call ended, else None."""
    [row] = (
        staff["supervisor"]
        .env["grid.call"]
        .search_read(
            [("external_call_id", "=", call.call_id)], ["state", "interaction_id"]
        )
    )
    if row["state"] == "ended" and row["interaction_id"]:
        return row["interaction_id"][0]
    return None


def show_outage(day, company, web, screenshots, staff, browser):
    """The dispatcher's view of the outage, with its reports and ETRs."""
    login = company.users["dispatcher"]["login"]
    for index, language in enumerate(LANGUAGES):
        switch_language(staff, company, "dispatcher", language)
        if index == 0:
            browser.login(web.url, login, PASSWORD)
        browser.open_web_client(
            web.url, f"/odoo/action-grid_contact_center.grid_outage_action/{day.outage}"
        )
        browser.settle(".o_form_view .o_field_widget[name=etr]")
        screenshots.take(browser, "outage", language)


def show_supervisor_screens(company, web, screenshots, staff, browser):
    login = company.users["supervisor"]["login"]
    screens = (
        ("dashboard", "/odoo/contact-center-dashboard", ".o_grid_dashboard .card"),
        (
            "calls",
            "/odoo/action-grid_contact_center_telephony.grid_call_action",
            ".o_list_view .o_data_row",
        ),
    )
    for index, language in enumerate(LANGUAGES):
        switch_language(staff, company, "supervisor", language)
        if index == 0:
            browser.login(web.url, login, PASSWORD)
        for name, path, selector in screens:
            browser.open_web_client(web.url, path)
            browser.settle(selector)
            screenshots.take(browser, name, language)


def post_readings(web, key, readings):
    """Send readings to the JSON endpoint as the IVR does; return the body."""
    request = urllib.request.Request(
        web.url + "/grid_contact_center/api/v1/meter_readings",
        data=json.dumps({"readings": readings}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)


def take_meter_readings(day, company, web, staff, calls, taken):
    """Readings of twelve two-zone meters: two months of them from the IVR
    before today, then today's from operators during calls and from the
    website, one operator's reading with a typo below the previous one."""
    today = datetime.now(ZoneInfo(TIMEZONE)).date()
    serials = sorted(company.meters)
    start = {
        serial: (10000.0 + 100 * i, 4000.0 + 50 * i) for i, serial in enumerate(serials)
    }

    def batch(days_ago, extra_t1, extra_t2, chosen):
        return [
            {
                "meter": serial,
                "date": (today - timedelta(days=days_ago)).isoformat(),
                "values": {
                    "t1": start[serial][0] + extra_t1,
                    "t2": start[serial][1] + extra_t2,
                },
            }
            for serial in chosen
        ]

    day.readings["ivr_60"] = post_readings(
        web, company.api_keys["ivr"], batch(60, 0, 0, serials)
    )
    day.readings["ivr_30"] = post_readings(
        web, company.api_keys["ivr"], batch(30, 150, 60, serials)
    )
    # Operators: four consumers with a meter call in; the last operator
    # types a day-zone value 5 kWh below the previous one.
    meters = (
        staff["supervisor"]
        .env["grid.meter"]
        .search_read([("name", "in", serials)], ["name", "partner_id"])
    )
    serial_of = {meter["partner_id"][0]: meter["name"] for meter in meters}
    meter_ids = {meter["name"]: meter["id"] for meter in meters}
    by_operator = []
    for call in calls:
        if call.kind != "queue" or call.outcome != "answered":
            continue
        partner = company.callers[call.caller]
        if partner in serial_of and partner not in taken:
            taken.add(partner)
            by_operator.append((call, serial_of[partner]))
        if len(by_operator) == 4:
            break
    for index, (call, serial) in enumerate(by_operator):
        client = staff[call.agent]
        interaction = interaction_from_call(
            client,
            day.call_ids[call.call_id],
            {"topic_id": day.topics["3"], "description": "Передаёт показания."},
        )
        t1 = start[serial][0] + (150 + 140 if index < 3 else 150 - 5)
        reading = client.env["grid.meter.reading"].create(
            {
                "meter_id": meter_ids[serial],
                "reading_date": today.isoformat(),
                "value_t1": t1,
                "value_t2": start[serial][1] + 60 + 55,
                "interaction_id": interaction,
            }
        )
        day.operator_readings.append((serial, reading, interaction))
    spoken = {serial for serial, _reading, _interaction in day.operator_readings}
    rest = [serial for serial in serials if serial not in spoken]
    website = batch(0, 150 + 140, 60 + 55, rest)
    website.append({**website[0], "meter": "E2E-M-9999"})
    day.readings["website"] = post_readings(web, company.api_keys["website"], website)


@pytest.fixture(scope="module")
def admin_client(web, company):
    return connect(web, company.database, "admin")


def _local_date(utc_text):
    moment = datetime.strptime(utc_text, "%Y-%m-%d %H:%M:%S")
    return moment.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(TIMEZONE)).date()


def test_storm_reports_one_outage(contact_day, telephony_day, supervisor, company):
    """The reports from the consumers behind the tripped substation make one
    outage there; restoration closed them."""
    storm_calls = [
        call
        for call in telephony_day.calls
        if call.burst and call.outcome == "answered"
    ]
    assert len(contact_day.storm_reports) == len(storm_calls)
    [outage] = supervisor.env["grid.outage"].read(
        [contact_day.outage], ["state", "interaction_ids", "element_ids", "kind"]
    )
    station = supervisor.env["grid.element"].search(
        [("code", "=", TRANSFORMER_SUBSTATION.format(1))]
    )
    assert outage["state"] == "restored"
    assert outage["kind"] == "emergency"
    assert outage["element_ids"] == station
    assert set(outage["interaction_ids"]) == set(
        contact_day.storm_reports + contact_day.answered_with_outage
    )
    reports = supervisor.env["grid.interaction"].read(
        contact_day.storm_reports,
        ["state", "outage_id", "received_at", "partner_id", "service_point_id"],
    )
    calls = supervisor.env["grid.call"].read(
        [contact_day.call_ids[call.call_id] for call in storm_calls],
        ["interaction_id"],
    )
    for report, call, logged in zip(reports, storm_calls, calls, strict=True):
        partner = company.callers[call.caller]
        assert report["state"] == "closed"
        assert report["outage_id"][0] == contact_day.outage
        assert report["received_at"] == _utc(call.arrived)
        assert report["partner_id"][0] == partner
        assert report["service_point_id"][0] == company.service_points[partner]
        assert logged["interaction_id"][0] == report["id"]


def test_etr_history_kept(contact_day, supervisor):
    [outage] = supervisor.env["grid.outage"].read([contact_day.outage], ["etr"])
    history = supervisor.env["grid.outage.etr"].search_read(
        [("outage_id", "=", contact_day.outage)],
        ["etr", "previous_etr", "reason"],
        order="id",
    )
    (first, first_reason), (second, second_reason) = contact_day.etrs
    assert outage["etr"] == second
    assert [(h["etr"], h["previous_etr"], h["reason"]) for h in history] == [
        (first, False, first_reason),
        (second, first, second_reason),
    ]


def test_questions_answered_and_surveyed(contact_day, supervisor):
    rows = supervisor.env["grid.interaction"].read(
        contact_day.informed,
        ["state", "answered_in_contact", "answered_at", "satisfaction_state"],
    )
    assert len(rows) == INFORMATION_CALLS
    for row in rows:
        assert row["state"] == "closed"
        assert row["answered_in_contact"] is True
        assert row["answered_at"]
        assert row["satisfaction_state"] == "invited"


def test_callbacks_due_in_four_hours(contact_day, supervisor):
    """Questions not answered during the call are due for a callback four
    clock hours after the call. A callback that reached the consumer later,
    or one not made in time, counts as missed."""
    rows = supervisor.env["grid.interaction"].read(
        contact_day.callbacks,
        [
            "received_at",
            "callback_required",
            "callback_due",
            "callback_state",
            "callback_done_at",
            "callback_missed",
        ],
    )
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    assert len(rows) == CALLBACKS
    for row in rows:
        received = datetime.strptime(row["received_at"], "%Y-%m-%d %H:%M:%S")
        due = (received + timedelta(hours=4)).strftime("%Y-%m-%d %H:%M:%S")
        done = row["id"] in contact_day.callbacks_done
        assert row["callback_required"] is True
        assert row["callback_due"] == due
        assert row["callback_state"] == ("done" if done else "due")
        assert bool(row["callback_done_at"]) == done
        assert row["callback_missed"] == ((row["callback_done_at"] or now) > due)


def test_complaint_answered_in_term(contact_day, supervisor, admin_client):
    [complaint] = supervisor.env["grid.interaction"].read(
        [contact_day.complaint],
        [
            "state",
            "received_at",
            "deadline",
            "answered_at",
            "complaint_answer_date",
            "complaint_answer_channel",
            "complaint_justified",
        ],
    )
    holidays = set()
    for leave in admin_client.env["resource.calendar.leaves"].search_read(
        [("grid_public_holiday", "=", True)], ["date_from", "date_to"]
    ):
        day = _local_date(leave["date_from"])
        while day <= _local_date(leave["date_to"]):
            holidays.add(day)
            day += timedelta(days=1)
    workdays = {
        datetime.strptime(day["date"], "%Y-%m-%d").date()
        for day in admin_client.env["grid.workday"].search_read([], ["date"])
    }
    last_day = _local_date(complaint["received_at"]) + timedelta(days=30)
    while not (
        (last_day.weekday() < 5 and last_day not in holidays) or last_day in workdays
    ):
        last_day += timedelta(days=1)
    end = datetime.combine(last_day, datetime.max.time().replace(microsecond=0))
    due = end.replace(tzinfo=ZoneInfo(TIMEZONE)).astimezone(timezone.utc)
    assert complaint["state"] == "answered"
    assert complaint["answered_at"]
    assert complaint["complaint_justified"] == "partly"
    assert complaint["complaint_answer_channel"] == "phone"
    assert complaint["complaint_answer_date"] == (
        datetime.now(ZoneInfo(TIMEZONE)).date().isoformat()
    )
    assert complaint["deadline"] == due.strftime("%Y-%m-%d %H:%M:%S")


def test_surveys_and_notices_emailed(contact_day, supervisor, mail_sink, company):
    """Each consumer whose interaction closed got the satisfaction survey by
    e-mail, and each caller who asked got the restoration notice."""
    station = TRANSFORMER_SUBSTATION.format(1)
    kinds = {}
    for message in mail_sink.messages:
        parsed = email.message_from_bytes(
            message["content"], policy=email.policy.default
        )
        body = parsed.get_body(("html", "plain")).get_content()
        if "/survey/i/" in body:
            kind = "survey"
        elif station in body:
            kind = "restored"
        else:
            kind = "other"
        for address in message["to"]:
            kinds.setdefault(address, []).append(kind)
    partners = supervisor.env["res.partner"].read(company.consumers, ["email"])
    addresses = {partner["id"]: partner["email"] for partner in partners}
    informed = supervisor.env["grid.interaction"].read(
        contact_day.informed, ["partner_id"]
    )
    storm = supervisor.env["grid.interaction"].read(
        contact_day.storm_reports, ["partner_id"]
    )
    expected = {addresses[row["partner_id"][0]]: ["survey"] for row in informed}
    for row in storm:
        expected[addresses[row["partner_id"][0]]] = ["restored", "survey"]
    # The callers answered in the browser asked for no notice; a consumer
    # surveyed for a storm report is not surveyed again.
    answered = supervisor.env["grid.interaction"].read(
        contact_day.answered_with_outage, ["partner_id"]
    )
    for row in answered:
        expected.setdefault(addresses[row["partner_id"][0]], ["survey"])
    received = {
        address: sorted(found)
        for address, found in kinds.items()
        if address in addresses.values()
    }
    assert received == expected


def test_meter_readings_checked(contact_day, supervisor):
    """Readings from the IVR, the website and operators are checked against
    the meter's history: consumption from the last accepted reading, a
    value below it rejected, an unknown meter reported."""
    statuses = {
        batch: [result["status"] for result in body["results"]]
        for batch, body in contact_day.readings.items()
    }
    consumption = {
        batch: [result.get("consumption") for result in body["results"]]
        for batch, body in contact_day.readings.items()
    }
    assert statuses["ivr_60"] == ["accepted"] * 12
    assert statuses["ivr_30"] == ["accepted"] * 12
    assert consumption["ivr_30"] == [{"t1": 150.0, "t2": 60.0, "total": 210.0}] * 12
    assert statuses["website"] == ["accepted"] * 8 + ["error"]
    assert consumption["website"][:8] == [{"t1": 140.0, "t2": 55.0, "total": 195.0}] * 8
    readings = supervisor.env["grid.meter.reading"].read(
        [reading for _serial, reading, _interaction in contact_day.operator_readings],
        ["state", "consumption_total", "reason_codes", "interaction_id", "source"],
    )
    assert [reading["state"] for reading in readings] == ["accepted"] * 3 + ["rejected"]
    assert [reading["consumption_total"] for reading in readings[:3]] == [195.0] * 3
    assert "below_previous" in readings[3]["reason_codes"]
    assert [reading["interaction_id"][0] for reading in readings] == [
        interaction for _serial, _reading, interaction in contact_day.operator_readings
    ]
    assert {reading["source"] for reading in readings} == {"operator"}


def test_dashboard_counts_the_day(contact_day, telephony_day, baseline, supervisor):
    """The supervisor's dashboard for the last seven days grew by what the
    day brought: its inbound calls, the interactions registered, the
    complaint answered and the callbacks made."""
    inbound = [
        call
        for call in telephony_day.calls + contact_day.live_calls
        if call.direction == "inbound"
    ]
    expected = {
        ("calls", "inbound"): len(inbound),
        ("calls", "answered"): sum(call.outcome == "answered" for call in inbound),
        ("interactions", "received"): len(contact_day.interactions),
        ("interactions", "channel_phone_in"): len(contact_day.interactions),
        ("complaints", "answered"): 1,
        ("callbacks", "done"): len(contact_day.callbacks_done),
    }
    now = dashboard_counts(supervisor)
    added = {key: now[key] - baseline["dashboard"][key] for key in DASHBOARD_COUNTS}
    assert added == expected


def test_regulatory_report_counts_the_day(contact_day, baseline, web, company):
    """The yearly service-quality report counts the day's interactions in the
    telephone column: all of them, the complaint, the readings (service
    requests) and the complaint resolved."""
    manager = connect(web, company.database, company.users["manager"]["login"])
    rows = manager.env["grid.interaction"].read(
        contact_day.interactions, ["received_at", "topic_kind", "state"]
    )
    this_year = [
        row for row in rows if _local_date(row["received_at"]).year == baseline["year"]
    ]
    figures = service_quality_figures(manager, baseline["year"])
    added = {
        row: figures[row]["telephone"] - baseline["report"][row]["telephone"]
        for row in figures
    }
    assert added == {
        "all": len(this_year),
        "complaint": sum(row["topic_kind"] == "complaint" for row in this_year),
        "service_request": sum(
            row["topic_kind"] == "service_request" for row in this_year
        ),
        "contract": 0,
        "resolved": sum(
            row["topic_kind"] == "complaint" and row["state"] in ("answered", "closed")
            for row in this_year
        ),
    }
    for row in figures:
        for column in ("in_person", "internet", "post", "other"):
            assert figures[row][column] == baseline["report"][row][column]


def test_main_screens_render(contact_day, screenshots):
    """Each main screen rendered in both languages (the files are written
    with GRID_CC_SCREENSHOTS=1)."""
    names = ("call_card", "desk", "interaction_outage", "outage", "dashboard", "calls")
    assert sorted(screenshots.taken) == sorted(
        (language, name) for language in LANGUAGES for name in names
    )


def test_calls_in_browser_answered_with_etr(contact_day, supervisor, company):
    """The calls taken in the browser became reports on the outage, answered
    during the call with its details, and closed at restoration."""
    [outage] = supervisor.env["grid.outage"].read([contact_day.outage], ["name"])
    rows = supervisor.env["grid.interaction"].read(
        contact_day.answered_with_outage,
        [
            "partner_id",
            "service_point_id",
            "outage_id",
            "answered_in_contact",
            "answer",
            "state",
            "caller_phone",
        ],
    )
    assert len(rows) == len(contact_day.live_calls) == len(LANGUAGES)
    for row, call in zip(rows, contact_day.live_calls, strict=True):
        partner = company.callers[call.caller]
        assert row["partner_id"][0] == partner
        assert row["service_point_id"][0] == company.service_points[partner]
        # The desk keeps the number in E.164, as the call matched it.
        number = phonenumbers.parse(call.caller, "RU")
        assert row["caller_phone"] == phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.E164
        )
        assert row["outage_id"][0] == contact_day.outage
        assert row["answered_in_contact"] is True
        assert outage["name"] in row["answer"]
        assert row["state"] == "closed"
