"""The AMI bridge against a scripted AMI server on a TCP socket and a
recording webhook: login, pings, reconnection, damaged input and the spool."""

import asyncio
import json
import time

import pytest

from grid_ami_bridge.bridge import Bridge
from grid_ami_bridge.config import AmiSettings, BridgeConfig, WebhookSettings
from grid_ami_bridge.spool import Spool
from grid_ami_bridge.tracker import TrackerSettings

from .ami_server import FakeAmi, RecordingWebhook, ami_wire


async def _until(predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met before the deadline")
        await asyncio.sleep(0.02)


def _config(port, webhook, tmp_path, **ami):
    settings = AmiSettings(
        host="127.0.0.1",
        port=port,
        username="grid",
        secret="ami-secret",
        ping_interval=ami.pop("ping_interval", 30),
        ping_timeout=ami.pop("ping_timeout", 2),
        reconnect_max_delay=ami.pop("reconnect_max_delay", 0.2),
        connect_timeout=2,
        **ami,
    )
    return BridgeConfig(
        ami=settings,
        webhook=WebhookSettings(url=webhook.url, secret=webhook.secret, timeout=5),
        spool_directory=str(tmp_path / "spool"),
        spool_fsync=False,
        calls=TrackerSettings(recording_variables=("FullFname",)),
    )


@pytest.fixture
def webhook():
    server = RecordingWebhook()
    yield server
    server.close()


def _run(scenario):
    asyncio.run(asyncio.wait_for(scenario(), 60))


@pytest.mark.parametrize("auth", ["md5", "plain"])
def test_debug_log_replayed_over_socket_reaches_webhook(
    auth, webhook, tmp_path, samples_dir
):
    stream = (samples_dir / "asterisk_ami" / "ru_queue_call_ami_debug.log").read_bytes()

    async def scenario():
        ami = FakeAmi()
        bridge = Bridge(_config(await ami.start(), webhook, tmp_path, auth=auth))
        running = asyncio.create_task(bridge.run())
        await asyncio.wait_for(bridge.connected.wait(), 10)
        # CLI lines, duplicated events and all, in uneven chunks.
        await ami.send(stream, chunk=1000)
        await _until(lambda: len(webhook.events) == 5)
        bridge.stop()
        await running
        await ami.stop()
        login = next(a for a in ami.actions if a["Action"].lower() == "login")
        assert ("Key" in login) == (auth == "md5")
        assert ("Secret" in login) == (auth == "plain")

    _run(scenario)
    assert [e["type"] for e in webhook.events] == [
        "started",
        "queued",
        "ringing",
        "answered",
        "ended",
    ]
    assert webhook.events[-1]["outcome"] == "answered"
    assert webhook.events[-1]["agent_extension"] == "777"


def test_wrong_secret_is_retried_without_crash(webhook, tmp_path):
    async def scenario():
        ami = FakeAmi(secret="other")
        bridge = Bridge(_config(await ami.start(), webhook, tmp_path))
        running = asyncio.create_task(bridge.run())
        await _until(lambda: ami.failed_logins >= 2)
        assert not bridge.connected.is_set()
        bridge.stop()
        await running
        await ami.stop()

    _run(scenario)


def test_unanswered_ping_makes_the_bridge_reconnect(webhook, tmp_path):
    async def scenario():
        ami = FakeAmi(answer_pings=False)
        config = _config(
            await ami.start(), webhook, tmp_path, ping_interval=0.2, ping_timeout=0.2
        )
        bridge = Bridge(config)
        running = asyncio.create_task(bridge.run())
        await _until(lambda: ami.logins >= 2)
        pings = [a for a in ami.actions if a["Action"] == "Ping"]
        assert pings
        bridge.stop()
        await running
        await ami.stop()

    _run(scenario)


def test_late_pong_behind_events_keeps_session(webhook, tmp_path):
    """A pong that comes late while events keep arriving does not end the
    session: dropping it would lose the events still in the socket."""
    trickle = ami_wire([{"Event": "PeerStatus", "Peer": "SIP/7001"}])

    async def scenario():
        ami = FakeAmi(ping_delay=3.0)
        config = _config(
            await ami.start(), webhook, tmp_path, ping_interval=0.5, ping_timeout=1.0
        )
        bridge = Bridge(config)
        running = asyncio.create_task(bridge.run())
        await asyncio.wait_for(bridge.connected.wait(), 10)
        deadline = time.monotonic() + 4.5
        while time.monotonic() < deadline:
            await ami.send(trickle)
            await asyncio.sleep(0.1)
        pings = [a for a in ami.actions if a["Action"] == "Ping"]
        bridge.stop()
        await running
        await ami.stop()
        assert len(pings) >= 2
        assert ami.logins == 1
        assert bridge.sessions == 1

    _run(scenario)


def test_dropped_connection_reconnects_and_keeps_following(
    webhook, tmp_path, samples_dir
):
    calls = json.loads(
        (samples_dir / "asterisk_ami" / "cacofonisk_simple_ab_reject.json").read_text()
    )

    async def scenario():
        ami = FakeAmi()
        bridge = Bridge(_config(await ami.start(), webhook, tmp_path))
        running = asyncio.create_task(bridge.run())
        await asyncio.wait_for(bridge.connected.wait(), 10)
        ami.drop_clients()
        await _until(lambda: ami.logins == 2 and bridge.connected.is_set())
        await ami.send(ami_wire(calls))
        await _until(lambda: any(e["type"] == "ended" for e in webhook.events))
        bridge.stop()
        await running
        await ami.stop()

    _run(scenario)
    assert webhook.events[-1]["outcome"] == "busy"


def test_garbage_and_truncated_events_on_socket(webhook, tmp_path, samples_dir):
    calls = json.loads(
        (
            samples_dir / "asterisk_ami" / "cacofonisk_simple_ab_success_a_hangup.json"
        ).read_text()
    )
    wire = ami_wire(calls)

    async def scenario():
        ami = FakeAmi()
        bridge = Bridge(_config(await ami.start(), webhook, tmp_path))
        running = asyncio.create_task(bridge.run())
        await asyncio.wait_for(bridge.connected.wait(), 10)
        await ami.send(
            b"\x00\x01\xfe\xff binary noise\r\n"
            b"Event: Newchannel\r\nUniqueid: 99.1\r\nLinkedid: 99.1\r\nChan"
            + b"\r\nnot a header line at all\r\n\r\n"
            + wire
        )
        await _until(lambda: any(e["type"] == "ended" for e in webhook.events))
        bridge.stop()
        await running
        await ami.stop()

    _run(scenario)
    assert {e["call_id"] for e in webhook.events} == {"195176c06ab8-1529936170.42"}
    assert webhook.events[-1]["outcome"] == "answered"


def test_events_wait_in_spool_while_odoo_is_down(webhook, tmp_path, samples_dir):
    stream = (samples_dir / "asterisk_ami" / "ru_queue_call_ami_debug.log").read_bytes()
    queue_call = json.loads(
        (
            samples_dir / "asterisk_ami" / "cacofonisk_queue_queue_simple.json"
        ).read_text()
    )
    webhook.available = False

    async def scenario():
        ami = FakeAmi()
        config = _config(await ami.start(), webhook, tmp_path)
        config.webhook.retry_max_delay = 0.2
        config.webhook.batch_size = 2
        bridge = Bridge(config)
        running = asyncio.create_task(bridge.run())
        await asyncio.wait_for(bridge.connected.wait(), 10)
        await ami.send(stream)
        await _until(lambda: len(bridge.spool) == 5 and webhook.requests >= 2)
        # The bridge restarts while Odoo is still down: the spool stays.
        bridge.stop()
        await running
        assert len(Spool(config.spool_directory)) == 5

        restarted = Bridge(config)
        running = asyncio.create_task(restarted.run())
        await asyncio.wait_for(restarted.connected.wait(), 10)
        await ami.send(ami_wire(queue_call))
        await _until(lambda: len(restarted.spool) == 8)
        webhook.available = True
        await _until(lambda: len(restarted.spool) == 0)
        restarted.stop()
        await running
        await ami.stop()

    _run(scenario)
    ids = [e["event_id"] for e in webhook.events]
    assert len(ids) == len(set(ids)) == 8
    # In the order of the calls' steps: the first call, then the second.
    assert [e["call_id"] for e in webhook.events[:5]] == ["1514295827.372"] * 5
    assert [e["type"] for e in webhook.events[5:]] == ["started", "answered", "ended"]


def test_lost_response_resent_counts_as_duplicate(webhook, tmp_path):
    spool = Spool(tmp_path / "spool", fsync=False)
    event = {"event_id": "c1:started", "call_id": "c1", "type": "started"}
    webhook.seen_ids.add("c1:started")
    spool.put(event)

    async def scenario():
        config = _config(1, webhook, tmp_path)
        bridge = Bridge(config, spool=spool)
        delivery = asyncio.create_task(bridge._deliver_forever())
        await _until(lambda: len(spool) == 0)
        bridge.stop()
        await asyncio.gather(delivery, return_exceptions=True)

    _run(scenario)
    assert webhook.events == []


def test_unreadable_spool_file_moved_aside(tmp_path):
    spool = Spool(tmp_path / "spool", fsync=False)
    spool.put({"event_id": "a"})
    name = spool.put({"event_id": "b"})
    (spool.pending_dir / name).write_bytes(b"{broken")
    reopened = Spool(tmp_path / "spool", fsync=False)
    assert [event["event_id"] for _name, event in reopened.peek(10)] == ["a"]
    assert (reopened.rejected_dir / name).exists()
    assert "unreadable" in (reopened.rejected_dir / (name + ".error")).read_text()


def _write_config(tmp_path, webhook, **overrides):
    values = {
        "ami_secret": "ami-secret",
        "url": webhook.url,
        "extension_pattern": r"\d{2,4}",
    }
    values.update(overrides)
    path = tmp_path / "bridge.conf"
    path.write_text(
        "[ami]\nusername = grid\n"
        f"secret = {values['ami_secret']}\n"
        f"[webhook]\nurl = {values['url']}\nsecret = {webhook.secret}\n"
        f"[spool]\ndirectory = {tmp_path / 'spool'}\nfsync = no\n"
        f"[calls]\nextension_pattern = {values['extension_pattern']}\n"
        "recording_variables = FullFname\n"
    )
    return path


def test_command_checks_configuration(webhook, tmp_path, capsys):
    from grid_ami_bridge.cli import main

    path = _write_config(tmp_path, webhook)
    assert main(["--config", str(path), "--check"]) == 0
    bad = _write_config(tmp_path, webhook, url="ftp://odoo")
    assert main(["--config", str(bad), "--check"]) == 2
    assert (
        "[webhook] url must be an http:// or https:// address"
        in capsys.readouterr().err
    )
    assert main(["--config", str(tmp_path / "missing.conf"), "--check"]) == 2


def test_environment_secrets_override_file(webhook, tmp_path):
    from grid_ami_bridge.config import load_config

    path = _write_config(tmp_path, webhook)
    config = load_config(str(path), environ={"GRID_AMI_SECRET": "from-env"})
    assert config.ami.secret == "from-env"
    assert config.webhook.secret == webhook.secret


def test_command_replays_recording(webhook, tmp_path, samples_dir):
    from grid_ami_bridge.cli import main

    path = _write_config(tmp_path, webhook)
    recording = samples_dir / "asterisk_ami" / "ru_queue_call_ami_debug.log"
    assert main(["--config", str(path), "--replay", str(recording)]) == 0
    assert [e["type"] for e in webhook.events] == [
        "started",
        "queued",
        "ringing",
        "answered",
        "ended",
    ]
    # A second replay sends the same event ids: Odoo answers duplicate.
    assert main(["--config", str(path), "--replay", str(recording)]) == 0
    assert len(webhook.events) == 5
