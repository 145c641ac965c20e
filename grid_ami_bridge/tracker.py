"""Follow calls through AMI events and turn them into webhook call events.

A call is the set of channels that share a Linkedid (Asterisk 12 or later).
The tracker sees queue calls (QueueCallerJoin, AgentCalled, AgentConnect),
direct dials (DialBegin, DialEnd), originated calls (OriginateResponse) and
ends a call when its last channel hangs up. The events it emits follow
docs/telephony-events.md; their ids are derived from the call, so that the same
step always gets the same id.
"""

import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .protocol import AmiMessage, uniqueid_epoch

_logger = logging.getLogger(__name__)

DEFAULT_INBOUND_CONTEXTS = (
    "from-trunk",
    "from-pstn",
    "from-external",
    "from-did",
    "incoming",
    "inbound",
)
DEFAULT_OUTBOUND_CONTEXTS = ("from-internal",)
DEFAULT_EXTENSION_PATTERN = r"\d{2,4}"
# Dial statuses that say why a destination did not answer.
FAILED_DIAL_STATUSES = {
    "CHANUNAVAIL",
    "CONGESTION",
    "DONTCALL",
    "TORTURE",
    "INVALIDARGS",
}
# OriginateResponse `Reason` codes (Asterisk's AST_CONTROL_* values).
ORIGINATE_OUTCOMES = {"1": "no_answer", "3": "no_answer", "5": "busy"}
_NUMBER = re.compile(r"\+?[0-9*#]+")
NO_CALLER_ID = {"", "<unknown>", "unknown", "anonymous", "restricted", "<null>"}


@dataclass
class TrackerSettings:
    """How the tracker tells directions, agents and recordings apart."""

    inbound_contexts: tuple = DEFAULT_INBOUND_CONTEXTS
    outbound_contexts: tuple = DEFAULT_OUTBOUND_CONTEXTS
    # A channel whose peer name (SIP/<peer>-00000001) matches this pattern is
    # an agent's phone.
    extension_pattern: str = DEFAULT_EXTENSION_PATTERN
    # Channel variables whose value is the recording (VarSet events).
    recording_variables: tuple = ("GRID_RECORDING_URL",)
    # Turns a variable's value into a link; `{value}` is the value.
    recording_url_template: str = "{value}"
    # OriginateResponse events of actions with this ActionID prefix belong to
    # Odoo's click-to-dial, which uses the same string as ChannelId.
    originate_action_prefix: str = "grid-"
    # A call without any event for this long is closed (seconds).
    max_call_seconds: int = 6 * 3600


@dataclass
class Channel:
    uniqueid: str
    name: str
    caller_number: str = ""
    caller_name: str = ""
    exten: str = ""
    context: str = ""
    up: bool = False

    @property
    def technology(self) -> str:
        return self.name.split("/", 1)[0] if "/" in self.name else ""

    @property
    def is_local(self) -> bool:
        return self.technology.lower() == "local"

    @property
    def peer(self) -> str:
        return channel_peer(self.name)


@dataclass
class Call:
    call_id: str
    started_at: float
    origin: Channel | None = None
    initial_exten: str = ""
    initial_context: str = ""
    channels: dict = field(default_factory=dict)
    direction: str = ""
    direction_hint: str = ""
    started_sent: bool = False
    queue: str = ""
    queue_joins: int = 0
    offered: bool = False
    ringing_legs: dict = field(default_factory=dict)
    answered: bool = False
    agent_extension: str = ""
    agent_name: str = ""
    pbx_answered: bool = False
    abandoned: bool = False
    dial_statuses: list = field(default_factory=list)
    originate_outcome: str = ""
    wait_seconds: float | None = None
    talk_seconds: float | None = None
    hangup_cause: int | None = None
    hangup_cause_text: str = ""
    recording_url: str = ""
    recording_sent: bool = False
    bridges: dict = field(default_factory=dict)
    last_activity: float = 0.0


