"""The AMI wire format: messages of `Key: Value` lines ended by an empty line.

The parser is incremental and tolerant. A line that is not `Key: Value` (CLI
output mixed into a log, noise on the socket) is skipped and counted; a message
cut short by a new `Event:` or `Response:` line, by the end of the stream or by
a size limit is dropped and counted. Bytes that are not UTF-8 are decoded with a
fallback encoding, because caller id names from Russian trunks often arrive in
cp1251.
"""

import hashlib
import logging
import re
from collections.abc import Iterator, Mapping

_logger = logging.getLogger(__name__)

BANNER_PREFIX = "Asterisk Call Manager/"
# AMI keys are ASCII words, possibly with dashes, dots or a bracketed part
# (`Cause-txt`, `ChanVariable(FOO)`). A key never contains a space, which keeps
# CLI lines such as "[Dec 26 14:43:50] NOTICE[9404]: ..." out.
_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_\-.()/]*):(?: (.*)|)$")
# Keys that start a message: a second one in the same message means that the
# previous message was cut short.
_START_KEYS = ("event", "response", "action")


def decode_text(raw: bytes, fallback_encoding: str = "cp1251") -> str:
    """Decode bytes as UTF-8, else with the fallback encoding, else with
    replacement characters."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode(fallback_encoding)
    except (UnicodeDecodeError, LookupError):
        return raw.decode("utf-8", errors="replace")


class AmiMessage(Mapping):
    """One AMI message: a read-only mapping with case-insensitive keys.

    A repeated key keeps its first value for `msg[key]`; `getall` returns every
    value (events such as `ChanVariable` repeat their key).
    """

    __slots__ = ("_index", "_items")

    def __init__(self, items=()):
        self._items = []
        self._index = {}
        for key, value in items.items() if isinstance(items, Mapping) else items:
            self._items.append((key, value))
            self._index.setdefault(key.lower(), value)

    def __getitem__(self, key):
        return self._index[key.lower()]

    def __iter__(self) -> Iterator[str]:
        seen = set()
        for key, _value in self._items:
            if key.lower() not in seen:
                seen.add(key.lower())
                yield key

    def __len__(self):
        return len(self._index)

    def __contains__(self, key):
        return isinstance(key, str) and key.lower() in self._index

    def __repr__(self):
        return f"AmiMessage({dict(self)!r})"

    def getall(self, key: str) -> list[str]:
        key = key.lower()
        return [value for name, value in self._items if name.lower() == key]

    @property
    def name(self) -> str:
        """The event name, or "" for a response."""
        return self.get("Event", "")

    @property
    def is_response(self) -> bool:
        return "Response" in self

    @property
    def is_event(self) -> bool:
        return "Event" in self


class AmiParser:
    """Split the AMI byte stream into `AmiMessage` objects.

    `feed()` takes any chunk of bytes and returns the messages completed by it.
    `close()` reports a message left unfinished at the end of the stream.
    Counters (`garbage_lines`, `dropped_messages`) let the caller log problems
    without a log line per bad byte.
    """

    def __init__(
        self,
        fallback_encoding: str = "cp1251",
        max_line_bytes: int = 65536,
        max_message_lines: int = 2000,
    ):
        self.fallback_encoding = fallback_encoding
        self.max_line_bytes = max_line_bytes
        self.max_message_lines = max_message_lines
        self.banner = None
        self.garbage_lines = 0
        self.dropped_messages = 0
        self._buffer = bytearray()
        self._lines = []
        self._discarding_long_line = False

    def feed(self, data: bytes) -> list[AmiMessage]:
        messages = []
        self._buffer += data
        while True:
            end = self._buffer.find(b"\n")
            if end < 0:
                if len(self._buffer) > self.max_line_bytes:
                    self._drop_long_line()
                break
            raw = bytes(self._buffer[:end])
            del self._buffer[: end + 1]
            if self._discarding_long_line:
                # The tail of a line that was already too long.
                self._discarding_long_line = False
                continue
            if len(raw) > self.max_line_bytes:
                self._skip_long_line()
                continue
            message = self._take_line(raw.rstrip(b"\r"))
            if message is not None:
                messages.append(message)
        return messages

    def close(self) -> bool:
        """End the stream; return True when an unfinished message was dropped."""
        tail = bytes(self._buffer).rstrip(b"\r")
        self._buffer.clear()
        if tail and not self._discarding_long_line:
            self._take_line(tail)
        self._discarding_long_line = False
        if self._lines:
            self._drop_message("the stream ended inside a message")
            return True
        return False

    def _drop_long_line(self):
        """Discard a line that exceeds the limit before its end has arrived."""
        self._buffer.clear()
        self._discarding_long_line = True
        self._skip_long_line()

    def _skip_long_line(self):
        _logger.warning(
            "AMI line longer than %s bytes skipped, with the message it was in",
            self.max_line_bytes,
        )
        self.garbage_lines += 1
        if self._lines:
            self._drop_message("a line exceeded the size limit")

    def _drop_message(self, reason: str):
        self.dropped_messages += 1
        first = f"{self._lines[0][0]}: {self._lines[0][1]}" if self._lines else ""
        _logger.warning("Incomplete AMI message dropped (%s): %s", reason, first[:200])
        self._lines = []

    def _take_line(self, raw: bytes):
        if not raw.strip():
            if not self._lines:
                return None
            message = AmiMessage(self._lines)
            self._lines = []
            if not (message.is_event or message.is_response or "Action" in message):
                self.garbage_lines += 1
                _logger.debug(
                    "AMI block without Event, Response or Action: %r", message
                )
                return None
            return message
        text = decode_text(raw, self.fallback_encoding)
        if text.startswith(BANNER_PREFIX):
            self.banner = text.strip()
            if self._lines:
                self._drop_message("a banner line interrupted it")
            return None
        match = _LINE.match(text)
        if not match:
            self.garbage_lines += 1
            _logger.debug("Non-AMI line skipped: %r", text[:200])
            return None
        key, value = match.group(1), match.group(2) or ""
        if key.lower() in _START_KEYS and any(
            name.lower() in _START_KEYS for name, _value in self._lines
        ):
            self._drop_message(f"a new {key} line started before its end")
        self._lines.append((key, value))
        if len(self._lines) > self.max_message_lines:
            self._drop_message("it exceeded the line limit")
        return None


def format_action(fields: Mapping[str, str] | list[tuple[str, str]]) -> bytes:
    """Encode an action; CR and LF inside values are removed so that a value
    cannot inject a header."""
    items = fields.items() if isinstance(fields, Mapping) else fields
    lines = []
    for key, value in items:
        value = str(value).replace("\r", " ").replace("\n", " ")
        lines.append(f"{key}: {value}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def md5_key(challenge: str, secret: str) -> str:
    """The `Key` of an MD5 login: hex MD5 of the challenge and the secret."""
    return hashlib.md5((challenge + secret).encode(), usedforsecurity=False).hexdigest()


def uniqueid_epoch(uniqueid: str) -> int | None:
    """The Unix time at which Asterisk created the channel of a Uniqueid.

    Asterisk builds a Uniqueid as `[systemname-]epoch.sequence`. Returns None
    for ids in another form, such as a ChannelId given to Originate.
    """
    match = re.fullmatch(r"(?:.*-)?(\d{9,11})\.\d+", uniqueid or "")
    return int(match.group(1)) if match else None
