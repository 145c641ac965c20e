"""The bridge's run loop: an AMI session that logs in, pings and reconnects,
feeding a call tracker whose events go through the spool to the webhook."""

import asyncio
import itertools
import logging
import time

from .config import BridgeConfig
from .protocol import AmiMessage, AmiParser, format_action, md5_key
from .spool import Spool
from .tracker import CallTracker, Deduplicator
from .webhook import DeliveryError, WebhookClient

_logger = logging.getLogger(__name__)


class AmiError(Exception):
    """The AMI session failed; the bridge reconnects."""


class AuthenticationError(AmiError):
    """Asterisk rejected the login."""


class AmiSession:
    """One TCP connection to AMI: sends actions, routes responses to their
    callers and every other event to `on_event`."""

    def __init__(self, reader, writer, parser: AmiParser, on_event):
        self.reader = reader
        self.writer = writer
        self.parser = parser
        self.on_event = on_event
        self._ids = itertools.count(1)
        self._responses = {}
        self._lists = {}
        self.banner_seen = asyncio.Event()
        self.closed = asyncio.Event()
        # When data last arrived (time.monotonic()).
        self.last_read = time.monotonic()

    async def read_forever(self):
        try:
            while True:
                data = await self.reader.read(65536)
                if not data:
                    break
                self.last_read = time.monotonic()
                for message in self.parser.feed(data):
                    self._dispatch(message)
                if self.parser.banner:
                    self.banner_seen.set()
        finally:
            if self.parser.close():
                _logger.warning("The AMI connection closed inside a message")
            self.closed.set()
            for future in self._responses.values():
                if not future.done():
                    future.set_exception(AmiError("the AMI connection closed"))

    def _dispatch(self, message: AmiMessage):
        action_id = message.get("ActionID", "")
        if message.is_response and action_id in self._responses:
            future = self._responses.pop(action_id)
            if not future.done():
                future.set_result(message)
            return
        if action_id in self._lists:
            collected, done = self._lists[action_id]
            if message.get("EventList", "").lower() == "complete":
                done.set()
            else:
                collected.append(message)
            return
        self.on_event(message)

    async def action(
        self, fields: list[tuple[str, str]], timeout: float, patient: bool = False
    ) -> AmiMessage:
        """Send an action and return its response; raise AmiError when none
        came within `timeout` seconds. With `patient`, the wait goes on for as
        long as other messages keep arriving: Asterisk answers in order, so
        a response queued behind a burst of events is late, not lost."""
        action_id = f"bridge-{next(self._ids)}"
        future = asyncio.get_running_loop().create_future()
        self._responses[action_id] = future
        self.writer.write(format_action([*fields, ("ActionID", action_id)]))
        await self.writer.drain()
        try:
            while True:
                waiting_since = time.monotonic()
                try:
                    return await asyncio.wait_for(asyncio.shield(future), timeout)
                except asyncio.TimeoutError:
                    if not patient or self.last_read <= waiting_since:
                        raise
        except asyncio.TimeoutError as error:
            self._responses.pop(action_id, None)
            raise AmiError(
                f"no response to {fields[0][1]} within {timeout} s"
            ) from error

    async def list_action(
        self, fields: list[tuple[str, str]], timeout: float
    ) -> list[AmiMessage]:
        """Send an action whose answer is a list of events ending with
        `EventList: Complete`, and return those events."""
        action_id = f"bridge-{next(self._ids)}"
        collected, done = [], asyncio.Event()
        self._lists[action_id] = (collected, done)
        future = asyncio.get_running_loop().create_future()
        self._responses[action_id] = future
        self.writer.write(format_action([*fields, ("ActionID", action_id)]))
        await self.writer.drain()
        try:
            response = await asyncio.wait_for(future, timeout)
            if response.get("Response", "").lower() != "success":
                raise AmiError(f"{fields[0][1]} failed: {response.get('Message', '')}")
            await asyncio.wait_for(done.wait(), timeout)
            return collected
        except asyncio.TimeoutError as error:
            raise AmiError(
                f"{fields[0][1]} did not complete within {timeout} s"
            ) from error
        finally:
            self._lists.pop(action_id, None)
            self._responses.pop(action_id, None)

    def close(self):
        self.writer.close()


