"""Translate Mango Office and Zadarma notifications into the webhook's own
call events (docs/telephony-events.md). This module has no Odoo import.

Both return a list of events, empty for a notification that carries nothing
for the call log (a Mango DTMF event, a call leg that changed nothing).
"""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from .events import EventError

MANGO_DIRECTIONS = {0: "internal", 1: "inbound", 2: "outbound"}
ZADARMA_DISPOSITIONS = {
    "answered": "answered",
    "busy": "busy",
    "no answer": "no_answer",
    "noanswer": "no_answer",
}


def _iso(timestamp) -> str:
    try:
        moment = datetime.fromtimestamp(int(timestamp), timezone.utc)
    except (TypeError, ValueError, OverflowError) as error:
        raise EventError(
            f"timestamp: {str(timestamp)[:40]!r} is not Unix time"
        ) from error
    return moment.isoformat()


def _party(data, key) -> dict:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def mango_events(kind: str, data: dict) -> list[dict]:
    """Events for a Mango Office notification posted to `events/<kind>`."""
    if not isinstance(data, dict):
        raise EventError("json: must be an object")
    entry = str(data.get("entry_id") or "")
    if kind in ("call", "summary", "recording") and not entry:
        raise EventError("entry_id: missing")
    if kind == "call":
        return _mango_call(entry, data)
    if kind == "summary":
        return _mango_summary(entry, data)
    if kind == "recording":
        return _mango_recording(entry, data)
    return []


def _mango_common(entry, data):
    source, target = _party(data, "from"), _party(data, "to")
    direction = MANGO_DIRECTIONS.get(data.get("call_direction"))
    event = {
        "call_id": entry,
        "caller_number": str(source.get("number") or source.get("extension") or ""),
        "called_number": str(
            target.get("line_number")
            or target.get("number")
            or target.get("extension")
            or ""
        ),
        "queue": str(target.get("acd_group") or ""),
    }
    if direction:
        event["direction"] = direction
    return event


def _mango_call(entry, data):
    state = str(data.get("call_state") or "")
    location = str(data.get("location") or "")
    leg = str(data.get("call_id") or "")
    seq = str(data.get("seq") or "")
    event = _mango_common(entry, data)
    event["occurred_at"] = _iso(data.get("timestamp"))
    extension = str(_party(data, "to").get("extension") or "")
    event_id = f"{entry}:{leg}:{seq}:{state}"
    if state == "Appeared" and location == "ivr":
        kind = "started"
    elif state == "Appeared" and location == "queue":
        kind = "queued"
    elif state == "Appeared" and location == "abonent" and extension:
        kind = "ringing"
        event["agent_extension"] = extension
    elif state == "Connected" and location == "abonent":
        kind = "answered"
        if extension:
            event["agent_extension"] = extension
    else:
        return []
    if kind == "started" and "direction" not in event:
        # An IVR only answers calls that come in from outside.
        event["direction"] = "inbound"
    event.update(event_id=event_id, type=kind)
    return [event]


def _mango_summary(entry, data):
    event = _mango_common(entry, data)
    direction = event.get("direction", "inbound")
    if data.get("entry_result") == 1:
        outcome = "answered"
    else:
        outcome = "abandoned" if direction == "inbound" else "no_answer"
    create_time = data.get("create_time")
    talk_time = data.get("talk_time") or 0
    end_time = data.get("end_time") or create_time
    started = {
        **event,
        "event_id": f"{entry}:summary:started",
        "type": "started",
        "direction": direction,
        "occurred_at": _iso(create_time),
    }
    ended = {
        **event,
        "event_id": f"{entry}:summary",
        "type": "ended",
        "direction": direction,
        "occurred_at": _iso(end_time),
        "outcome": outcome,
    }
    if data.get("disconnect_reason") is not None:
        ended["hangup_cause_text"] = f"Mango {data.get('disconnect_reason')}"
    forward_time = data.get("forward_time") or create_time
    if talk_time:
        ended["wait_seconds"] = max(0, int(talk_time) - int(forward_time or 0))
        ended["talk_seconds"] = max(0, int(end_time) - int(talk_time))
    elif end_time and forward_time:
        ended["wait_seconds"] = max(0, int(end_time) - int(forward_time))
    return [started, ended]


def _mango_recording(entry, data):
    url = str(data.get("recording_url") or data.get("link") or "")
    if data.get("recording_state") != "Completed" or not url.startswith(
        ("http://", "https://")
    ):
        # Mango sends the file through its API, not as a link: nothing to log.
        return []
    return [
        {
            "event_id": f"{entry}:recording:{data.get('recording_id', '')}",
            "call_id": entry,
            "type": "recording",
            "occurred_at": _iso(data.get("timestamp")),
            "recording_url": url,
        }
    ]


def zadarma_events(fields: dict, zone_name: str) -> list[dict]:
    """Events for a Zadarma notification (form fields); `zone_name` is the
    zone of `call_start`."""
    event_name = fields.get("event", "")
    call_id = str(fields.get("pbx_call_id") or "")
    if not call_id:
        raise EventError("pbx_call_id: missing")
    if event_name == "NOTIFY_RECORD":
        return []
    try:
        start = datetime.strptime(fields.get("call_start", ""), "%Y-%m-%d %H:%M:%S")
    except ValueError as error:
        raise EventError("call_start: missing or not YYYY-MM-DD HH:MM:SS") from error
    started_at = start.replace(tzinfo=ZoneInfo(zone_name or "UTC"))
    now = datetime.now(timezone.utc)
    outbound = event_name.startswith("NOTIFY_OUT_")
    base = {
        "call_id": call_id,
        "direction": "outbound" if outbound else "inbound",
        "caller_number": fields.get("internal" if outbound else "caller_id", ""),
        "called_number": fields.get("destination" if outbound else "called_did", ""),
    }
    internal = fields.get("internal", "")
    if event_name in ("NOTIFY_START", "NOTIFY_OUT_START"):
        event = {"type": "started", "occurred_at": started_at.isoformat()}
        if outbound and internal:
            event["agent_extension"] = internal
    elif event_name == "NOTIFY_INTERNAL":
        if not internal:
            raise EventError("internal: missing on NOTIFY_INTERNAL")
        event = {"type": "ringing", "occurred_at": now.isoformat()}
        event["agent_extension"] = internal
    elif event_name == "NOTIFY_ANSWER":
        event = {"type": "answered", "occurred_at": now.isoformat()}
        if internal:
            event["agent_extension"] = internal
    elif event_name in ("NOTIFY_END", "NOTIFY_OUT_END"):
        disposition = str(fields.get("disposition", "")).lower()
        outcome = ZADARMA_DISPOSITIONS.get(disposition)
        if outcome is None:
            if disposition == "cancel":
                outcome = "no_answer" if outbound else "abandoned"
            else:
                outcome = "failed"
        event = {"type": "ended", "occurred_at": now.isoformat(), "outcome": outcome}
        duration = str(fields.get("duration", ""))
        if outcome == "answered" and duration.isdigit():
            event["talk_seconds"] = int(duration)
        if internal:
            event["agent_extension"] = internal
    else:
        return []
    leg = internal if event_name in ("NOTIFY_INTERNAL", "NOTIFY_ANSWER") else ""
    event["event_id"] = f"{call_id}:{event_name}" + (f":{leg}" if leg else "")
    return [{**base, **event}]
