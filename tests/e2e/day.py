"""A generated day of a contact center's telephony as Asterisk's AMI reports
it, with the result that Odoo must show for every call.

Inbound calls reach the IVR from the trunk; most join the queue, where a
simulation of the agents answers them in order of arrival or lets the caller
give up. A few callers hang up in the IVR. Agents also call consumers
(outbound) and each other (internal). The events follow what Asterisk 13 to
20 send with `timestampevents = yes`: Newchannel, Newstate, QueueCallerJoin,
AgentCalled, DialBegin, DialEnd, AgentConnect, BridgeEnter, AgentComplete,
QueueCallerAbandon, Hangup and their neighbours, with the standard channel
headers. All times are whole seconds, so that the times Odoo stores (without
fractions) and the durations it computes are known exactly.
"""

import heapq
import random
from dataclasses import dataclass, field

from grid_ami_bridge.protocol import format_action

QUEUE = "support"
TRUNK = "trunkMain"
LINE = "4012990000"
INBOUND_CONTEXT = "from-trunk"
INTERNAL_CONTEXT = "from-internal"
AGENT_CONTEXT = "from-queue"
STATE_NAMES = {0: "Down", 4: "Ring", 5: "Ringing", 6: "Up"}
NORMAL_CLEARING = ("16", "Normal Clearing")
USER_BUSY = ("17", "User busy")
NO_ANSWER = ("19", "No user responding")


@dataclass
class Leg:
    """One channel of a call."""

    uniqueid: str
    channel: str
    number: str
    name: str
    context: str
    exten: str
    linkedid: str
    state: int = 0
    connected_number: str = "<unknown>"
    connected_name: str = "<unknown>"


@dataclass
class PlannedCall:
    """One call of the day and what Odoo must log for it."""

    call_id: str
    kind: str
    direction: str
    outcome: str
    arrived: int
    ended: int
    caller: str
    called: str
    # The extension that answered (the one that dialled, for an answered
    # outbound call); none for calls that nobody answered.
    agent: str = ""
    rung: list = field(default_factory=list)
    # One of the calls that come in a row (see DayGenerator's bursts).
    burst: bool = False
    wait_seconds: int = 0
    talk_seconds: int = 0
    event_ids: list = field(default_factory=list)


