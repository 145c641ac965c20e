"""The call tracker on the recorded AMI streams: which call events each real
call gives."""

import json

import pytest

from grid_ami_bridge.protocol import AmiMessage, AmiParser
from grid_ami_bridge.tracker import (
    CallTracker,
    Deduplicator,
    PbxClock,
    TrackerSettings,
)

# The phone accounts of the VoIPGRID recordings have nine-digit peer names.
VOIPGRID = TrackerSettings(extension_pattern=r"\d{2,9}")


def _replay(messages, settings=None):
    events = []
    tracker = CallTracker(events.append, settings or TrackerSettings())
    deduplicator = Deduplicator()
    for message in messages:
        if not deduplicator.is_duplicate(message):
            tracker.handle(message)
    return events, tracker


def _json_events(samples_dir, name):
    data = json.loads((samples_dir / "asterisk_ami" / name).read_text())
    return [AmiMessage({k: v for k, v in e.items() if k != "content"}) for e in data]


def _by_type(events, kind):
    return [e for e in events if e["type"] == kind]


def test_queue_call_from_debug_log(samples_dir):
    raw = (samples_dir / "asterisk_ami" / "ru_queue_call_ami_debug.log").read_bytes()
    settings = TrackerSettings(recording_variables=("FullFname",))
    events, tracker = _replay(AmiParser().feed(raw), settings)
    assert [e["type"] for e in events] == [
        "started",
        "queued",
        "ringing",
        "answered",
        "ended",
    ]
    assert {e["call_id"] for e in events} == {"1514295827.372"}
    assert len({e["event_id"] for e in events}) == 5
    started, queued, ringing, answered, ended = events
    assert started["direction"] == "inbound"
    assert started["caller_number"] == "123"
    assert started["caller_name"] == "Test Caller"
    assert started["called_number"] == "888999"
    # The channel's Uniqueid holds its creation time.
    assert started["occurred_at"] == "2017-12-26T13:43:47.000+00:00"
    assert queued["queue"] == "Q1"
    assert ringing["agent_extension"] == "777"
    assert ringing["agent_name"] == "Romanenko_E."
    assert ringing["occurred_at"] >= "2017-12-26T13:43:59"
    assert answered["agent_extension"] == "777"
    assert ended["outcome"] == "answered"
    assert ended["hangup_cause"] == 16
    assert ended["hangup_cause_text"] == "Normal Clearing"
    # HoldTime and TalkTime of the queue's AgentComplete event.
    assert ended["wait_seconds"] == 9
    assert ended["talk_seconds"] == 3
    assert ended["recording_url"].startswith("https://pbx-aseeva.vistep.ru/callme/")
    assert tracker.calls == {}


def test_queue_with_busy_member_answered_by_other(samples_dir):
    events, _tracker = _replay(
        _json_events(samples_dir, "cacofonisk_queue_queue_simple.json"), VOIPGRID
    )
    assert [e["type"] for e in events] == [
        "started",
        "ringing",
        "ringing",
        "answered",
        "ended",
    ]
    assert events[0]["caller_number"] == "+31150010001"
    assert events[0]["called_number"] == "+31150010004"
    assert {e["agent_extension"] for e in _by_type(events, "ringing")} == {
        "150010002",
        "150010003",
    }
    assert _by_type(events, "answered")[0]["agent_extension"] == "150010002"
    ended = _by_type(events, "ended")[0]
    assert ended["outcome"] == "answered"
    assert ended["agent_extension"] == "150010002"


def test_direct_call_answered_is_internal(samples_dir):
    events, _tracker = _replay(
        _json_events(samples_dir, "cacofonisk_simple_ab_success_a_hangup.json"),
        VOIPGRID,
    )
    assert [e["type"] for e in events] == ["started", "ringing", "answered", "ended"]
    assert events[0]["direction"] == "internal"
    assert events[0]["caller_number"] == "201"
    assert events[0]["called_number"] == "202"
    assert events[-1]["outcome"] == "answered"


def test_direct_call_rejected_is_busy(samples_dir):
    events, _tracker = _replay(
        _json_events(samples_dir, "cacofonisk_simple_ab_reject.json"), VOIPGRID
    )
    assert [e["type"] for e in events] == ["started", "ringing", "ended"]
    assert events[-1]["outcome"] == "busy"
    assert events[-1]["hangup_cause"] == 17


def test_user_event_direction_and_two_calls(samples_dir):
    events, tracker = _replay(
        _json_events(samples_dir, "cacofonisk_var_set_user_events.json"), VOIPGRID
    )
    started = {e["call_id"]: e for e in _by_type(events, "started")}
    assert started["b6093874285e-1530278036.1196"]["direction"] == "outbound"
    assert started["b6093874285e-1530278036.1206"]["direction"] == "inbound"
    ended = {e["call_id"]: e for e in _by_type(events, "ended")}
    assert {call: e["outcome"] for call, e in ended.items()} == {
        "b6093874285e-1530278036.1196": "answered",
        "b6093874285e-1530278036.1206": "answered",
    }
    # The outbound call rings no agent: its agent is the caller's phone.
    assert not [e for e in _by_type(events, "ringing") if e["direction"] == "outbound"]
    assert tracker.calls == {}


def test_replayed_stream_gives_the_same_event_ids(samples_dir):
    messages = _json_events(samples_dir, "cacofonisk_queue_queue_simple.json")
    first, _tracker = _replay(messages, VOIPGRID)
    second, _tracker = _replay(messages, VOIPGRID)
    assert [e["event_id"] for e in first] == [e["event_id"] for e in second]


def _message(**fields):
    return AmiMessage(fields)


