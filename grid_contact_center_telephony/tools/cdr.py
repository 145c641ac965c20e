"""Read Asterisk CDR files (`cdr_csv` and `cdr_custom`) into calls.

`cdr_csv` writes 16 columns, plus `uniqueid` and `userfield` when
`loguniqueid` and `loguserfield` are on, plus `peeraccount`, `linkedid` and
`sequence` with `newcdrcolumns`: 16, 17, 18, 19, 20 or 21 columns in a fixed
order. `cdr_custom` writes whatever its template says, in any order. The
layout of a file is therefore configured, read from a header line, taken from
the `cdr_csv` order when the rows fit it, or else detected from the values.

Asterisk writes one row per leg: a dial to several phones at once (a forked
dial) or through Local channels gives several rows for one call. Rows are
merged into calls by `linkedid`. Times carry no zone; they are read in the
PBX's time zone. Bytes that are not UTF-8 are decoded with a fallback
encoding, and a broken line is reported with its number and skipped while the
other lines are read.

This module has no Odoo import. Its messages are English templates with
named parameters, marked with `_lt` for the translation export, so that the
caller translates them with the parameters kept in the error.
"""

# The callers translate the messages marked with _lt through env._
# (translate_message), because this module has no environment.
# pylint: disable=prefer-env-translation

import codecs
import csv
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

BASE_COLUMNS = (
    "accountcode",
    "src",
    "dst",
    "dcontext",
    "clid",
    "channel",
    "dstchannel",
    "lastapp",
    "lastdata",
    "start",
    "answer",
    "end",
    "duration",
    "billsec",
    "disposition",
    "amaflags",
)
EXTRA_COLUMNS = ("uniqueid", "userfield", "peeraccount", "linkedid", "sequence")
KNOWN_COLUMNS = frozenset(BASE_COLUMNS + EXTRA_COLUMNS)
REQUIRED_COLUMNS = ("start", "disposition")
DISPOSITIONS = frozenset({"ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION"})
AMA_FLAGS = frozenset({"DOCUMENTATION", "BILLING", "OMIT", "DEFAULT"})
# Dialplan applications that end CDR rows (the `lastapp` column).
APPLICATIONS = frozenset(
    {
        "AGI",
        "Answer",
        "AppDial",
        "AppDial2",
        "AppQueue",
        "BackGround",
        "Bridge",
        "Busy",
        "Congestion",
        "Dial",
        "Echo",
        "Goto",
        "Hangup",
        "MixMonitor",
        "NoOp",
        "Playback",
        "Queue",
        "Read",
        "Ringing",
        "Set",
        "VoiceMail",
        "VoiceMailMain",
        "Wait",
        "WaitExten",
    }
)
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S")
DEFAULT_INBOUND_CONTEXTS = frozenset(
    {"from-trunk", "from-pstn", "from-external", "from-did", "incoming", "inbound"}
)

_UNIQUEID = re.compile(r"(?:[\w.]+-)?(\d{9,11})\.(\d+)")
_CHANNEL = re.compile(r"[A-Za-z0-9_]+/\S+")
_CLID = re.compile(
    r'^\s*(?:"(?P<quoted>.*)"|(?P<bare>[^<]*?))\s*<(?P<number>[^>]*)>\s*$'
)
_NUMBER = re.compile(r"\+?[0-9*#]+")
_TOKEN = re.compile(r"[\w+*#.-]+")
# A line needs at least this share of the sampled rows to fit a layout.
FIT_RATIO = 0.8
SAMPLE_ROWS = 200
# Rows of one channel without linkedid that start within this many seconds of
# the previous row's end belong to the same call.
GROUP_GAP_SECONDS = 60


def _lt(template: str) -> str:
    """Return ``template`` unchanged.

    The name marks the template for Odoo's translation export, and the caller
    translates it because this module has no Odoo import.
    """
    return template


