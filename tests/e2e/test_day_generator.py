"""The generated day against the bridge's call tracker alone, without Odoo:
what the end-to-end test expects of every call is what the tracker makes of
the AMI text, so a failure there points at Odoo or the delivery."""

import time

from grid_ami_bridge.protocol import AmiParser
from grid_ami_bridge.tracker import CallTracker, Deduplicator, TrackerSettings

from .day import DayGenerator

AGENTS = [str(extension) for extension in range(7001, 7005)]


def _replay(wire):
    events = []
    tracker = CallTracker(
        events.append, TrackerSettings(max_call_seconds=2 * 24 * 3600)
    )
    deduplicator = Deduplicator()
    parser = AmiParser()
    for start in range(0, len(wire), 65536):
        for message in parser.feed(wire[start : start + 65536]):
            if not deduplicator.is_duplicate(message):
                tracker.handle(message)
    return events, tracker


def test_tracker_follows_generated_day():
    end = int(time.time()) - 3600
    callers = [f"8911{index:07d}" for index in range(50)] + ["", "anonymous"]
    generator = DayGenerator(
        end - 3 * 3600,
        end,
        1000,
        AGENTS,
        callers,
        callers[:50],
        bursts=[(end - 2 * 3600, 60, callers[:5])],
    )
    calls = generator.generate()
    events, tracker = _replay(generator.wire())
    ended = {event["call_id"]: event for event in events if event["type"] == "ended"}

    assert len(calls) == 1000
    assert sum(call.burst for call in calls) == 5
    assert tracker.calls == {}
    assert sorted(event["event_id"] for event in events) == sorted(
        event_id for call in calls for event_id in call.event_ids
    )
    for call in calls:
        event = ended[call.call_id]
        assert (call.call_id, event["direction"]) == (call.call_id, call.direction)
        assert (call.call_id, event["outcome"]) == (call.call_id, call.outcome)
        assert (call.call_id, event.get("agent_extension", "")) == (
            call.call_id,
            call.agent,
        )


def test_split_day_replays_whole():
    end = int(time.time())
    generator = DayGenerator(
        end - 3600, end, 100, AGENTS, ["89110000001"], ["89110000002"]
    )
    generator.generate()
    cut = end - 1800
    whole, _tracker = _replay(generator.wire())
    parts, _tracker = _replay(generator.wire(until=cut) + generator.wire(since=cut))
    assert parts == whole
