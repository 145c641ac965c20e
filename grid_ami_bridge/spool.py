"""A first-in first-out queue of call events on disk.

Every event is written to its own file before any attempt to deliver it, and
the file is removed only after Odoo has accepted the event (or reported it as a
duplicate). A crash or an outage of Odoo therefore loses nothing, and events
leave in the order they entered. Files are written to a temporary name, flushed
to disk and renamed, so a file in `pending/` is always complete.
"""

import json
import logging
import os
from collections import deque
from pathlib import Path

_logger = logging.getLogger(__name__)

_SUFFIX = ".json"


class Spool:
    """Events waiting for delivery in `<directory>/pending`; events that Odoo
    rejected as invalid go to `<directory>/rejected` with the error beside
    them, for a person to read."""

    def __init__(self, directory: str | os.PathLike, fsync: bool = True):
        self.directory = Path(directory)
        self.pending_dir = self.directory / "pending"
        self.rejected_dir = self.directory / "rejected"
        self.fsync = fsync
        self.pending_dir.mkdir(parents=True, exist_ok=True)
        self.rejected_dir.mkdir(parents=True, exist_ok=True)
        for leftover in self.pending_dir.glob("*.tmp"):
            # A write interrupted before its rename: the event was never
            # acknowledged to anyone, so nothing depends on it.
            leftover.unlink()
        names = sorted(p.name for p in self.pending_dir.glob("*" + _SUFFIX))
        self._names = deque(names)
        self._next = int(names[-1][: -len(_SUFFIX)]) + 1 if names else 1
        if names:
            _logger.info(
                "Spool %s holds %s undelivered events", self.directory, len(names)
            )

    def __len__(self):
        return len(self._names)

    def put(self, event: dict) -> str:
        """Write one event; return its file name."""
        name = f"{self._next:020d}{_SUFFIX}"
        self._next += 1
        path = self.pending_dir / name
        temporary = path.with_suffix(".tmp")
        data = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
        with open(temporary, "wb") as stream:
            stream.write(data)
            if self.fsync:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, path)
        if self.fsync:
            self._sync_directory()
        self._names.append(name)
        return name

    def peek(self, limit: int) -> list[tuple[str, dict]]:
        """The oldest events, at most `limit`, without removing them.

        A file that cannot be read as JSON is moved to `rejected/`.
        """
        batch = []
        index = 0
        while len(batch) < limit and index < len(self._names):
            name = self._names[index]
            try:
                event = json.loads((self.pending_dir / name).read_bytes())
            except (OSError, ValueError) as error:
                _logger.error("Spooled event %s is unreadable: %s", name, error)
                del self._names[index]
                self._move_to_rejected(name, f"unreadable spool file: {error}")
                continue
            batch.append((name, event))
            index += 1
        return batch

    def acknowledge(self, names: list[str]):
        """Remove delivered events."""
        done = set(names)
        for name in names:
            try:
                (self.pending_dir / name).unlink()
            except FileNotFoundError:
                pass
        self._names = deque(n for n in self._names if n not in done)

    def reject(self, name: str, error: str):
        """Move an event that Odoo rejected to `rejected/`."""
        self._names = deque(n for n in self._names if n != name)
        self._move_to_rejected(name, error)

    def _move_to_rejected(self, name: str, error: str):
        source = self.pending_dir / name
        if source.exists():
            os.replace(source, self.rejected_dir / name)
        (self.rejected_dir / (name + ".error")).write_text(
            error + "\n", encoding="utf-8"
        )

    def _sync_directory(self):
        descriptor = os.open(self.pending_dir, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