def channel_peer(name: str) -> str:
    """The device of a channel name: `PJSIP/101-0000002a` gives `101`,
    `Local/101@from-queue-00000001;2` gives `101`, `SIP/777` gives `777`."""
    if "/" not in name:
        return ""
    rest = name.split("/", 1)[1]
    rest = rest.split(";", 1)[0]
    if "@" in rest:
        return rest.split("@", 1)[0]
    match = re.fullmatch(r"(.+)-[0-9a-fA-F]{8}", rest)
    return match.group(1) if match else rest


def is_number(value: str) -> bool:
    return bool(value) and bool(_NUMBER.fullmatch(value))


class PbxClock:
    """The PBX's time for events that carry no `Timestamp` header.

    Asterisk writes the creation time of a channel into its Uniqueid. The clock
    keeps the offset between that time and the local clock, so that event times
    follow the PBX even when the bridge runs elsewhere or replays a recorded
    stream. It moves forward whenever a channel proves the PBX ahead, and back
    only on a jump of over a minute (a restarted replay, a clock reset).
    """

    def __init__(self, time_function: Callable[[], float] = time.time):
        self._time = time_function
        self._offset = None

    def now(self) -> float:
        return self._time() + (self._offset or 0.0)

    def observe_channel_epoch(self, epoch: int):
        local = self._time()
        if self._offset is None:
            self._offset = epoch - local
            return
        pbx_now = local + self._offset
        if pbx_now < epoch or pbx_now - (epoch + 1) > 60:
            self._offset = epoch - local


