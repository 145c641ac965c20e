"""The AMI bridge against Odoo's real HTTP server: recorded AMI streams go
over a TCP socket to the bridge, which posts them to the telephony webhook,
and the call log shows the calls."""

import asyncio
import json
import os
import tempfile
import threading
import time
from pathlib import Path

from odoo.tests import HttpCase, new_test_user, tagged

from grid_ami_bridge.bridge import Bridge
from grid_ami_bridge.config import AmiSettings, BridgeConfig, WebhookSettings
from grid_ami_bridge.tracker import TrackerSettings

from .ami_server import FakeAmi, ami_wire
from .conftest import REPOSITORY

SECRET = "bridge-e2e-secret"


def _samples() -> Path:
    default = REPOSITORY.parent / "shared" / "samples"
    return Path(os.environ.get("GRID_CC_SAMPLES") or default)


@tagged("post_install", "-at_install")
class TestBridgeToOdoo(HttpCase):
    def _run_bridge(self, streams, tmp_dir):
        """Replay `streams` (raw bytes each) through the bridge in a thread and
        wait until every event is delivered."""
        errors = []
        delivered = {}

        async def scenario():
            ami = FakeAmi()
            port = await ami.start()
            config = BridgeConfig(
                ami=AmiSettings(
                    host="127.0.0.1",
                    port=port,
                    username="grid",
                    secret="ami-secret",
                    reconnect_max_delay=0.5,
                ),
                webhook=WebhookSettings(
                    url=f"{self.base_url()}/grid_telephony/bridge-e2e/events",
                    secret=SECRET,
                    retry_max_delay=0.5,
                ),
                spool_directory=tmp_dir,
                spool_fsync=False,
                calls=TrackerSettings(
                    extension_pattern=r"\d{2,4}|1500100\d\d",
                    recording_variables=("FullFname",),
                ),
            )
            bridge = Bridge(config)
            running = asyncio.create_task(bridge.run())
            await asyncio.wait_for(bridge.connected.wait(), 10)
            for stream in streams:
                await ami.send(stream, chunk=4096)
            deadline = time.monotonic() + 60
            await asyncio.sleep(0.2)
            while len(bridge.spool) or bridge.tracker.calls:
                if time.monotonic() > deadline:
                    raise AssertionError("events were not delivered in time")
                await asyncio.sleep(0.05)
            delivered["rejected"] = list(bridge.spool.rejected_dir.iterdir())
            bridge.stop()
            await running
            await ami.stop()

        def target():
            try:
                asyncio.run(scenario())
            except Exception as error:  # reported to the test thread below
                errors.append(error)

        thread = threading.Thread(target=target)
        thread.start()
        thread.join(120)
        self.assertFalse(thread.is_alive(), "the bridge did not stop")
        self.assertEqual(errors, [])
        self.assertEqual(delivered["rejected"], [])

    def test_recorded_streams_reach_call_log(self):
        provider = self.env["grid.telephony.provider"].create(
            {"name": "Bridge", "code": "bridge-e2e", "webhook_secret": SECRET}
        )
        agent = new_test_user(
            self.env, "bridge_agent", groups="grid_contact_center.group_operator"
        )
        agent.grid_phone_extension = "777"
        consumer = self.env["res.partner"].create(
            {
                "name": "Caller from abroad",
                "consumer_category": "household",
                "phone": "+31 15 001 0001",
            }
        )
        folder = _samples() / "asterisk_ami"
        queue_json = json.loads(
            (folder / "cacofonisk_queue_queue_simple.json").read_text()
        )
        reject_json = json.loads(
            (folder / "cacofonisk_simple_ab_reject.json").read_text()
        )
        streams = [
            (folder / "ru_queue_call_ami_debug.log").read_bytes(),
            ami_wire(queue_json),
            ami_wire(reject_json),
        ]
        with tempfile.TemporaryDirectory() as tmp_dir:
            self._run_bridge(streams, tmp_dir)
        calls = self.env["grid.call"].search([("provider_id", "=", provider.id)])
        by_id = {call.external_call_id: call for call in calls}
        self.assertEqual(
            set(by_id),
            {
                "1514295827.372",
                "195176c06ab8-1529939196.518",
                "195176c06ab8-1529936241.98",
            },
        )
        queue_call = by_id["1514295827.372"]
        self.assertEqual(queue_call.state, "ended")
        self.assertEqual(queue_call.outcome, "answered")
        self.assertEqual(queue_call.direction, "inbound")
        self.assertEqual(queue_call.queue, "Q1")
        self.assertEqual(queue_call.agent_id, agent)
        self.assertEqual(queue_call.rang_user_ids, agent)
        self.assertEqual(queue_call.wait_seconds, 9)
        self.assertEqual(queue_call.talk_seconds, 3)
        self.assertEqual(queue_call.hangup_cause, 16)
        self.assertEqual(str(queue_call.arrived_at), "2017-12-26 13:43:47")
        self.assertTrue(queue_call.recording_url.endswith("-123-888999.mp3"))
        # Every event once, although the log has duplicates.
        self.assertEqual(len(queue_call.event_ids), 5)
        dutch = by_id["195176c06ab8-1529939196.518"]
        self.assertEqual(dutch.outcome, "answered")
        self.assertEqual(dutch.partner_id, consumer)
        self.assertEqual(dutch.caller_e164, "+31150010001")
        self.assertEqual(by_id["195176c06ab8-1529936241.98"].outcome, "busy")
        self.assertEqual(by_id["195176c06ab8-1529936241.98"].direction, "internal")