def translate_message(env, message):
    """Translate an error or a skipped line of this module with ``env._``,
    together with parameters that are such messages too."""
    template = getattr(message, "template", None)
    if template is None:
        return message
    params = {
        name: translate_message(env, value) for name, value in message.params.items()
    }
    return env._(template, **params)


class CdrError(ValueError):
    """An error with an English message template and its parameters."""

    def __init__(self, template: str, **params):
        super().__init__(template % params if params else template)
        self.template = template
        self.params = params


class CdrLayoutError(CdrError):
    """The file cannot be read as a whole: an encoding, a layout or a time zone
    that does not fit. The message names the setting that would help."""


@dataclass
class CdrRow:
    line: int
    values: dict
    start: datetime
    answer: datetime | None
    end: datetime
    duration: int
    billsec: int
    disposition: str

    def get(self, name: str) -> str:
        return self.values.get(name, "") or ""


@dataclass
class CdrCall:
    """One call merged from the rows that share its linkedid."""

    call_id: str
    direction: str
    caller_number: str
    caller_name: str
    called_number: str
    arrived_at: datetime
    answered_at: datetime | None
    ended_at: datetime
    outcome: str
    agent_extension: str
    wait_seconds: int
    talk_seconds: int
    rows: list = field(default_factory=list)


@dataclass
class CdrLineError:
    """A skipped line: its number, the message template with its parameters
    and the start of the line's text."""

    line: int
    template: str
    text: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.template % self.params if self.params else self.template

    def __str__(self) -> str:
        return self.message


@dataclass
class ZoneMismatch:
    """UTC offsets, in minutes, in which the file's times were written (as the
    uniqueids show) and in which they were read (the configured zone)."""

    file_offset: int
    read_offset: int
    zone_name: str

    @property
    def file_offset_text(self) -> str:
        return _offset_text(self.file_offset)

    @property
    def read_offset_text(self) -> str:
        return _offset_text(self.read_offset)


@dataclass
class CdrFile:
    layout: tuple
    # How the layout was found: "configured", "header", "cdr_csv" or "detected".
    layout_source: str
    calls: list
    rows: int
    errors: list
    zone_mismatch: ZoneMismatch | None = None


def decode_line(raw: bytes, fallback_encoding: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return raw.decode(fallback_encoding)
        except (UnicodeDecodeError, LookupError):
            return raw.decode("utf-8", errors="replace")


def _check_text(data: bytes, fallback_encoding: str):
    """Raise CdrLayoutError for UTF-16 or UTF-32 text and binary files.

    Such files start with a byte order mark or have NUL bytes in most
    characters. A file with a few NUL bytes, such as a tail of zero bytes,
    passes, and its broken lines are skipped one by one.
    """
    head = data[:4096]
    marks = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)
    if head.startswith(marks) or head.count(b"\x00") * 4 >= len(head) > 0:
        raise CdrLayoutError(
            _lt(
                "the file is not text in UTF-8 or %(encoding)s (it contains NUL "
                "bytes, as UTF-16 text does); save it as CSV in UTF-8"
            ),
            encoding=fallback_encoding,
        )