def iso_time(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(
        timespec="milliseconds"
    )


class Deduplicator:
    """Drop an event seen twice, as happens when the same stream is logged by
    two manager sessions. Events are told apart by SequenceNumber, name and
    channel; events without a SequenceNumber always pass."""

    def __init__(self, size: int = 8192):
        self.size = size
        self._seen = OrderedDict()
        self.duplicates = 0

    def is_duplicate(self, message: AmiMessage) -> bool:
        sequence = message.get("SequenceNumber")
        if not sequence:
            return False
        key = (sequence, message.name, message.get("Uniqueid", ""))
        if key in self._seen:
            self.duplicates += 1
            return True
        self._seen[key] = None
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return False

    def reset(self):
        """Forget the numbers: Asterisk restarts its sequence after a restart."""
        self._seen.clear()


class CallTracker:
    """Turn AMI events into webhook events, passed to `emit` one by one."""

    def __init__(
        self,
        emit: Callable[[dict], None],
        settings: TrackerSettings | None = None,
        clock: PbxClock | None = None,
    ):
        self.emit = emit
        self.settings = settings or TrackerSettings()
        self.clock = clock or PbxClock()
        self.calls = {}
        self._channel_calls = {}
        self._ended = OrderedDict()
        self._extension = re.compile(self.settings.extension_pattern)
        self._inbound_contexts = {c.lower() for c in self.settings.inbound_contexts}
        self._outbound_contexts = {c.lower() for c in self.settings.outbound_contexts}
        self._recording_variables = {
            v.lower() for v in self.settings.recording_variables
        }
        self._handlers = {
            "Newchannel": self._on_newchannel,
            "NewCallerid": self._on_caller_change,
            "Newstate": self._on_newstate,
            "VarSet": self._on_varset,
            "UserEvent": self._on_userevent,
            "QueueCallerJoin": self._on_queue_join,
            "Join": self._on_queue_join,
            "QueueCallerAbandon": self._on_queue_abandon,
            "AgentCalled": self._on_agent_called,
            "AgentConnect": self._on_agent_connect,
            "AgentComplete": self._on_agent_complete,
            "DialBegin": self._on_dial_begin,
            "DialEnd": self._on_dial_end,
            "BridgeEnter": self._on_bridge_enter,
            "BridgeLeave": self._on_bridge_leave,
            "Hangup": self._on_hangup,
            "OriginateResponse": self._on_originate_response,
        }

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------

    def handle(self, message: AmiMessage):
        handler = self._handlers.get(message.name)
        if handler is None:
            return
        try:
            handler(message, self._event_time(message))
        except (KeyError, ValueError, TypeError):
            _logger.exception(
                "AMI event %s could not be processed: %r", message.name, message
            )

    def reconcile(self, live_channels: list[AmiMessage]):
        """Compare the tracked channels with the PBX's (CoreShowChannel events
        after a reconnection): channels that are gone hung up while the bridge
        was away, and channels not tracked yet start being followed."""
        now = self.clock.now()
        live = {m.get("Uniqueid"): m for m in live_channels if m.get("Uniqueid")}
        for uniqueid in list(self._channel_calls):
            if uniqueid not in live:
                call = self.calls.get(self._channel_calls[uniqueid])
                if call is not None:
                    self._remove_channel(call, uniqueid, now)
        for uniqueid, message in live.items():
            if uniqueid not in self._channel_calls:
                self._add_channel(message, now)

    def expire(self):
        """Close calls that have been silent for longer than max_call_seconds."""
        now = self.clock.now()
        for call in list(self.calls.values()):
            if now - call.last_activity > self.settings.max_call_seconds:
                _logger.warning(
                    "Call %s had no event for %s s; closing it with %s live channels",
                    call.call_id,
                    int(now - call.last_activity),
                    len(call.channels),
                )
                self._end(call, now)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _event_time(self, message: AmiMessage) -> float:
        timestamp = message.get("Timestamp")
        if timestamp:
            try:
                return float(timestamp)
            except ValueError:
                _logger.debug("Invalid Timestamp header %r", timestamp)
        return self.clock.now()

    def _call_of(self, message: AmiMessage, create: bool = True) -> Call | None:
        uniqueid = message.get("Uniqueid", "")
        call_id = self._channel_calls.get(uniqueid) or message.get("Linkedid", "")
        if not call_id or call_id in self._ended:
            return None
        call = self.calls.get(call_id)
        if call is None and create:
            # The bridge started while the call was under way.
            call = self._new_call(call_id)
        if call is not None and uniqueid and uniqueid not in call.channels and create:
            self._add_channel(message, self.clock.now(), call)
        return call

    def _new_call(self, call_id: str) -> Call:
        epoch = uniqueid_epoch(call_id)
        started = float(epoch) if epoch is not None else self.clock.now()
        call = Call(call_id=call_id, started_at=started, last_activity=self.clock.now())
        self.calls[call_id] = call
        return call

    def _add_channel(self, message: AmiMessage, now: float, call: Call | None = None):
        uniqueid = message.get("Uniqueid", "")
        linkedid = message.get("Linkedid") or uniqueid
        if call is None:
            if linkedid in self._ended:
                return None
            call = self.calls.get(linkedid) or self._new_call(linkedid)
        channel = Channel(
            uniqueid=uniqueid,
            name=message.get("Channel", ""),
            caller_number=message.get("CallerIDNum", ""),
            caller_name=message.get("CallerIDName", ""),
            exten=message.get("Exten", ""),
            context=message.get("Context", ""),
            up=message.get("ChannelState") == "6",
        )
        first = not call.channels
        call.channels[uniqueid] = channel
        self._channel_calls[uniqueid] = call.call_id
        # The origin is the channel whose Uniqueid is the Linkedid; a call
        # joined midway takes its first known channel until that one shows.
        if uniqueid == call.call_id or (call.origin is None and first):
            call.origin = channel
            call.initial_exten = channel.exten
            call.initial_context = channel.context
        call.last_activity = now
        return channel

    def _is_agent_device(self, channel: Channel | None) -> bool:
        return (
            channel is not None
            and not channel.is_local
            and bool(self._extension.fullmatch(channel.peer))
        )

    def _is_extension(self, number: str) -> bool:
        return bool(number) and bool(self._extension.fullmatch(number))

    def _called_number(self, call: Call) -> str:
        if is_number(call.initial_exten):
            return call.initial_exten
        if call.origin is not None and is_number(call.origin.exten):
            return call.origin.exten
        return ""

    def _decide_direction(self, call: Call) -> str:
        if call.direction_hint:
            return call.direction_hint
        origin = call.origin
        context = (call.initial_context or "").lower()
        called = self._called_number(call)
        if context in self._inbound_contexts:
            return "inbound"
        if context in self._outbound_contexts:
            return "internal" if self._is_extension(called) else "outbound"
        caller = origin.caller_number if origin else ""
        if self._is_agent_device(origin) or self._is_extension(caller):
            return "internal" if self._is_extension(called) else "outbound"
        return "inbound"

    def _ensure_started(self, call: Call):
        if call.started_sent:
            return
        call.direction = self._decide_direction(call)
        call.started_sent = True
        if call.direction == "outbound" and not call.agent_extension:
            origin = call.origin
            if self._is_agent_device(origin):
                call.agent_extension = origin.peer
                call.agent_name = origin.caller_name
        self._emit(call, "started", call.started_at)

    def _emit(self, call: Call, kind: str, when: float, leg: str = "", **fields):
        origin = call.origin
        caller_number = origin.caller_number if origin else ""
        caller_name = origin.caller_name if origin else ""
        event = {
            "event_id": f"{call.call_id}:{kind}" + (f":{leg}" if leg else ""),
            "call_id": call.call_id,
            "type": kind,
            "occurred_at": iso_time(max(when, call.started_at)),
            "direction": call.direction,
            "caller_number": "" if caller_number in NO_CALLER_ID else caller_number,
            "caller_name": "" if caller_name in NO_CALLER_ID else caller_name,
            "called_number": self._called_number(call),
        }
        if call.queue:
            event["queue"] = call.queue
        if call.recording_url:
            event["recording_url"] = call.recording_url
        event.update(
            {key: value for key, value in fields.items() if value not in (None, "")}
        )
        self.emit(event)

    # ------------------------------------------------------------------
    # Channel events
    # ------------------------------------------------------------------

    def _on_newchannel(self, message: AmiMessage, now: float):
        epoch = uniqueid_epoch(message.get("Uniqueid", ""))
        if epoch is not None and "Timestamp" not in message:
            self.clock.observe_channel_epoch(epoch)
            now = self.clock.now()
        self._add_channel(message, now)

    def _on_caller_change(self, message: AmiMessage, now: float):
        call = self._call_of(message)
        if call is None:
            return
        channel = call.channels.get(message.get("Uniqueid", ""))
        if channel is not None:
            channel.caller_number = message.get("CallerIDNum", channel.caller_number)
            channel.caller_name = message.get("CallerIDName", channel.caller_name)
        call.last_activity = now

    def _on_newstate(self, message: AmiMessage, now: float):
        call = self._call_of(message)
        if call is None:
            return
        self._on_caller_change(message, now)
        channel = call.channels.get(message.get("Uniqueid", ""))
        if channel is not None and message.get("ChannelState") == "6":
            channel.up = True
            if channel is call.origin and not call.pbx_answered:
                call.pbx_answered = True
                if call.direction_hint or self._decide_direction(call) == "inbound":
                    self._ensure_started(call)

    def _on_varset(self, message: AmiMessage, now: float):
        if message.get("Variable", "").lower() not in self._recording_variables:
            return
        call = self._call_of(message)
        value = message.get("Value", "").strip()
        if call is None or not value:
            return
        url = self.settings.recording_url_template.format(value=value)
        if not url.startswith(("http://", "https://")):
            _logger.warning(
                "Recording variable %s of call %s is not an http(s) link: %r",
                message.get("Variable"),
                call.call_id,
                url,
            )
            return
        call.recording_url = url

    def _on_userevent(self, message: AmiMessage, now: float):
        call = self._call_of(message)
        direction = message.get("Direction", "").strip().lower()
        known = direction in ("inbound", "outbound", "internal")
        if call is not None and known and not call.direction_hint:
            call.direction_hint = direction

    # ------------------------------------------------------------------
    # Queues
    # ------------------------------------------------------------------

    def _on_queue_join(self, message: AmiMessage, now: float):
        call = self._call_of(message)
        if call is None:
            return
        call.queue = message.get("Queue", call.queue)
        call.offered = True
        call.queue_joins += 1
        self._ensure_started(call)
        self._emit(call, "queued", now, leg=str(call.queue_joins))
        call.last_activity = now

    def _on_queue_abandon(self, message: AmiMessage, now: float):
        call = self._call_of(message)
        if call is None:
            return
        call.abandoned = True
        hold = message.get("HoldTime")
        if hold and hold.isdigit():
            call.wait_seconds = int(hold)

    def _on_agent_called(self, message: AmiMessage, now: float):
        call = self._call_of(message)
        if call is None:
            return
        call.offered = True
        call.queue = message.get("Queue", call.queue)
        destination = message.get("DestChannel") or message.get("Interface", "")
        extension = channel_peer(destination) or channel_peer(
            message.get("Interface", "")
        )
        self._ring(
            call,
            now,
            message.get("DestUniqueid") or destination,
            extension,
            message.get("DestCallerIDName", ""),
        )

    def _on_agent_connect(self, message: AmiMessage, now: float):
        call = self._call_of(message)
        if call is None:
            return
        hold = message.get("HoldTime")
        if hold and hold.isdigit():
            call.wait_seconds = int(hold)
        destination = message.get("DestChannel") or message.get("Interface", "")
        self._answer(
            call,
            now,
            channel_peer(destination) or channel_peer(message.get("Interface", "")),
            message.get("DestCallerIDName", ""),
        )

    def _on_agent_complete(self, message: AmiMessage, now: float):
        call = self._call_of(message)
        if call is None:
            return
        for header, attribute in (
            ("HoldTime", "wait_seconds"),
            ("TalkTime", "talk_seconds"),
        ):
            value = message.get(header)
            if value and value.isdigit():
                setattr(call, attribute, int(value))

    # ------------------------------------------------------------------
    # Dials and bridges
    # ------------------------------------------------------------------

    def _destination(self, call: Call, message: AmiMessage) -> Channel:
        uniqueid = message.get("DestUniqueid", "")
        channel = call.channels.get(uniqueid)
        if channel is None:
            channel = Channel(
                uniqueid=uniqueid,
                name=message.get("DestChannel", ""),
                caller_number=message.get("DestCallerIDNum", ""),
                caller_name=message.get("DestCallerIDName", ""),
            )
        return channel

    def _on_dial_begin(self, message: AmiMessage, now: float):
        call = self._call_of(message)
        if call is None:
            return
        caller = call.channels.get(message.get("Uniqueid", ""))
        if caller is not None and caller is call.origin and message.get("Exten"):
            # An originated call reaches the dialled number's extension only
            # after its first leg answered.
            caller.exten = message["Exten"]
        call.offered = True
        self._ensure_started(call)
        destination = self._destination(call, message)
        if destination.is_local or call.direction == "outbound":
            return
        if self._is_agent_device(destination):
            self._ring(
                call,
                now,
                destination.uniqueid,
                destination.peer,
                destination.caller_name,
            )

    def _on_dial_end(self, message: AmiMessage, now: float):
        call = self._call_of(message)
        if call is None:
            return
        status = message.get("DialStatus", "").upper()
        destination = self._destination(call, message)
        if status == "ANSWER":
            if destination.is_local:
                return
            if self._is_agent_device(destination) and call.direction != "outbound":
                self._answer(call, now, destination.peer, destination.caller_name)
            else:
                self._answer(call, now, call.agent_extension, call.agent_name)
        elif status:
            call.dial_statuses.append(status)

    def _on_bridge_enter(self, message: AmiMessage, now: float):
        call = self._call_of(message)
        if call is None:
            return
        bridge = call.bridges.setdefault(message.get("BridgeUniqueid", ""), set())
        bridge.add(message.get("Uniqueid", ""))
        if call.answered:
            return
        members = [call.channels.get(uid) for uid in bridge]
        devices = [c for c in members if c is not None and not c.is_local]
        if len(devices) >= 2:
            # Two real channels talk without a DialEnd seen: a pickup or a
            # bridge set up by the dialplan.
            agent = next(
                (
                    c
                    for c in devices
                    if c is not call.origin and self._is_agent_device(c)
                ),
                None,
            )
            self._ensure_started(call)
            if agent is not None and call.direction != "outbound":
                self._answer(call, now, agent.peer, agent.caller_name)
            else:
                self._answer(call, now, call.agent_extension, call.agent_name)

    def _on_bridge_leave(self, message: AmiMessage, now: float):
        call = self._call_of(message, create=False)
        if call is not None:
            call.bridges.get(message.get("BridgeUniqueid", ""), set()).discard(
                message.get("Uniqueid", "")
            )

    def _ring(self, call: Call, now: float, leg: str, extension: str, name: str):
        self._ensure_started(call)
        if not extension or leg in call.ringing_legs or call.answered:
            return
        call.ringing_legs[leg] = extension
        self._emit(
            call,
            "ringing",
            now,
            leg=leg,
            agent_extension=extension,
            agent_name=name if name not in NO_CALLER_ID else "",
        )
        call.last_activity = now

    def _answer(self, call: Call, now: float, extension: str, name: str):
        self._ensure_started(call)
        if call.answered:
            return
        call.answered = True
        if extension:
            call.agent_extension = extension
            call.agent_name = name if name not in NO_CALLER_ID else ""
        self._emit(
            call,
            "answered",
            now,
            agent_extension=call.agent_extension or None,
            agent_name=call.agent_name or None,
        )
        call.last_activity = now

    # ------------------------------------------------------------------
    # Hang-ups and ends
    # ------------------------------------------------------------------

    def _on_hangup(self, message: AmiMessage, now: float):
        call = self._call_of(message, create=False)
        if call is None:
            return
        uniqueid = message.get("Uniqueid", "")
        channel = call.channels.get(uniqueid)
        if channel is not None and channel is call.origin:
            cause = message.get("Cause", "")
            call.hangup_cause = int(cause) if cause.isdigit() else None
            call.hangup_cause_text = message.get("Cause-txt", "")
        self._remove_channel(call, uniqueid, now)

    def _on_originate_response(self, message: AmiMessage, now: float):
        if message.get("Response", "").lower() != "failure":
            return
        uniqueid = message.get("Uniqueid", "")
        call_id = self._channel_calls.get(uniqueid)
        if not call_id and uniqueid not in NO_CALLER_ID:
            call_id = uniqueid
        action = message.get("ActionID", "")
        if not call_id and action.startswith(self.settings.originate_action_prefix):
            call_id = action
        if not call_id:
            _logger.info("Originate failed outside any tracked call: %r", message)
            return
        call = self.calls.get(call_id) or self._new_call(call_id)
        call.direction_hint = call.direction_hint or "outbound"
        call.originate_outcome = ORIGINATE_OUTCOMES.get(
            message.get("Reason", ""), "failed"
        )
        if call.origin is None:
            call.initial_exten = message.get("Exten", "")
        if not call.channels:
            self._end(call, now)

    def _remove_channel(self, call: Call, uniqueid: str, now: float):
        call.channels.pop(uniqueid, None)
        self._channel_calls.pop(uniqueid, None)
        for bridge in call.bridges.values():
            bridge.discard(uniqueid)
        call.last_activity = now
        if not call.channels:
            self._end(call, now)

    def _outcome(self, call: Call) -> str:
        if call.answered:
            return "answered"
        if call.originate_outcome:
            return call.originate_outcome
        inbound = call.direction == "inbound"
        if not call.offered:
            if inbound:
                return "answered" if call.pbx_answered else "abandoned"
            return "failed"
        statuses = set(call.dial_statuses)
        if call.abandoned:
            return "abandoned"
        if "CANCEL" in statuses:
            return "abandoned" if inbound else "no_answer"
        if "NOANSWER" in statuses:
            return "no_answer"
        if "BUSY" in statuses:
            return "busy"
        if statuses & FAILED_DIAL_STATUSES:
            return "failed"
        if inbound and (call.queue or call.ringing_legs):
            # The caller hung up while queued or while phones rang.
            return "abandoned"
        return "no_answer" if call.queue else "failed"

    def _end(self, call: Call, now: float):
        self._ensure_started(call)
        outcome = self._outcome(call)
        self._emit(
            call,
            "ended",
            now,
            outcome=outcome,
            agent_extension=call.agent_extension if call.answered else None,
            agent_name=call.agent_name if call.answered and call.agent_name else None,
            hangup_cause=call.hangup_cause,
            hangup_cause_text=call.hangup_cause_text or None,
            wait_seconds=call.wait_seconds,
            talk_seconds=call.talk_seconds if call.answered else None,
        )
        for uniqueid in call.channels:
            self._channel_calls.pop(uniqueid, None)
        self.calls.pop(call.call_id, None)
        self._ended[call.call_id] = None
        if len(self._ended) > 10000:
            self._ended.popitem(last=False)
