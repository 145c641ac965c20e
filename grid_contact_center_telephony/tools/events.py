"""Validation of the webhook's call events (docs/telephony-events.md).

`validate_event` turns one received JSON object into a clean dict or raises
EventError naming the field. This module has no Odoo import.
"""

import re
from datetime import datetime, timezone

EVENT_TYPES = ("started", "queued", "ringing", "answered", "ended", "recording")
DIRECTIONS = ("inbound", "outbound", "internal")
OUTCOMES = ("answered", "abandoned", "busy", "no_answer", "failed")
MAX_ID_LENGTH = 200
MAX_TEXT_LENGTH = 200
MAX_URL_LENGTH = 2000
MAX_SECONDS = 7 * 24 * 3600
# How far ahead of the server's clock an event may be dated, as for signatures.
MAX_SECONDS_AHEAD = 300
MAX_EVENTS = 500
MAX_BODY_BYTES = 1024 * 1024
TEXT_FIELDS = (
    "caller_number",
    "caller_name",
    "called_number",
    "called_name",
    "queue",
    "agent_extension",
    "agent_name",
    "hangup_cause_text",
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class EventError(ValueError):
    """An event is invalid; the message starts with the field's name."""


def parse_time(value, field="occurred_at") -> datetime:
    """Parse an ISO 8601 time with a UTC offset into a naive UTC datetime."""
    if not isinstance(value, str) or not value:
        raise EventError(f"{field}: missing")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise EventError(f"{field}: {value[:40]!r} is not an ISO 8601 time") from error
    if moment.tzinfo is None:
        raise EventError(f"{field}: {value[:40]!r} has no UTC offset")
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _identifier(event: dict, field: str) -> str:
    value = event.get(field)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise EventError(f"{field}: missing")
    value = value.strip()
    if len(value) > MAX_ID_LENGTH or _CONTROL.search(value):
        raise EventError(
            f"{field}: longer than {MAX_ID_LENGTH} or with control characters"
        )
    return value


def _text(event: dict, field: str) -> str:
    value = event.get(field)
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise EventError(f"{field}: must be a string")
    return _CONTROL.sub(" ", value).strip()[:MAX_TEXT_LENGTH]


def _seconds(event: dict, field: str):
    value = event.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EventError(f"{field}: must be a number")
    if not 0 <= value <= MAX_SECONDS:
        raise EventError(f"{field}: {value} is out of range")
    return int(round(value))


def validate_event(event, now=None) -> dict:
    """Check one event and return its clean fields; raise EventError.

    `now` is the server's time, naive UTC; an event dated more than
    MAX_SECONDS_AHEAD after it is refused, so that a PBX with a wrong clock
    cannot put calls at the top of the log for years to come.
    """
    if not isinstance(event, dict):
        raise EventError("event: must be a JSON object")
    clean = {
        "event_id": _identifier(event, "event_id"),
        "call_id": _identifier(event, "call_id"),
    }
    kind = event.get("type")
    if kind not in EVENT_TYPES:
        raise EventError(
            f"type: {str(kind)[:40]!r} is not one of {', '.join(EVENT_TYPES)}"
        )
    clean["type"] = kind
    clean["occurred_at"] = parse_time(event.get("occurred_at"))
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    ahead = (clean["occurred_at"] - now).total_seconds()
    if ahead > MAX_SECONDS_AHEAD:
        raise EventError(
            f"occurred_at: {event['occurred_at'][:40]!r} is {int(ahead)} s ahead of "
            f"the server's clock; at most {MAX_SECONDS_AHEAD} s are accepted"
        )
    direction = event.get("direction") or ""
    if direction and direction not in DIRECTIONS:
        raise EventError(
            f"direction: {str(direction)[:40]!r} is not one of {', '.join(DIRECTIONS)}"
        )
    if kind == "started" and not direction:
        raise EventError("direction: missing on a started event")
    clean["direction"] = direction
    for field in TEXT_FIELDS:
        clean[field] = _text(event, field)
    if kind == "ringing" and not clean["agent_extension"]:
        raise EventError("agent_extension: missing on a ringing event")
    outcome = event.get("outcome") or ""
    if outcome and outcome not in OUTCOMES:
        raise EventError(
            f"outcome: {str(outcome)[:40]!r} is not one of {', '.join(OUTCOMES)}"
        )
    if kind == "ended" and not outcome:
        raise EventError("outcome: missing on an ended event")
    clean["outcome"] = outcome
    cause = event.get("hangup_cause")
    if cause is not None and (
        isinstance(cause, bool) or not isinstance(cause, int) or not 0 <= cause <= 127
    ):
        raise EventError("hangup_cause: must be a Q.850 cause code from 0 to 127")
    clean["hangup_cause"] = cause
    clean["wait_seconds"] = _seconds(event, "wait_seconds")
    clean["talk_seconds"] = _seconds(event, "talk_seconds")
    url = event.get("recording_url") or ""
    if url and (
        not isinstance(url, str)
        or not url.startswith(("http://", "https://"))
        or len(url) > MAX_URL_LENGTH
        or _CONTROL.search(url)
    ):
        raise EventError("recording_url: must be an http or https link")
    if kind == "recording" and not url:
        raise EventError("recording_url: missing on a recording event")
    clean["recording_url"] = url
    return clean


def validate_envelope(payload) -> list:
    """Return the events of a request body, or raise EventError."""
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        raise EventError("the body must be an object with an events list")
    events = payload["events"]
    if not events:
        raise EventError("the events list is empty")
    if len(events) > MAX_EVENTS:
        raise EventError(f"{len(events)} events; at most {MAX_EVENTS} per request")
    return events