class DayGenerator:
    """Build the AMI stream of `count` calls between `start` and `end` (Unix
    seconds) from a seeded random generator.

    `callers` are the numbers that inbound calls come from, as the trunk
    sends them. `dialled` are the numbers that agents call, and `agents` are
    the extensions logged in to the queue. `bursts` are (start, seconds apart,
    numbers) of queue calls that come in a row, as when a feeder trips and
    the consumers behind it call.
    """

    def __init__(
        self, start, end, count, agents, callers, dialled, bursts=(), seed=20240127
    ):
        self.start = int(start)
        self.end = int(end)
        self.count = count
        self.agents = list(agents)
        self.callers = list(callers)
        self.dialled = list(dialled)
        self.bursts = list(bursts)
        self.random = random.Random(seed)
        self.calls = []
        self._messages = []
        self._channel_counter = 0x1000
        self._uniqueid_counter = 1000
        self._call_index = 0

    # ------------------------------------------------------------------
    # The day
    # ------------------------------------------------------------------

    def generate(self):
        """Plan the calls and their AMI events; return the planned calls."""
        rng = self.random
        ivr = self.count * 4 // 100
        outbound = self.count * 8 // 100
        internal = self.count * 2 // 100
        queued = self.count - ivr - outbound - internal
        span = self.end - self.start - 900
        starts = [
            ("queue", begin + index * gap, number)
            for begin, gap, numbers in self.bursts
            for index, number in enumerate(numbers)
        ]
        queued -= len(starts)
        starts += [
            ("queue", self.start + rng.randrange(span), None) for _ in range(queued)
        ]
        starts += [("ivr", self.start + rng.randrange(span), None) for _ in range(ivr)]
        starts += [
            ("outbound", self.start + rng.randrange(span), None)
            for _ in range(outbound)
        ]
        starts += [
            ("internal", self.start + rng.randrange(span), None)
            for _ in range(internal)
        ]
        starts.sort(key=lambda item: item[1])
        # When each agent is free again, as a heap of (time, extension).
        free = [(self.start, extension) for extension in self.agents]
        heapq.heapify(free)
        for kind, moment, number in starts:
            if kind == "queue":
                self._queue_call(moment, free, number)
            elif kind == "ivr":
                self._ivr_call(moment)
            else:
                agent_free, extension = heapq.heappop(free)
                begin = max(moment, agent_free)
                if kind == "outbound":
                    finish = self._outbound_call(begin, extension)
                else:
                    others = [a for a in self.agents if a != extension]
                    finish = self._internal_call(begin, extension, rng.choice(others))
                heapq.heappush(free, (finish + 10, extension))
        self.calls.sort(key=lambda call: (call.arrived, call.call_id))
        return self.calls

    def wire(self, since=None, until=None) -> bytes:
        """AMI text of the events from `since` (included) to `until`
        (excluded), in the order Asterisk sends them, with sequence numbers
        that continue across the parts."""
        ordered = sorted(self._messages, key=lambda item: item[:3])
        chunks = []
        for sequence, (moment, _index, _step, fields) in enumerate(ordered, 1_000_000):
            if (since is not None and moment < since) or (
                until is not None and moment >= until
            ):
                continue
            name, privilege = fields[0], fields[1]
            chunks.append(
                format_action(
                    [
                        ("Event", name),
                        ("Privilege", privilege),
                        ("SequenceNumber", str(sequence)),
                        ("Timestamp", f"{moment}.000000"),
                        *fields[2:],
                    ]
                )
            )
        return b"".join(chunks)

    # ------------------------------------------------------------------
    # Calls
    # ------------------------------------------------------------------

    def _queue_call(self, arrived, free, number=None):
        rng = self.random
        burst = number is not None
        if number is None:
            number = rng.choice(self.callers)
        call, caller = self._inbound_leg(arrived, number, "queue")
        call.burst = burst
        steps = self._steps(call)
        self._ring_and_answer_ivr(steps, caller, arrived)
        joined = arrived + rng.randint(5, 15)
        caller.exten = "s"
        steps.add(
            joined,
            "QueueCallerJoin",
            "agent,all",
            self._block(caller),
            [
                ("Queue", QUEUE),
                ("Position", "1"),
                ("Count", "1"),
            ],
        )
        call.event_ids += [f"{call.call_id}:started", f"{call.call_id}:queued:1"]
        patience = 30 + int(rng.expovariate(1 / 90))
        agent_free, extension = heapq.heappop(free)
        offered = max(joined, agent_free)
        if offered - joined > patience:
            heapq.heappush(free, (agent_free, extension))
            self._abandon(steps, call, caller, joined, patience)
            return
        offered = self._missed_ring(steps, call, caller, offered, extension, free)
        self._connect(steps, call, caller, joined, offered, extension, free)

    def _abandon(self, steps, call, caller, joined, patience):
        """The caller hangs up after `patience` seconds in the queue."""
        gave_up = joined + patience
        steps.add(
            gave_up,
            "QueueCallerAbandon",
            "agent,all",
            self._block(caller),
            [
                ("Queue", QUEUE),
                ("Position", "1"),
                ("OriginalPosition", "1"),
                ("HoldTime", str(patience)),
            ],
        )
        steps.add(
            gave_up,
            "QueueCallerLeave",
            "agent,all",
            self._block(caller),
            [
                ("Queue", QUEUE),
                ("Position", "1"),
                ("Count", "0"),
            ],
        )
        self._hangup(steps, gave_up + 1, caller, NORMAL_CLEARING)
        call.outcome = "abandoned"
        call.ended = gave_up + 1
        call.wait_seconds = patience
        call.event_ids.append(f"{call.call_id}:ended")

    def _missed_ring(self, steps, call, caller, offered, extension, free):
        """One call in ten first rings an idle agent who does not pick up;
        return when the queue offers the call to `extension`."""
        rng = self.random
        idle = [
            a for a in self.agents if a != extension and self._is_idle(a, offered, free)
        ]
        if idle and rng.random() < 0.1:
            missed = rng.choice(idle)
            leg = self._offer(steps, call, caller, offered, missed)
            steps.add(
                offered + 15,
                "DialEnd",
                "call,all",
                self._block(caller),
                self._block(leg, "Dest") + [("DialStatus", "NOANSWER")],
            )
            steps.add(
                offered + 15,
                "AgentRingNoAnswer",
                "agent,all",
                self._block(caller),
                self._block(leg, "Dest")
                + [
                    ("Queue", QUEUE),
                    ("Interface", f"SIP/{missed}"),
                    ("MemberName", f"SIP/{missed}"),
                    ("RingTime", "15"),
                ],
            )
            self._hangup(steps, offered + 15, leg, NO_ANSWER)
            offered += 16
        return offered

    def _connect(self, steps, call, caller, joined, offered, extension, free):
        """`extension` answers the call and talks until the caller hangs up."""
        rng = self.random
        leg = self._offer(steps, call, caller, offered, extension)
        answered = offered + rng.randint(2, 8)
        talk = 20 + min(int(rng.expovariate(1 / 70)), 900)
        ended = answered + talk
        hold = answered - joined
        leg.state = caller.state = 6
        leg.connected_number, leg.connected_name = caller.number, caller.name
        caller.connected_number, caller.connected_name = extension, leg.name
        steps.add(answered, "Newstate", "call,all", self._block(leg))
        steps.add(
            answered,
            "DialEnd",
            "call,all",
            self._block(caller),
            self._block(leg, "Dest") + [("DialStatus", "ANSWER")],
        )
        steps.add(
            answered,
            "QueueCallerLeave",
            "agent,all",
            self._block(caller),
            [
                ("Queue", QUEUE),
                ("Position", "1"),
                ("Count", "0"),
            ],
        )
        steps.add(
            answered,
            "AgentConnect",
            "agent,all",
            self._block(caller),
            self._block(leg, "Dest")
            + [
                ("Queue", QUEUE),
                ("Interface", f"SIP/{extension}"),
                ("MemberName", f"SIP/{extension}"),
                ("HoldTime", str(hold)),
                ("RingTime", str(answered - offered)),
            ],
        )
        bridge = f"{call.call_id}-bridge"
        self._bridge(steps, answered, bridge, caller, leg)
        steps.add(
            ended,
            "AgentComplete",
            "agent,all",
            self._block(caller),
            self._block(leg, "Dest")
            + [
                ("Queue", QUEUE),
                ("Interface", f"SIP/{extension}"),
                ("MemberName", f"SIP/{extension}"),
                ("HoldTime", str(hold)),
                ("TalkTime", str(talk)),
                ("Reason", "caller"),
            ],
        )
        self._unbridge(steps, ended, bridge, caller, leg)
        self._hangup(steps, ended, caller, NORMAL_CLEARING)
        self._hangup(steps, ended, leg, NORMAL_CLEARING)
        heapq.heappush(free, (ended + 10, extension))
        call.outcome = "answered"
        call.agent = extension
        call.ended = ended
        call.wait_seconds = hold
        call.talk_seconds = talk
        call.event_ids += [f"{call.call_id}:answered", f"{call.call_id}:ended"]

    def _ivr_call(self, arrived):
        rng = self.random
        number = rng.choice(self.callers)
        call, caller = self._inbound_leg(arrived, number, "ivr")
        steps = self._steps(call)
        self._ring_and_answer_ivr(steps, caller, arrived)
        ended = arrived + rng.randint(10, 90)
        self._hangup(steps, ended, caller, NORMAL_CLEARING)
        call.outcome = "answered"
        call.ended = ended
        # No queue and no agent: Odoo counts the time in the IVR as waiting.
        call.wait_seconds = ended - arrived
        call.event_ids += [f"{call.call_id}:started", f"{call.call_id}:ended"]

    def _outbound_call(self, begin, extension):
        rng = self.random
        number = rng.choice(self.dialled)
        agent = self._agent_leg(begin, extension, number)
        call = self._plan(
            agent.uniqueid, "outbound", "outbound", begin, extension, number
        )
        steps = self._steps(call)
        trunk = self._leg(
            begin,
            f"SIP/{TRUNK}",
            extension,
            f"Operator {extension}",
            INTERNAL_CONTEXT,
            number,
            agent.linkedid,
        )
        self._dial(steps, begin, agent, trunk, f"{TRUNK}/{number}")
        result = rng.choices(["answered", "no_answer", "busy"], [70, 20, 10])[0]
        call.event_ids.append(f"{call.call_id}:started")
        if result == "answered":
            answered = begin + rng.randint(5, 25)
            ended = answered + rng.randint(20, 300)
            # The trunk reports the answer, then the agent's own channel.
            self._talk(steps, call, answered, ended, agent, trunk, trunk, agent)
            call.agent = extension
        else:
            ended = begin + (30 if result == "no_answer" else rng.randint(2, 6))
            status = "NOANSWER" if result == "no_answer" else "BUSY"
            steps.add(
                ended,
                "DialEnd",
                "call,all",
                self._block(agent),
                self._block(trunk, "Dest") + [("DialStatus", status)],
            )
            cause = NO_ANSWER if result == "no_answer" else USER_BUSY
            self._hangup(steps, ended, trunk, cause)
            self._hangup(steps, ended, agent, NORMAL_CLEARING)
            call.wait_seconds = ended - begin
        call.outcome = result
        call.ended = ended
        call.event_ids.append(f"{call.call_id}:ended")
        return ended

    def _internal_call(self, begin, extension, colleague):
        rng = self.random
        origin = self._agent_leg(begin, extension, colleague)
        call = self._plan(
            origin.uniqueid, "internal", "internal", begin, extension, colleague
        )
        steps = self._steps(call)
        leg = self._leg(
            begin,
            f"SIP/{colleague}",
            colleague,
            f"Operator {colleague}",
            AGENT_CONTEXT,
            colleague,
            origin.linkedid,
        )
        self._dial(steps, begin, origin, leg, f"SIP/{colleague}")
        leg.state = 5
        steps.add(begin, "Newstate", "call,all", self._block(leg))
        answered = begin + rng.randint(2, 10)
        ended = answered + rng.randint(15, 120)
        call.event_ids += [
            f"{call.call_id}:started",
            f"{call.call_id}:ringing:{leg.uniqueid}",
        ]
        self._talk(steps, call, answered, ended, origin, leg, leg)
        call.outcome = "answered"
        call.agent = colleague
        call.rung = [colleague]
        call.ended = ended
        call.event_ids.append(f"{call.call_id}:ended")
        return ended

    # ------------------------------------------------------------------
    # Building blocks
    # ------------------------------------------------------------------

    def _is_idle(self, extension, moment, free):
        return all(t <= moment for t, a in free if a == extension)

    def _plan(self, call_id, kind, direction, arrived, caller, called):
        call = PlannedCall(
            call_id=call_id,
            kind=kind,
            direction=direction,
            outcome="",
            arrived=arrived,
            ended=arrived,
            caller=caller,
            called=called,
        )
        self.calls.append(call)
        return call

    def _inbound_leg(self, arrived, number, kind):
        caller = self._leg(
            arrived, f"SIP/{TRUNK}", number, "", INBOUND_CONTEXT, LINE, None
        )
        call = self._plan(caller.uniqueid, kind, "inbound", arrived, number, LINE)
        return call, caller

    def _agent_leg(self, begin, extension, dialled):
        leg = self._leg(
            begin,
            f"SIP/{extension}",
            extension,
            f"Operator {extension}",
            INTERNAL_CONTEXT,
            dialled,
            None,
        )
        leg.state = 4
        return leg

    def _leg(self, moment, device, number, name, context, exten, linkedid):
        self._uniqueid_counter += 1
        self._channel_counter += 1
        uniqueid = f"{moment}.{self._uniqueid_counter}"
        return Leg(
            uniqueid=uniqueid,
            channel=f"{device}-{self._channel_counter:08x}",
            number=number,
            name=name,
            context=context,
            exten=exten,
            linkedid=linkedid or uniqueid,
        )

    def _steps(self, call):
        self._call_index += 1
        return _Steps(self._messages, self._call_index)

    def _ring_and_answer_ivr(self, steps, caller, arrived):
        steps.add(arrived, "Newchannel", "call,all", self._block(caller))
        caller.state = 4
        steps.add(arrived, "Newstate", "call,all", self._block(caller))
        caller.state = 6
        caller.context = "ivr-main"
        caller.exten = "s"
        steps.add(arrived, "Newstate", "call,all", self._block(caller))

    def _offer(self, steps, call, caller, moment, extension):
        """Ring an agent from the queue; return the agent's leg."""
        leg = self._leg(
            moment,
            f"SIP/{extension}",
            extension,
            f"Operator {extension}",
            AGENT_CONTEXT,
            "s",
            call.call_id,
        )
        steps.add(moment, "Newchannel", "call,all", self._block(leg))
        steps.add(
            moment,
            "AgentCalled",
            "agent,all",
            self._block(caller),
            self._block(leg, "Dest")
            + [
                ("Queue", QUEUE),
                ("Interface", f"SIP/{extension}"),
                ("MemberName", f"SIP/{extension}"),
            ],
        )
        steps.add(
            moment,
            "DialBegin",
            "call,all",
            self._block(caller),
            self._block(leg, "Dest") + [("DialString", f"SIP/{extension}")],
        )
        leg.state = 5
        steps.add(moment, "Newstate", "call,all", self._block(leg))
        call.rung.append(extension)
        call.event_ids.append(f"{call.call_id}:ringing:{leg.uniqueid}")
        return leg

    def _dial(self, steps, moment, origin, target, dial_string):
        """Both channels appear and the origin dials the target."""
        steps.add(moment, "Newchannel", "call,all", self._block(origin))
        steps.add(moment, "Newchannel", "call,all", self._block(target))
        steps.add(
            moment,
            "DialBegin",
            "call,all",
            self._block(origin),
            self._block(target, "Dest") + [("DialString", dial_string)],
        )

    def _talk(self, steps, call, answered, ended, origin, target, *reporting):
        """The target answers the origin's dial at `answered`, and the two
        talk until they hang up at `ended`. The channels in `reporting` tell
        their new state on the answer."""
        origin.state = target.state = 6
        for leg in reporting:
            steps.add(answered, "Newstate", "call,all", self._block(leg))
        steps.add(
            answered,
            "DialEnd",
            "call,all",
            self._block(origin),
            self._block(target, "Dest") + [("DialStatus", "ANSWER")],
        )
        bridge = f"{call.call_id}-bridge"
        self._bridge(steps, answered, bridge, origin, target)
        self._unbridge(steps, ended, bridge, origin, target)
        self._hangup(steps, ended, target, NORMAL_CLEARING)
        self._hangup(steps, ended, origin, NORMAL_CLEARING)
        call.wait_seconds = answered - call.arrived
        call.talk_seconds = ended - answered
        call.event_ids.append(f"{call.call_id}:answered")

    def _bridge(self, steps, moment, bridge, *legs):
        for leg in legs:
            steps.add(
                moment,
                "BridgeEnter",
                "call,all",
                [
                    ("BridgeUniqueid", bridge),
                    ("BridgeType", "basic"),
                    ("BridgeNumChannels", "2"),
                ],
                self._block(leg),
            )

    def _unbridge(self, steps, moment, bridge, *legs):
        for leg in legs:
            steps.add(
                moment,
                "BridgeLeave",
                "call,all",
                [
                    ("BridgeUniqueid", bridge),
                    ("BridgeType", "basic"),
                    ("BridgeNumChannels", "1"),
                ],
                self._block(leg),
            )

    def _hangup(self, steps, moment, leg, cause):
        steps.add(
            moment,
            "Hangup",
            "call,all",
            self._block(leg),
            [
                ("Cause", cause[0]),
                ("Cause-txt", cause[1]),
            ],
        )

    @staticmethod
    def _block(leg, prefix=""):
        """The standard headers of a channel, with `prefix` (Dest) for the
        other channel of dial and queue events."""
        return [
            (f"{prefix}Channel", leg.channel),
            (f"{prefix}ChannelState", str(leg.state)),
            (f"{prefix}ChannelStateDesc", STATE_NAMES[leg.state]),
            (f"{prefix}CallerIDNum", leg.number or "<unknown>"),
            (f"{prefix}CallerIDName", leg.name or "<unknown>"),
            (f"{prefix}ConnectedLineNum", leg.connected_number),
            (f"{prefix}ConnectedLineName", leg.connected_name),
            (f"{prefix}Language", "ru"),
            (f"{prefix}AccountCode", ""),
            (f"{prefix}Context", leg.context),
            (f"{prefix}Exten", leg.exten),
            (f"{prefix}Priority", "1"),
            (f"{prefix}Uniqueid", leg.uniqueid),
            (f"{prefix}Linkedid", leg.linkedid),
        ]


class _Steps:
    """The events of one call, in the order they are added."""

    def __init__(self, messages, call_index):
        self.messages = messages
        self.call_index = call_index
        self.step = 0

    def add(self, moment, name, privilege, *field_lists):
        self.step += 1
        fields = [name, privilege]
        for items in field_lists:
            fields.extend(items)
        self.messages.append((moment, self.call_index, self.step, fields))