def parse_layout(text: str) -> tuple:
    """Read a configured layout: column names separated by commas."""
    names = tuple(name.strip().lower() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in KNOWN_COLUMNS and name != "-"]
    if unknown:
        raise CdrLayoutError(
            _lt(
                "unknown CDR columns %(unknown)s; known columns are %(known)s, "
                "and - skips a column"
            ),
            unknown=", ".join(unknown),
            known=", ".join(BASE_COLUMNS + EXTRA_COLUMNS),
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise CdrLayoutError(
            _lt("the CDR layout lacks the columns %(columns)s"),
            columns=", ".join(missing),
        )
    return names


def _parse_time(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(value, date_format)
        except ValueError:
            continue
    raise CdrError(_lt("%(value)r is not a date and time"), value=value)


def _uniqueid_key(value: str):
    match = _UNIQUEID.fullmatch(value or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def _is_time(value: str) -> bool:
    try:
        return _parse_time(value) is not None
    except ValueError:
        return False


# ----------------------------------------------------------------------
# Layout
# ----------------------------------------------------------------------


def _csv_layouts(width: int, sample: list[list[str]]) -> tuple | None:
    """The cdr_csv layout for a number of columns, with the 17 and 20 column
    ambiguity (uniqueid or userfield) settled by the values."""
    new = ("peeraccount", "linkedid", "sequence")
    if width == 16:
        return BASE_COLUMNS
    if width == 18:
        return (*BASE_COLUMNS, "uniqueid", "userfield")
    if width == 19:
        return (*BASE_COLUMNS, *new)
    if width == 21:
        return (*BASE_COLUMNS, "uniqueid", "userfield", *new)
    if width in (17, 20):
        looks_unique = (
            sum(1 for row in sample if _uniqueid_key(row[16])) > len(sample) / 2
        )
        extra = "uniqueid" if looks_unique else "userfield"
        return (*BASE_COLUMNS, extra) + (new if width == 20 else ())
    return None


def _fits(layout: tuple, sample: list[list[str]]) -> bool:
    index = {name: i for i, name in enumerate(layout)}
    good = 0
    for row in sample:
        if len(row) != len(layout):
            continue
        if row[index["disposition"]].strip().upper() not in DISPOSITIONS:
            continue
        if not _is_time(row[index["start"]]):
            continue
        good += 1
    return bool(sample) and good >= FIT_RATIO * len(sample)


def _column_values(sample, width):
    return [
        [row[i].strip() for row in sample if len(row) == width] for i in range(width)
    ]


class _Columns:
    """The sampled values of each column and the names found so far."""

    def __init__(self, sample: list[list[str]]):
        widths = {}
        for row in sample:
            widths[len(row)] = widths.get(len(row), 0) + 1
        width = max(widths, key=widths.get)
        rows = [row for row in sample if len(row) == width]
        self.values = [[row[i].strip() for row in rows] for i in range(width)]
        self.names = ["-"] * width
        self.free = list(range(width))

    def take(self, index: int, name: str):
        self.names[index] = name
        self.free.remove(index)

    def index(self, name: str) -> int | None:
        return self.names.index(name) if name in self.names else None

    def matching(self, predicate, allow_empty: bool = True) -> list[int]:
        """Free columns whose every filled value satisfies the predicate."""
        found = []
        for i in self.free:
            filled = [v for v in self.values[i] if v]
            if not filled or (not allow_empty and len(filled) < len(self.values[i])):
                continue
            if all(predicate(v) for v in filled):
                found.append(i)
        return found

    def take_first(self, name: str, predicate, allow_empty: bool = True):
        found = self.matching(predicate, allow_empty)
        if found:
            self.take(found[0], name)


def detect_layout(sample: list[list[str]]) -> tuple:
    """Find the meaning of each column of a cdr_custom file from its values.

    Columns that fit no known kind get the name "-" and are ignored. Raises
    CdrLayoutError when the start time or the disposition cannot be found.
    """
    columns = _Columns(sample)
    columns.take_first("disposition", lambda v: v.upper() in DISPOSITIONS, False)
    columns.take_first("amaflags", lambda v: v.upper() in AMA_FLAGS)
    _detect_times(columns)
    _detect_ids(columns)
    columns.take_first("clid", lambda v: bool(_CLID.match(v)), False)
    channels = columns.matching(_CHANNEL.fullmatch)
    channels.sort(key=lambda i: (not all(columns.values[i]), i))
    for i, name in zip(channels, ("channel", "dstchannel"), strict=False):
        columns.take(i, name)
    _detect_durations(columns)
    _detect_numbers(columns)
    columns.take_first("lastapp", lambda v: v in APPLICATIONS, False)
    columns.take_first("dcontext", _TOKEN.fullmatch, False)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns.names]
    if missing:
        raise CdrLayoutError(
            _lt(
                "the CDR columns %(columns)s cannot be recognised; set the "
                "provider's CDR layout"
            ),
            columns=", ".join(missing),
        )
    return tuple(columns.names)


def _detect_times(columns: _Columns):
    """Start is the earliest time column that is never empty, end the latest,
    and answer the one left (empty for unanswered legs)."""
    times = columns.matching(_is_time)
    if not times:
        return
    always = [i for i in times if all(columns.values[i])]
    mean = {}
    for i in times:
        filled = [_parse_time(v).timestamp() for v in columns.values[i] if v]
        mean[i] = sum(filled) / len(filled)
    start = min(always or times, key=mean.get)
    columns.take(start, "start")
    rest = [i for i in times if i != start]
    end = max((i for i in rest if i in always), key=mean.get, default=None)
    if end is not None:
        columns.take(end, "end")
        rest.remove(end)
    if rest:
        columns.take(rest[0], "answer")


def _detect_ids(columns: _Columns):
    """A linkedid is never later than the uniqueid of its row."""
    ids = columns.matching(_uniqueid_key, False)
    if len(ids) >= 2:
        first, second = ids[:2]
        pairs = zip(columns.values[first], columns.values[second], strict=True)
        first_is_linked = all(_uniqueid_key(a) <= _uniqueid_key(b) for a, b in pairs)
        columns.take(first, "linkedid" if first_is_linked else "uniqueid")
        columns.take(second, "uniqueid" if first_is_linked else "linkedid")
    elif ids:
        columns.take(ids[0], "uniqueid")


def _detect_durations(columns: _Columns):
    """Duration is the whole-number column closest to end minus start, and
    billsec one never above it."""
    start, end = columns.index("start"), columns.index("end")
    integers = columns.matching(str.isdigit, False)
    if start is None or end is None or not integers:
        return
    spans = [
        (_parse_time(b) - _parse_time(a)).total_seconds()
        for a, b in zip(columns.values[start], columns.values[end], strict=True)
    ]

    def error(i):
        pairs = zip(columns.values[i], spans, strict=True)
        return sum(abs(int(v) - span) for v, span in pairs) / len(spans)

    duration = min(integers, key=error)
    if error(duration) > 2:
        return
    columns.take(duration, "duration")
    for i in integers:
        pairs = zip(columns.values[i], columns.values[duration], strict=True)
        if i != duration and all(int(b) <= int(d) for b, d in pairs):
            columns.take(i, "billsec")
            break


def _detect_numbers(columns: _Columns):
    """Src repeats the number of the clid; dst is a column of mostly numbers."""
    clid = columns.index("clid")
    if clid is not None:
        numbers = [_CLID.match(v).group("number") for v in columns.values[clid]]
        for i in columns.free:
            pairs = zip(columns.values[i], numbers, strict=True)
            if sum(1 for v, n in pairs if v == n) >= FIT_RATIO * len(numbers):
                columns.take(i, "src")
                break
    for i in columns.matching(_TOKEN.fullmatch, False):
        values = columns.values[i]
        if sum(1 for v in values if _NUMBER.fullmatch(v)) >= len(values) / 2:
            columns.take(i, "dst" if "src" in columns.names else "src")
            break


# ----------------------------------------------------------------------
# Rows
# ----------------------------------------------------------------------


def _to_utc(moment: datetime | None, zone) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=zone).astimezone(timezone.utc)


def _build_row(line: int, cells: list[str], layout: tuple, zone) -> CdrRow:
    if len(cells) != len(layout):
        raise CdrError(
            _lt("%(count)s columns where the layout has %(expected)s"),
            count=len(cells),
            expected=len(layout),
        )
    values = {
        name: cell for name, cell in zip(layout, cells, strict=True) if name != "-"
    }
    start = _parse_time(values.get("start", ""))
    if start is None:
        raise CdrError(_lt("the start time is empty"))
    answer = _parse_time(values.get("answer", "")) if values.get("answer") else None
    end = _parse_time(values.get("end", "")) if values.get("end") else None
    disposition = values.get("disposition", "").strip().upper()
    if disposition not in DISPOSITIONS:
        raise CdrError(_lt("unknown disposition %(value)r"), value=disposition)
    duration = _integer(values, "duration")
    billsec = _integer(values, "billsec")
    if end is None:
        end = start + timedelta(seconds=duration or 0)
    if end < start:
        raise CdrError(_lt("the end time is before the start time"))
    return CdrRow(
        line=line,
        values=values,
        start=_to_utc(start, zone),
        answer=_to_utc(answer, zone),
        end=_to_utc(end, zone),
        duration=duration if duration is not None else int((end - start).seconds),
        billsec=billsec or 0,
        disposition=disposition,
    )


def _integer(values: dict, name: str) -> int | None:
    value = values.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise CdrError(
            _lt("%(column)s %(value)r is not a whole number of seconds"),
            column=name,
            value=value,
        )
    return int(value)


# ----------------------------------------------------------------------
# Calls
# ----------------------------------------------------------------------


def _peer(channel: str) -> str:
    if "/" not in channel:
        return ""
    rest = channel.split("/", 1)[1].split(";", 1)[0]
    if "@" in rest:
        return rest.split("@", 1)[0]
    match = re.fullmatch(r"(.+)-[0-9a-fA-F]{8}", rest)
    return match.group(1) if match else rest


def _is_local(channel: str) -> bool:
    return channel.lower().startswith("local/")


def _dial_timeout(lastdata: str) -> int | None:
    """The timeout argument of Dial(devices,timeout,options)."""
    parts = lastdata.split(",")
    if len(parts) >= 2 and parts[1].strip().isdigit():
        return int(parts[1].strip())
    return None


def _split_clid(clid: str) -> tuple[str, str]:
    match = _CLID.match(clid or "")
    if not match:
        return "", ""
    name = match.group("quoted") if match.group("quoted") is not None else ""
    name = name or (match.group("bare") or "")
    return name.strip(), match.group("number").strip()


def _group_rows(rows: list[CdrRow]) -> dict[str, list[CdrRow]]:
    """Group rows into calls: by linkedid, else by uniqueid, else by caller
    channel and time. Without linkedid, the legs behind a Local channel pair
    (`Local/x@ctx-00000001;2`, dialled as `...;1`) join the call that dialled
    it."""
    groups = {}
    loose = []
    for row in rows:
        key = row.get("linkedid") or row.get("uniqueid")
        if key:
            groups.setdefault(key, []).append(row)
        else:
            loose.append(row)
    loose.sort(key=lambda r: (r.get("channel"), r.start))
    current_key, current_end, current_channel = None, None, None
    for row in loose:
        channel = row.get("channel")
        if (
            current_key is None
            or channel != current_channel
            or row.start > current_end + timedelta(seconds=GROUP_GAP_SECONDS)
        ):
            current_key = f"cdr-{channel}-{int(row.start.timestamp())}"
            current_channel, current_end = channel, row.end
        groups.setdefault(current_key, []).append(row)
        current_end = max(current_end, row.end)
    if any(row.get("linkedid") for row in rows):
        return groups
    dialled_by = {}
    for key, group in groups.items():
        for row in group:
            if row.get("dstchannel"):
                dialled_by.setdefault(row.get("dstchannel"), key)
    for key in list(groups):
        channel = groups[key][0].get("channel")
        if not (_is_local(channel) and channel.endswith(";2")):
            continue
        parent = dialled_by.get(channel[:-1] + "1")
        if parent and parent != key and parent in groups:
            groups[parent].extend(groups.pop(key))
    return groups


def merge_call(
    call_id: str,
    rows: list[CdrRow],
    extension_pattern: re.Pattern,
    inbound_contexts: frozenset,
) -> CdrCall:
    """Merge the legs of one call into its log entry.

    Outcome: an answered leg to a real channel (not a Local one) makes the
    call answered. Otherwise a call dialled to agents is busy when a
    destination was busy, failed on congestion or failure, and for legs that
    rang without answer: no answer when the dial rang its whole timeout,
    abandoned when the caller hung up earlier. A call dialled to no one was
    answered when the PBX itself answered it (an announcement, the IVR) for a
    while, else abandoned.
    """
    rows = sorted(rows, key=lambda r: (r.start, r.line))
    root = next((r for r in rows if not _is_local(r.get("channel"))), rows[0])
    origin_rows = [r for r in rows if r.get("uniqueid") == call_id] or [
        r for r in rows if r.get("channel") == root.get("channel")
    ]
    origin = origin_rows[0]
    name, clid_number = _split_clid(origin.get("clid"))
    caller = origin.get("src") or clid_number
    if name == caller:
        name = ""
    arrived = min(r.start for r in rows)
    ended = max(r.end for r in rows)
    agent_legs = [
        r
        for r in rows
        if r.get("dstchannel")
        and not _is_local(r.get("dstchannel"))
        and r.disposition == "ANSWERED"
        and r.answer is not None
    ]
    pbx_legs = [
        r
        for r in rows
        if not r.get("dstchannel") and r.disposition == "ANSWERED" and r.billsec > 0
    ]
    dialled = [r for r in rows if r.get("dstchannel")]
    context = origin.get("dcontext").lower()
    if context in inbound_contexts:
        direction = "inbound"
    elif extension_pattern.fullmatch(caller or ""):
        direction = (
            "internal" if extension_pattern.fullmatch(origin.get("dst")) else "outbound"
        )
    else:
        direction = "inbound"
    answered_at, agent, talk = None, "", 0
    if agent_legs:
        first = min(agent_legs, key=lambda r: r.answer)
        answered_at = first.answer
        peer = _peer(first.get("dstchannel"))
        agent = peer if extension_pattern.fullmatch(peer) else ""
        talk = max(r.billsec for r in agent_legs)
        outcome = "answered"
    elif dialled:
        outcome = _unanswered_outcome(origin_rows, dialled, direction)
    elif pbx_legs:
        answered_at = min(r.answer or r.start for r in pbx_legs)
        talk = max(r.billsec for r in pbx_legs)
        outcome = "answered"
    else:
        outcome = "abandoned" if direction == "inbound" else "failed"
    waited_until = answered_at or ended
    return CdrCall(
        call_id=call_id,
        direction=direction,
        caller_number=caller,
        caller_name=name,
        called_number=origin.get("dst"),
        arrived_at=arrived,
        answered_at=answered_at,
        ended_at=ended,
        outcome=outcome,
        agent_extension=agent,
        wait_seconds=max(0, int((waited_until - arrived).total_seconds())),
        talk_seconds=talk,
        rows=rows,
    )


def _unanswered_outcome(origin_rows, dialled, direction):
    dispositions = {r.disposition for r in dialled}
    if dispositions <= {"BUSY"}:
        return "busy"
    if dispositions & {"FAILED", "CONGESTION"} and not dispositions & {"NO ANSWER"}:
        return "failed"
    # The caller's own dial: how long it rang against its timeout.
    dials = [r for r in origin_rows if r.get("dstchannel")] or dialled
    rang = max(r.duration for r in dials)
    timeouts = [t for t in (_dial_timeout(r.get("lastdata")) for r in dials) if t]
    if timeouts and rang >= max(timeouts) - 1:
        return "no_answer"
    if direction == "inbound":
        return "abandoned"
    return "no_answer"


# ----------------------------------------------------------------------
# Entry point
# ----------------------------------------------------------------------


def read_cdr(
    data: bytes,
    timezone_name: str = "UTC",
    layout: str | None = None,
    fallback_encoding: str = "cp1251",
    extension_pattern: str = r"\d{2,4}",
    inbound_contexts=DEFAULT_INBOUND_CONTEXTS,
) -> CdrFile:
    """Read a CDR file and merge its rows into calls.

    `timezone_name` is the PBX's zone (an IANA name) in which the file's
    times are read; `layout` is an optional comma-separated list of column
    names. Broken lines are listed in `errors` and skipped.
    """
    try:
        zone = ZoneInfo(timezone_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise CdrLayoutError(
            _lt("unknown time zone %(zone)r"), zone=timezone_name
        ) from error
    _check_text(data, fallback_encoding)
    lines = []
    errors = []
    for number, raw in enumerate(data.splitlines(), start=1):
        text = decode_line(raw, fallback_encoding)
        if not text.strip():
            continue
        if "\x00" in text:
            # PostgreSQL stores no NUL character, so the excerpt drops them.
            excerpt = text.replace("\x00", "")[:200]
            errors.append(
                CdrLineError(number, _lt("the line contains NUL bytes"), excerpt)
            )
            continue
        try:
            cells = next(csv.reader([text], strict=True))
        except csv.Error as error:
            errors.append(
                CdrLineError(
                    number, _lt("invalid CSV: %(error)s"), text[:200], {"error": error}
                )
            )
            continue
        lines.append((number, text, cells))
    if not lines and not errors:
        raise CdrLayoutError(_lt("the file is empty"))
    if not lines:
        first = errors[0]
        raise CdrLayoutError(
            _lt("no line of the file is a CDR row; line %(line)s: %(error)s"),
            line=first.line,
            error=first,
        )
    header = [cell.strip().lower() for cell in lines[0][2]]
    if layout:
        columns, source = parse_layout(layout), "configured"
    elif set(header) <= KNOWN_COLUMNS | {"-"} and "start" in header:
        columns, source = tuple(header), "header"
        lines = lines[1:]
    else:
        sample = [cells for _n, _t, cells in lines[:SAMPLE_ROWS]]
        widths = {}
        for cells in sample:
            widths[len(cells)] = widths.get(len(cells), 0) + 1
        width = max(widths, key=widths.get)
        columns = _csv_layouts(width, [c for c in sample if len(c) == width])
        source = "cdr_csv"
        if columns is None or not _fits(columns, sample):
            columns, source = detect_layout(sample), "detected"
    rows = []
    for number, text, cells in lines:
        try:
            rows.append(_build_row(number, cells, columns, zone))
        except CdrError as error:
            errors.append(
                CdrLineError(number, error.template, text[:200], error.params)
            )
    pattern = re.compile(extension_pattern)
    contexts = frozenset(c.lower() for c in inbound_contexts)
    calls = [
        merge_call(call_id, group, pattern, contexts)
        for call_id, group in _group_rows(rows).items()
    ]
    calls.sort(key=lambda c: (c.arrived_at, c.call_id))
    return CdrFile(
        columns, source, calls, len(rows), errors, _zone_mismatch(rows, zone)
    )


def _zone_mismatch(rows: list[CdrRow], zone) -> ZoneMismatch | None:
    """Compare the configured zone with the one that the uniqueids imply.

    A Uniqueid contains the Unix time at which Asterisk created the channel,
    which is the start of its first row. The difference to the start as
    written gives the UTC offset in which the file was written.
    """
    votes = {}
    for row in rows:
        key = _uniqueid_key(row.get("uniqueid"))
        if not key:
            continue
        written = row.start.astimezone(zone).replace(tzinfo=None)
        created = datetime.fromtimestamp(key[0], timezone.utc).replace(tzinfo=None)
        offset = round((written - created).total_seconds() / 900) * 15
        votes[offset] = votes.get(offset, 0) + 1
    if not votes:
        return None
    implied = max(votes, key=votes.get)
    configured = rows[0].start.astimezone(zone).utcoffset()
    configured_minutes = int(configured.total_seconds() // 60)
    if (
        votes[implied] < FIT_RATIO * sum(votes.values())
        or implied == configured_minutes
    ):
        return None
    return ZoneMismatch(implied, configured_minutes, zone.key)


def _offset_text(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}" + (f":{rest:02d}" if rest else "")
