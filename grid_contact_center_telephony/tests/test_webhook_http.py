import json
import time
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..tools.signature import grid_signature, mango_sign, zadarma_signature
from .common import WEBHOOK_SECRET, TelephonyCase


@tagged("post_install", "-at_install")
class TestWebhookHttp(HttpCase, TelephonyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mango = cls.env["grid.telephony.provider"].create(
            {
                "name": "Mango",
                "code": "mango-test",
                "kind": "mango",
                "mango_api_key": "mango-key",
                "mango_api_salt": "mango-salt",
            }
        )
        cls.zadarma = cls.env["grid.telephony.provider"].create(
            {
                "name": "Zadarma",
                "code": "zadarma-test",
                "kind": "zadarma",
                "zadarma_api_secret": "zd-secret",
                "pbx_timezone": "Europe/Moscow",
            }
        )

    def post_events(
        self, events, secret=WEBHOOK_SECRET, timestamp=None, body=None, **headers
    ):
        body = body if body is not None else json.dumps({"events": events}).encode()
        timestamp = timestamp or str(int(time.time()))
        all_headers = {
            "Content-Type": "application/json",
            "X-Grid-Timestamp": timestamp,
            "X-Grid-Signature": grid_signature(secret, timestamp, body),
            **headers,
        }
        return self.url_open(
            "/grid_telephony/test-asterisk/events", data=body, headers=all_headers
        )

    def assert_error(self, response, status, code):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.json()["error"]["code"], code)

    def test_signed_batch_accepted(self):
        response = self.post_events(self.queue_call())
        self.assertEqual(response.status_code, 200, response.text)
        payload = response.json()
        self.assertEqual(payload["accepted"], 6)
        self.assertEqual(payload["duplicates"], 0)
        self.assertEqual(self.call().outcome, "answered")

    def test_same_delivery_three_times(self):
        events = self.queue_call()
        statuses = [self.post_events(events).json() for _attempt in range(3)]
        self.assertEqual([s["accepted"] for s in statuses], [6, 0, 0])
        self.assertEqual([s["duplicates"] for s in statuses], [0, 6, 6])
        self.assertEqual(len(self.call()), 1)
        self.assertEqual(len(self.call().event_ids), 6)

    def test_wrong_signature_rejected(self):
        response = self.post_events(self.queue_call(), secret="not-the-secret")
        self.assert_error(response, 401, "invalid_signature")
        self.assertFalse(self.call())

    def test_old_request_rejected_as_replay(self):
        old = str(int(time.time()) - 301)
        response = self.post_events(self.queue_call(), timestamp=old)
        self.assert_error(response, 401, "expired_timestamp")
        self.assertFalse(self.call())

    def test_missing_signature_rejected(self):
        response = self.url_open(
            "/grid_telephony/test-asterisk/events",
            data=json.dumps({"events": self.queue_call()}),
            headers={"Content-Type": "application/json"},
        )
        self.assert_error(response, 401, "missing_signature")

    def test_bad_input_gets_json_errors(self):
        self.assert_error(
            self.post_events(None, body=b"{not json"), 400, "invalid_json"
        )
        self.assert_error(self.post_events(None, body=b"\xff\xfe"), 400, "invalid_json")
        self.assert_error(
            self.post_events(None, body=b'{"events": []}'), 400, "invalid_envelope"
        )
        self.assert_error(
            self.post_events(None, body=b'{"calls": [1]}'), 400, "invalid_envelope"
        )
        too_many = [self.event("started", f"c{i}") for i in range(501)]
        self.assert_error(self.post_events(too_many), 400, "invalid_envelope")
        self.assert_error(
            self.post_events(self.queue_call(), **{"Content-Type": "text/plain"}),
            415,
            "unsupported_media_type",
        )
        huge = b'{"events": [' + b" " * (1024 * 1024) + b"]}"
        self.assert_error(self.post_events(None, body=huge), 413, "payload_too_large")
        response = self.url_open("/grid_telephony/no-such/events", data=b"{}")
        self.assert_error(response, 404, "unknown_provider")
        self.assert_error(
            self.url_open("/grid_telephony/test-asterisk/events"),
            405,
            "method_not_allowed",
        )

    def test_retry_after_serialization_failure(self):
        """Odoo runs the controller again after a serialization failure, as
        when parallel requests update one call: the retry reads the same body."""
        call_class = type(self.env["grid.call"])
        process_events = call_class._grid_process_events
        attempts = []

        def fail_first_attempt(calls, provider, events):
            attempts.append(len(events))
            if len(attempts) == 1:
                calls.env.cr.execute(
                    "DO $$ BEGIN RAISE EXCEPTION 'concurrent update' "
                    "USING ERRCODE = 'serialization_failure'; END $$"
                )
            return process_events(calls, provider, events)

        with (
            patch.object(call_class, "_grid_process_events", fail_first_attempt),
            mute_logger("odoo.sql_db"),
        ):
            response = self.post_events(self.queue_call())
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(attempts, [6, 6])
        self.assertEqual(response.json()["accepted"], 6)
        self.assertEqual(len(self.call()), 1)
        self.assertEqual(len(self.call().event_ids), 6)

    def test_invalid_event_in_batch_reported(self):
        events = self.queue_call()[:2]
        events.insert(1, {"event_id": "broken", "call_id": "call-1", "type": "ringing"})
        payload = self.post_events(events).json()
        self.assertEqual(
            [r["status"] for r in payload["results"]],
            ["accepted", "rejected", "accepted"],
        )
        self.assertIn("occurred_at", payload["results"][1]["error"])

    def _mango_post(self, kind, data, sign=None):
        json_text = json.dumps(data, separators=(",", ":"))
        return self.url_open(
            f"/grid_telephony/mango-test/events/{kind}",
            data={
                "vpbx_api_key": "mango-key",
                "sign": sign or mango_sign("mango-key", json_text, "mango-salt"),
                "json": json_text,
            },
        )

    def test_mango_call_and_summary(self):
        entry = "MTAxNjE2Mjc0NDo0MjM="
        now = int(time.time())
        common = {"entry_id": entry, "from": {"number": "74012556677"}}
        steps = [
            (
                "call",
                {
                    **common,
                    "call_id": "leg1",
                    "seq": 1,
                    "timestamp": now,
                    "call_state": "Appeared",
                    "location": "ivr",
                    "to": {"line_number": "74012000000"},
                },
            ),
            (
                "call",
                {
                    **common,
                    "call_id": "leg2",
                    "seq": 2,
                    "timestamp": now + 5,
                    "call_state": "Appeared",
                    "location": "abonent",
                    "to": {"extension": "101", "line_number": "74012000000"},
                },
            ),
            (
                "call",
                {
                    **common,
                    "call_id": "leg2",
                    "seq": 3,
                    "timestamp": now + 9,
                    "call_state": "Connected",
                    "location": "abonent",
                    "to": {"extension": "101"},
                },
            ),
            (
                "summary",
                {
                    **common,
                    "call_direction": 1,
                    "entry_result": 1,
                    "create_time": now,
                    "forward_time": now + 5,
                    "talk_time": now + 9,
                    "end_time": now + 69,
                    "to": {"extension": "101", "line_number": "74012000000"},
                    "disconnect_reason": 1110,
                },
            ),
        ]
        for kind, data in steps:
            response = self._mango_post(kind, data)
            self.assertEqual(response.status_code, 200, response.text)
        call = self.call(entry, self.mango)
        self.assertEqual(call.state, "ended")
        self.assertEqual(call.outcome, "answered")
        self.assertEqual(call.agent_id, self.operator)
        self.assertEqual(call.partner_id, self.consumer)
        self.assertEqual(call.wait_seconds, 4)
        self.assertEqual(call.talk_seconds, 60)
        # Mango repeats a notification it got no answer for: nothing doubles.
        self._mango_post(*steps[1])
        self.assertEqual(len(call.event_ids), 5)

    def test_mango_wrong_sign_rejected(self):
        response = self._mango_post("call", {"entry_id": "x"}, sign="0" * 64)
        self.assert_error(response, 401, "invalid_signature")

    def _zadarma_post(self, fields, signed):
        signature = zadarma_signature("zd-secret", "".join(fields[n] for n in signed))
        return self.url_open(
            "/grid_telephony/zadarma-test/events",
            data=fields,
            headers={"Signature": signature},
        )

    def test_zadarma_echo_and_call(self):
        echo = self.url_open("/grid_telephony/zadarma-test/events?zd_echo=Zx81")
        self.assertEqual(echo.status_code, 200)
        self.assertEqual(echo.text, "Zx81")
        start = {
            "event": "NOTIFY_START",
            "call_start": "2026-03-02 12:00:00",
            "pbx_call_id": "in_42",
            "caller_id": "74012556677",
            "called_did": "74012000000",
        }
        response = self._zadarma_post(start, ("caller_id", "called_did", "call_start"))
        self.assertEqual(response.status_code, 200, response.text)
        end = {
            **start,
            "event": "NOTIFY_END",
            "internal": "101",
            "duration": "30",
            "disposition": "answered",
            "status_code": "16",
            "is_recorded": "0",
        }
        response = self._zadarma_post(end, ("caller_id", "called_did", "call_start"))
        self.assertEqual(response.status_code, 200, response.text)
        call = self.call("in_42", self.zadarma)
        # call_start is Moscow time.
        self.assertEqual(str(call.arrived_at), "2026-03-02 09:00:00")
        self.assertEqual(call.outcome, "answered")
        self.assertEqual(call.talk_seconds, 30)
        self.assertEqual(call.partner_id, self.consumer)

    def test_zadarma_wrong_signature_rejected(self):
        fields = {
            "event": "NOTIFY_START",
            "call_start": "2026-03-02 12:00:00",
            "pbx_call_id": "in_43",
            "caller_id": "74012556677",
            "called_did": "74012000000",
        }
        response = self.url_open(
            "/grid_telephony/zadarma-test/events",
            data=fields,
            headers={"Signature": "bm90IGEgc2lnbmF0dXJl"},
        )
        self.assert_error(response, 401, "invalid_signature")
        self.assertFalse(self.call("in_43", self.zadarma))
