from datetime import datetime
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common import TelephonyCase


@tagged("post_install", "-at_install")
class TestCallEvents(TelephonyCase):
    def test_queue_call_logged(self):
        results = self.process(self.queue_call())
        self.assertEqual([r["status"] for r in results], ["accepted"] * 6)
        call = self.call()
        self.assertEqual(call.state, "ended")
        self.assertEqual(call.outcome, "answered")
        self.assertEqual(call.direction, "inbound")
        self.assertEqual(call.queue, "outages")
        self.assertEqual(call.agent_id, self.operator)
        self.assertEqual(call.agent_extension, "101")
        self.assertEqual(call.rang_user_ids, self.operator | self.operator_2)
        self.assertEqual(call.arrived_at, datetime(2026, 3, 2, 9, 0, 0))
        self.assertEqual(call.queued_at, datetime(2026, 3, 2, 9, 0, 5))
        self.assertEqual(call.answered_at, datetime(2026, 3, 2, 9, 0, 20))
        self.assertEqual(call.ended_at, datetime(2026, 3, 2, 9, 1, 20))
        # Waiting counts from the queue entry; talk from the answer.
        self.assertEqual(call.wait_seconds, 15)
        self.assertEqual(call.talk_seconds, 60)
        self.assertEqual(call.hangup_cause, 16)
        self.assertEqual(len(call.event_ids), 6)

    def test_caller_identified_in_any_form(self):
        for call_id, number in [
            ("f1", "84012556677"),
            ("f2", "+7 4012 55-66-77"),
            ("f3", "74012556677"),
            ("f4", "4012556677"),
            ("f5", "556677"),
            ("f6", "8 (4012) 55-66-77 доб. 12"),
        ]:
            with self.subTest(number=number):
                self.process([self.event("started", call_id, caller_number=number)])
                call = self.call(call_id)
                self.assertEqual(call.partner_id, self.consumer)
                self.assertEqual(call.service_point_id, self.service_point)
                self.assertEqual(call.caller_e164, "+74012556677")

    def test_international_prefix_and_mobile(self):
        self.process([self.event("started", "m1", caller_number="810 7 911 000 11 22")])
        self.assertEqual(self.call("m1").partner_id, self.consumer)

    def test_shared_number_offers_all_and_picks_none(self):
        self.process([self.event("started", "s1", caller_number="+74012556600")])
        call = self.call("s1")
        self.assertFalse(call.partner_id)
        self.assertEqual(call.matched_partner_ids, self.shared_a | self.shared_b)
        self.assertEqual(call.match_count, 2)

    def test_call_without_caller_id(self):
        for call_id, number in [("u1", "<unknown>"), ("u2", "anonymous"), ("u3", "")]:
            with self.subTest(number=number):
                results = self.process(
                    [self.event("started", call_id, caller_number=number)]
                )
                self.assertEqual(results[0]["status"], "accepted")
                call = self.call(call_id)
                self.assertFalse(call.partner_id)
                self.assertFalse(call.caller_e164)
                self.assertFalse(call.matched_partner_ids)

    def test_same_delivery_three_times(self):
        events = self.queue_call()
        first = self.process(events)
        second = self.process(events)
        third = self.process(events)
        self.assertEqual({r["status"] for r in first}, {"accepted"})
        self.assertEqual({r["status"] for r in second}, {"duplicate"})
        self.assertEqual({r["status"] for r in third}, {"duplicate"})
        self.assertEqual(len(self.call()), 1)
        self.assertEqual(len(self.call().event_ids), 6)

    def test_events_out_of_order(self):
        events = self.queue_call()
        self.process([events[5], events[2], events[0], events[4], events[1]])
        call = self.call()
        self.assertEqual(call.state, "ended")
        self.assertEqual(call.outcome, "answered")
        self.assertEqual(call.arrived_at, datetime(2026, 3, 2, 9, 0, 0))
        self.assertEqual(call.answered_at, datetime(2026, 3, 2, 9, 0, 20))
        self.assertEqual(call.agent_id, self.operator)

    def test_first_event_of_any_type_creates_call(self):
        self.process([self.event("ended", "late", 30, outcome="abandoned")])
        call = self.call("late")
        self.assertEqual(call.state, "ended")
        self.assertEqual(call.outcome, "abandoned")
        self.assertEqual(call.partner_id, self.consumer)
        self.assertEqual(call.wait_seconds, 0)

    def test_invalid_events_rejected_others_kept(self):
        good = self.event("started", "v1")
        results = self.process(
            [
                {**good, "event_id": "bad-1", "occurred_at": "2026-03-02 09:00:00"},
                {**good, "event_id": "bad-2", "type": "exploded"},
                {**good, "event_id": "bad-3", "direction": ""},
                {**self.event("ringing", "v1"), "event_id": "bad-4"},
                {**self.event("ended", "v1"), "event_id": "bad-5"},
                {**good, "event_id": "bad-6", "recording_url": "javascript:alert(1)"},
                {**good, "event_id": ""},
                "not an object",
                {**good, "event_id": "bad-9", "occurred_at": "2099-01-01T00:00:00Z"},
                good,
            ]
        )
        self.assertEqual(
            [r["status"] for r in results], ["rejected"] * 9 + ["accepted"]
        )
        self.assertIn("ahead of the server's clock", results[8]["error"])
        self.assertIn("no UTC offset", results[0]["error"])
        self.assertIn("type", results[1]["error"])
        self.assertIn("direction", results[2]["error"])
        self.assertIn("agent_extension", results[3]["error"])
        self.assertIn("outcome", results[4]["error"])
        self.assertIn("recording_url", results[5]["error"])
        self.assertIn("event_id", results[6]["error"])
        self.assertEqual(len(self.call("v1")), 1)

    def test_pbx_measured_times_win(self):
        events = self.queue_call()
        events[5]["wait_seconds"] = 9
        events[5]["talk_seconds"] = 3
        self.process(events)
        self.assertEqual(self.call().wait_seconds, 9)
        self.assertEqual(self.call().talk_seconds, 3)

    def test_recording_link_added_after_end(self):
        self.process(self.queue_call())
        self.process(
            [
                self.event(
                    "recording",
                    seconds=90,
                    recording_url="https://pbx.example.ru/rec/call-1.mp3",
                )
            ]
        )
        self.assertEqual(
            self.call().recording_url, "https://pbx.example.ru/rec/call-1.mp3"
        )
        self.assertEqual(self.call().state, "ended")

    def test_ringing_notifies_agent_on_bus(self):
        self.env["bus.bus"].sudo().search([]).unlink()
        self.process(self.queue_call()[:3])
        channels = self.env["bus.bus"].sudo().search([]).mapped("channel")
        self.assertTrue(any(str(self.operator.partner_id.id) in c for c in channels))
        self.assertFalse(any(str(self.operator_2.partner_id.id) in c for c in channels))

    @users("tel_operator")
    def test_operator_reads_calls_and_links_interaction(self):
        self.process(self.queue_call())
        call = self.env["grid.call"].search([("external_call_id", "=", "call-1")])
        self.assertEqual(call.partner_id, self.consumer)
        interaction = self.env["grid.interaction"].create(
            {
                "partner_id": self.consumer.id,
                "topic_id": self.env.ref("grid_contact_center.topic_4_2").id,
            }
        )
        call.interaction_id = interaction
        self.assertEqual(call.interaction_id, interaction)
        with self.assertRaisesRegex(AccessError, "come from the PBX: Outcome."):
            call.outcome = "abandoned"
        with self.assertRaises(AccessError):
            self.env["grid.telephony.provider"].create({"name": "x", "code": "x"})
        with self.assertRaises(AccessError):
            self.env["grid.call.event"].search([])

    @users("tel_supervisor")
    def test_supervisor_corrects_call(self):
        self.process(self.queue_call())
        call = self.env["grid.call"].search([("external_call_id", "=", "call-1")])
        call.outcome = "abandoned"
        self.assertEqual(call.outcome, "abandoned")
        self.assertEqual(len(call.event_ids), 6)

    def test_other_company_calls_hidden(self):
        other = self.env["res.company"].create({"name": "РЭС Другой"})
        provider = self.env["grid.telephony.provider"].create(
            {"name": "Other", "code": "other", "company_id": other.id}
        )
        self.process([self.event("started", "x1")], provider=provider)
        self.assertEqual(self.call("x1", provider).company_id, other)
        visible = (
            self.env["grid.call"]
            .with_user(self.operator)
            .search([("external_call_id", "=", "x1")])
        )
        self.assertFalse(visible)

    def test_screen_pop_card_as_operator(self):
        self.env["grid.interaction"].create(
            {
                "partner_id": self.consumer.id,
                "topic_id": self.env.ref("grid_contact_center.topic_9").id,
            }
        )
        self.process(self.queue_call()[:3])
        card = self.call().with_user(self.operator).get_screen_pop()
        self.assertEqual([c["id"] for c in card["consumers"]], [self.consumer.id])
        self.assertEqual(
            [p["id"] for p in card["service_points"]], [self.service_point.id]
        )
        self.assertEqual(len(card["interactions"]), 1)
        self.assertTrue(card["call"]["has_caller_id"])
        self.assertEqual(card["outages"], [])

    def test_statistics(self):
        self.process(self.queue_call("k1"))
        self.process(
            [
                self.event("started", "k2"),
                self.event("ended", "k2", 40, outcome="abandoned"),
            ]
        )
        self.env["grid.call.report"].invalidate_model()
        rows = self.env["grid.call.report"].search(
            [("call_id", "in", (self.call("k1") | self.call("k2")).ids)]
        )
        by_call = {row.call_id.external_call_id: row for row in rows}
        # Answered after 15 s of waiting, within the default 20 s target.
        self.assertEqual(by_call["k1"].service_level_rate, 100.0)
        self.assertEqual(by_call["k1"].answer_seconds, 15)
        self.assertEqual(by_call["k1"].handle_seconds, 60)
        self.assertEqual(by_call["k2"].abandoned_rate, 100.0)
        self.assertFalse(by_call["k2"].answer_seconds)
        # Arrival 09:00 UTC is 11:00 in Kaliningrad.
        self.assertEqual(by_call["k1"].arrival_hour, 11)
        groups = self.env["grid.call.report"]._read_group(
            [("id", "in", rows.ids)],
            [],
            ["service_level_rate:avg", "abandoned_rate:avg"],
        )
        self.assertEqual(groups[0], (50.0, 50.0))

    def test_new_call_cache_matches_row(self):
        self.process([self.event("started", "fresh", caller_number="+7 900 111-22-33")])
        call = self.call("fresh")
        names = [
            name
            for name, field in call._fields.items()
            if field.store and name not in ("event_ids", "id")
        ]
        cached = call.read(names)[0]
        call.invalidate_recordset()
        self.assertEqual(call.read(names)[0], cached)

    def test_one_event_reads_no_call_back(self):
        # Warm the provider's fields and the transaction's time, which the
        # webhook reads with the provider and once per transaction.
        self.assertEqual(self.provider.area_code, "4012")
        self.env.cr.now()
        # The call and the event are inserted and the number matched, then
        # the match is linked and the call updated within a savepoint. The
        # call's row is never read back.
        with self.assertQueryCount(7):
            self.process([self.event("started", "counted")])
        call = self.call("counted")
        self.assertEqual(call.contact_number_key, "4012556677")
        self.assertEqual(call.partner_id, self.consumer)

    def test_batch_agents_read_once(self):
        self.process([self.event("started", "agents")])
        users = type(self.env["res.users"])
        with patch.object(
            users, "_search", autospec=True, side_effect=users._search
        ) as search:
            self.process(
                [
                    self.event("ringing", "agents", 5, agent_extension="101", leg="a"),
                    self.event("ringing", "agents", 5, agent_extension="102", leg="b"),
                ]
            )
        lookups = [
            call
            for call in search.call_args_list
            if "grid_phone_extension" in str(call)
        ]
        self.assertEqual(len(lookups), 1)
        self.assertEqual(
            self.call("agents").rang_user_ids, self.operator | self.operator_2
        )

    def test_area_code_follows_company(self):
        self.assertEqual(self.provider.area_code, "4012")
        self.company.grid_default_area_code = "3952"
        self.assertEqual(self.provider.area_code, "3952")
        self.provider.default_area_code = "4722"
        self.assertEqual(self.provider.area_code, "4722")
        self.company.grid_default_area_code = "4012"
        self.assertEqual(self.provider.area_code, "4722")