def test_caller_hanging_up_in_queue_is_abandoned():
    events, _tracker = _replay(
        [
            _message(
                Event="Newchannel",
                Channel="SIP/trunk-00000001",
                Uniqueid="1700000000.1",
                Linkedid="1700000000.1",
                CallerIDNum="<unknown>",
                CallerIDName="<unknown>",
                Exten="4012123456",
                Context="from-trunk",
            ),
            _message(
                Event="QueueCallerJoin",
                Uniqueid="1700000000.1",
                Linkedid="1700000000.1",
                Queue="outages",
            ),
            _message(
                Event="QueueCallerAbandon",
                Uniqueid="1700000000.1",
                Linkedid="1700000000.1",
                Queue="outages",
                HoldTime="42",
            ),
            _message(
                Event="Hangup",
                Uniqueid="1700000000.1",
                Linkedid="1700000000.1",
                Cause="16",
                **{"Cause-txt": "Normal Clearing"},
            ),
        ]
    )
    assert [e["type"] for e in events] == ["started", "queued", "ended"]
    assert events[0]["caller_number"] == ""
    assert events[-1]["outcome"] == "abandoned"
    assert events[-1]["wait_seconds"] == 42


def test_failed_originate_ends_the_click_to_dial_call():
    events, _tracker = _replay(
        [
            _message(
                Event="OriginateResponse",
                Response="Failure",
                ActionID="grid-5d41402abc4b2a76",
                Channel="PJSIP/101",
                Exten="89115550000",
                Reason="5",
                Uniqueid="<null>",
            )
        ]
    )
    assert [e["type"] for e in events] == ["started", "ended"]
    assert events[-1]["call_id"] == "grid-5d41402abc4b2a76"
    assert events[-1]["direction"] == "outbound"
    assert events[-1]["outcome"] == "busy"


def test_reconcile_ends_calls_whose_channels_vanished():
    events, tracker = _replay(
        [
            _message(
                Event="Newchannel",
                Channel="SIP/trunk-00000001",
                Uniqueid="1700000000.1",
                Linkedid="1700000000.1",
                CallerIDNum="89115550000",
                Exten="4012123456",
                Context="from-trunk",
            ),
            _message(
                Event="DialBegin",
                Uniqueid="1700000000.1",
                Linkedid="1700000000.1",
                DestChannel="SIP/101-00000002",
                DestUniqueid="1700000000.2",
                DestCallerIDNum="101",
            ),
        ]
    )
    assert [e["type"] for e in events] == ["started", "ringing"]
    tracker.reconcile([])
    assert [e["type"] for e in events] == ["started", "ringing", "ended"]
    assert events[-1]["outcome"] == "abandoned"
    assert tracker.calls == {}


def test_reconcile_follows_calls_started_before_the_bridge():
    events, tracker = _replay([])
    tracker.reconcile(
        [
            _message(
                Event="CoreShowChannel",
                Channel="SIP/trunk-00000009",
                Uniqueid="1700000100.9",
                Linkedid="1700000100.9",
                CallerIDNum="+79115550000",
                Exten="4012123456",
                Context="from-pstn",
            )
        ]
    )
    tracker.handle(
        _message(
            Event="Hangup",
            Uniqueid="1700000100.9",
            Linkedid="1700000100.9",
            Cause="16",
        )
    )
    assert [e["type"] for e in events] == ["started", "ended"]
    assert events[0]["caller_number"] == "+79115550000"
    assert events[-1]["direction"] == "inbound"


@pytest.mark.parametrize(
    ("epochs", "expected"),
    [
        # The PBX is ahead of the local clock: the clock follows it.
        ([1000, 1012], 1012),
        # A replay of an old stream: the clock moves back to it once.
        ([1000, 50], 50),
    ],
)
def test_pbx_clock_follows_channel_times(epochs, expected):
    local = [5000.0]
    clock = PbxClock(lambda: local[0])
    for epoch in epochs:
        clock.observe_channel_epoch(epoch)
    assert clock.now() == pytest.approx(expected)


def test_originated_call_is_outbound_from_agent():
    call_id = "grid-5d41402abc4b2a76"
    events, tracker = _replay(
        [
            _message(
                Event="Newchannel",
                Channel="PJSIP/101-00000007",
                Uniqueid=call_id,
                Linkedid=call_id,
                CallerIDNum="101",
                CallerIDName="Operator",
                Exten="s",
                Context="from-internal",
            ),
            _message(
                Event="Newstate",
                Channel="PJSIP/101-00000007",
                Uniqueid=call_id,
                Linkedid=call_id,
                ChannelState="6",
            ),
            _message(
                Event="DialBegin",
                Uniqueid=call_id,
                Linkedid=call_id,
                Exten="89115550000",
                DestChannel="PJSIP/trunk-00000008",
                DestUniqueid="1700000200.8",
            ),
            _message(
                Event="DialEnd",
                Uniqueid=call_id,
                Linkedid=call_id,
                DestChannel="PJSIP/trunk-00000008",
                DestUniqueid="1700000200.8",
                DialStatus="ANSWER",
            ),
            _message(
                Event="Hangup",
                Channel="PJSIP/101-00000007",
                Uniqueid=call_id,
                Linkedid=call_id,
                Cause="16",
            ),
        ]
    )
    assert [e["type"] for e in events] == ["started", "answered", "ended"]
    assert {e["call_id"] for e in events} == {call_id}
    assert events[0]["direction"] == "outbound"
    assert events[0]["called_number"] == "89115550000"
    assert events[1]["agent_extension"] == "101"
    assert events[-1]["outcome"] == "answered"
    assert tracker.calls == {}