class Bridge:
    """Run the AMI session, the delivery of spooled events and the expiry of
    silent calls until `stop()`."""

    def __init__(
        self,
        config: BridgeConfig,
        spool: Spool | None = None,
        webhook: WebhookClient | None = None,
    ):
        self.config = config
        self.spool = spool or Spool(config.spool_directory, fsync=config.spool_fsync)
        self.webhook = webhook or WebhookClient(
            config.webhook.url, config.webhook.secret, config.webhook.timeout
        )
        self.tracker = CallTracker(self._spool_event, config.calls)
        self.deduplicator = Deduplicator()
        self.connected = asyncio.Event()
        self._wakeup = asyncio.Event()
        self._stop = asyncio.Event()
        self.sessions = 0

    def _spool_event(self, event: dict):
        self.spool.put(event)
        self._wakeup.set()

    def handle_event(self, message: AmiMessage):
        if self.deduplicator.is_duplicate(message):
            return
        self.tracker.handle(message)

    def stop(self):
        self._stop.set()
        self._wakeup.set()

    async def run(self):
        tasks = [
            asyncio.create_task(self._ami_forever(), name="ami"),
            asyncio.create_task(self._deliver_forever(), name="delivery"),
            asyncio.create_task(self._expire_forever(), name="expiry"),
        ]
        await self._stop.wait()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        _logger.info("Bridge stopped; %s events wait in the spool", len(self.spool))

    async def _sleep_unless_stopped(self, seconds: float):
        try:
            await asyncio.wait_for(self._stop.wait(), seconds)
        except asyncio.TimeoutError:
            pass

    # ------------------------------------------------------------------
    # AMI
    # ------------------------------------------------------------------

    async def _ami_forever(self):
        delay = 1.0
        settings = self.config.ami
        while not self._stop.is_set():
            try:
                await self._session()
                delay = 1.0
            except AuthenticationError as error:
                _logger.error(
                    "AMI login to %s:%s failed: %s", settings.host, settings.port, error
                )
                delay = settings.reconnect_max_delay
            except (AmiError, OSError, asyncio.TimeoutError) as error:
                _logger.warning(
                    "AMI connection to %s:%s lost: %s; reconnecting in %.0f s",
                    settings.host,
                    settings.port,
                    error or type(error).__name__,
                    delay,
                )
            self.connected.clear()
            await self._sleep_unless_stopped(delay)
            delay = min(delay * 2, settings.reconnect_max_delay)

    async def _session(self):
        settings = self.config.ami
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(settings.host, settings.port),
            settings.connect_timeout,
        )
        session = AmiSession(
            reader, writer, AmiParser(settings.fallback_encoding), self.handle_event
        )
        reading = asyncio.create_task(session.read_forever())
        try:
            try:
                await asyncio.wait_for(
                    session.banner_seen.wait(), settings.connect_timeout
                )
            except asyncio.TimeoutError as error:
                raise AmiError("no AMI banner received") from error
            await self._login(session)
            self.sessions += 1
            _logger.info(
                "Logged in to %s at %s:%s as %s",
                session.parser.banner,
                settings.host,
                settings.port,
                settings.username,
            )
            channels = await session.list_action(
                [("Action", "CoreShowChannels")], settings.ping_timeout * 3
            )
            self.tracker.reconcile(channels)
            self.connected.set()
            await self._ping_until_closed(session)
        finally:
            session.close()
            reading.cancel()
            await asyncio.gather(reading, return_exceptions=True)
            if session.parser.garbage_lines or session.parser.dropped_messages:
                _logger.warning(
                    "AMI session ended with %s unreadable lines and %s incomplete "
                    "messages skipped",
                    session.parser.garbage_lines,
                    session.parser.dropped_messages,
                )

    async def _login(self, session: AmiSession):
        settings = self.config.ami
        timeout = settings.ping_timeout
        if settings.auth == "md5":
            challenge = await session.action(
                [("Action", "Challenge"), ("AuthType", "MD5")], timeout
            )
            if challenge.get("Response", "").lower() != "success":
                raise AuthenticationError(
                    challenge.get("Message", "challenge rejected")
                )
            fields = [
                ("Action", "Login"),
                ("AuthType", "MD5"),
                ("Username", settings.username),
                ("Key", md5_key(challenge.get("Challenge", ""), settings.secret)),
            ]
        else:
            fields = [
                ("Action", "Login"),
                ("Username", settings.username),
                ("Secret", settings.secret),
            ]
        response = await session.action([*fields, ("Events", settings.events)], timeout)
        if response.get("Response", "").lower() != "success":
            raise AuthenticationError(response.get("Message", "login rejected"))

    async def _ping_until_closed(self, session: AmiSession):
        settings = self.config.ami
        while not session.closed.is_set() and not self._stop.is_set():
            try:
                await asyncio.wait_for(session.closed.wait(), settings.ping_interval)
            except asyncio.TimeoutError:
                pong = await session.action(
                    [("Action", "Ping")], settings.ping_timeout, patient=True
                )
                if pong.get("Response", "").lower() != "success":
                    raise AmiError(f"Ping failed: {pong.get('Message', '')}") from None
        if session.closed.is_set():
            raise AmiError("Asterisk closed the connection")

    # ------------------------------------------------------------------
    # Delivery
    # ------------------------------------------------------------------

    async def _deliver_forever(self):
        settings = self.config.webhook
        first_delay = delay = min(1.0, settings.retry_max_delay)
        batch_size = settings.batch_size
        failing_since = None
        while not self._stop.is_set():
            batch = self.spool.peek(batch_size)
            if not batch:
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            try:
                results = await asyncio.to_thread(
                    self.webhook.post, [event for _name, event in batch]
                )
            except DeliveryError as error:
                if error.status == 413 and batch_size > 1:
                    batch_size = max(1, batch_size // 2)
                    continue
                if failing_since is None:
                    failing_since = time.monotonic()
                    _logger.warning(
                        "Delivery failed, retrying in %.0f s: %s", delay, error
                    )
                elif not error.retry:
                    _logger.error("Delivery failed: %s", error)
                else:
                    _logger.warning(
                        "Delivery still failing after %.0f s, %s events wait: %s",
                        time.monotonic() - failing_since,
                        len(self.spool),
                        error,
                    )
                await self._sleep_unless_stopped(delay)
                delay = min(delay * 2, settings.retry_max_delay)
                continue
            if failing_since is not None:
                _logger.info(
                    "Delivery works again after %.0f s",
                    time.monotonic() - failing_since,
                )
                failing_since = None
            delay = first_delay
            if not self._apply_results(batch, results):
                await self._sleep_unless_stopped(settings.retry_max_delay)

    def _apply_results(self, batch, results) -> bool:
        """Acknowledge or reject the spooled events by Odoo's results; return
        False when some events got no usable result and wait for a retry."""
        delivered = []
        complete = len(results) >= len(batch)
        for (name, event), result in zip(batch, results, strict=False):
            if result.event_id != event.get("event_id"):
                _logger.error(
                    "Response lists event %r where %r was sent; the rest is retried",
                    result.event_id,
                    event.get("event_id"),
                )
                complete = False
                break
            if result.status in ("accepted", "duplicate"):
                delivered.append(name)
            elif result.status == "rejected":
                _logger.error(
                    "Odoo rejected event %s: %s (kept in %s)",
                    result.event_id,
                    result.error,
                    self.spool.rejected_dir,
                )
                self.spool.reject(name, result.error)
            else:
                _logger.error(
                    "Unknown status %r for event %s; it is retried",
                    result.status,
                    result.event_id,
                )
                complete = False
                break
        self.spool.acknowledge(delivered)
        return complete

    async def _expire_forever(self):
        while not self._stop.is_set():
            await self._sleep_unless_stopped(60)
            self.tracker.expire()
