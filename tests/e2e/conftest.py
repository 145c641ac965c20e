"""The parts of a contact center in production for the end-to-end test,
each in its own process or thread. They are a copy of the test database,
Odoo in multi-worker mode behind a routing reverse proxy, a scripted
Asterisk AMI server, the AMI bridge as its own process with its disk spool
and an SMTP server."""

import asyncio
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from PIL import Image

import odoo
from odoo.tests.common import get_db_name
from odoo.tools import SQL

from ..ami_server import FakeAmi
from ..odoo_server import OdooServer, free_port
from .proxy import RoutingProxy

AMI_USER = "grid"
AMI_SECRET = "e2e-ami-secret"
WEBHOOK_SECRET = "e2e-webhook-secret"
# The telephony provider of the demo data, which the test configures.
PROVIDER_CODE = "asterisk"


def _drop_database(name):
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(SQL("DROP DATABASE IF EXISTS %s WITH (FORCE)", SQL.identifier(name)))
    shutil.rmtree(odoo.tools.config.filestore(name), ignore_errors=True)


@pytest.fixture(scope="module")
def day_database():
    """A copy of the test database, with its filestore, dropped at the end:
    the other tests keep theirs as it was."""
    source = get_db_name()
    target = f"{source}_day"
    _drop_database(target)
    # CREATE DATABASE ... TEMPLATE needs the template without connections;
    # this process's pooled ones are its only users.
    odoo.sql_db.close_db(source)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(
            SQL(
                "CREATE DATABASE %s TEMPLATE %s",
                SQL.identifier(target),
                SQL.identifier(source),
            )
        )
    filestore = Path(odoo.tools.config.filestore(source))
    if filestore.is_dir():
        shutil.copytree(filestore, odoo.tools.config.filestore(target))
    yield target
    odoo.sql_db.close_db(target)
    _drop_database(target)


@pytest.fixture(scope="module")
def day_cursor(day_database):
    """Return a function that runs one SQL query on the copy and returns its
    rows. The test reads progress with it, also while Odoo is stopped."""
    connection = odoo.sql_db.db_connect(day_database)

    def query(sql, *args):
        with closing(connection.cursor()) as cr:
            cr.execute(sql, args)
            return cr.fetchall()

    return query


@pytest.fixture(scope="module")
def odoo_server(request, day_database):
    """Odoo with two HTTP workers and the gevent worker on the copy."""
    config = request.config.getoption("odoo_config")
    log_path = Path(config).parent / "day-odoo.log"
    log_path.unlink(missing_ok=True)
    server = OdooServer(
        config, day_database, log_path, extra_args=("--log-level=info",)
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def web(odoo_server):
    """The reverse proxy in front of the server; its URL is Odoo's address
    for the browser, the RPC clients and the bridge alike."""
    proxy = RoutingProxy(odoo_server.http_port, odoo_server.gevent_port)
    proxy.start()
    yield proxy
    proxy.stop()


class AmiServer:
    """The scripted AMI server of tests/ami_server.py on an event loop in a
    thread of its own, with blocking methods for the test."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="scripted AMI", daemon=True
        )
        self.thread.start()
        self.fake = FakeAmi(username=AMI_USER, secret=AMI_SECRET)
        self.port = self._run(self.fake.start())

    def _run(self, coroutine, timeout=600):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def wait_for_client(self, timeout=60):
        async def wait():
            await asyncio.wait_for(self.fake.logged_in.wait(), timeout)

        self._run(wait(), timeout + 5)

    def send(self, data: bytes, piece=65536):
        """Write AMI text to the logged-in bridge as fast as it reads, in
        pieces that end between messages: the server's answers to the
        bridge's pings go out between the pieces, and Asterisk too writes
        every message whole."""
        start = 0
        while start < len(data):
            end = data.find(b"\r\n\r\n", start + piece)
            end = len(data) if end < 0 else end + 4
            self._run(self.fake.send(data[start:end]))
            start = end

    def stop(self):
        self._run(self.fake.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="module")
def ami():
    server = AmiServer()
    yield server
    server.stop()


class BridgeProcess:
    """`grid-ami-bridge` as its own process, with a configuration file, a
    spool folder and a log in `folder`."""

    def __init__(self, folder: Path, ami_port: int, webhook_url: str):
        self.folder = folder
        self.spool = folder / "spool"
        self.log_path = folder / "bridge.log"
        self.config_path = folder / "grid-ami-bridge.conf"
        # The day is replayed hours after it happened, so calls are kept for
        # two days instead of the default six hours. The spool skips fsync:
        # the test stops Odoo, not the machine.
        self.config_path.write_text(
            f"""[ami]
host = 127.0.0.1
port = {ami_port}
username = {AMI_USER}
secret = {AMI_SECRET}
auth = md5
ping_interval = 5
ping_timeout = 5
reconnect_max_delay = 2

[webhook]
url = {webhook_url}
secret = {WEBHOOK_SECRET}
timeout = 120
batch_size = 100
retry_max_delay = 2

[spool]
directory = {self.spool}
fsync = no

[calls]
extension_pattern = \\d{{2,4}}|1500100\\d\\d
recording_variables = FullFname, GRID_RECORDING_URL
max_call_seconds = 172800

[logging]
level = INFO
""",
            encoding="utf-8",
        )
        self.process = None

    def start(self):
        executable = Path(sys.executable).with_name("grid-ami-bridge")
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [str(executable), "--config", str(self.config_path)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def pending(self) -> int:
        """Events in the spool that Odoo has not accepted yet."""
        return sum(1 for _ in (self.spool / "pending").glob("*.json"))

    def pending_event_ids(self) -> set:
        ids = set()
        for path in (self.spool / "pending").glob("*.json"):
            try:
                ids.add(json.loads(path.read_bytes())["event_id"])
            except (OSError, ValueError):
                # Delivered and removed since the listing.
                continue
        return ids

    def rejected(self) -> list:
        return sorted(p.name for p in (self.spool / "rejected").glob("*"))

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8")

    def stop(self):
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self.process = None


@pytest.fixture(scope="module")
def bridge(tmp_path_factory, ami, web):
    process = BridgeProcess(
        tmp_path_factory.mktemp("bridge"),
        ami.port,
        f"{web.url}/grid_telephony/{PROVIDER_CODE}/events",
    )
    process.start()
    yield process
    process.stop()


class MailSink:
    """An SMTP server on loopback that keeps every message Odoo sends."""

    def __init__(self):
        self.messages = []
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "content": envelope.content,
            }
        )
        return "250 Message accepted for delivery"

    def start(self):
        self._controller.start()

    def stop(self):
        self._controller.stop()


@pytest.fixture(scope="module")
def mail_sink():
    sink = MailSink()
    sink.start()
    yield sink
    sink.stop()


class Screenshots:
    """Screenshots of the main screens, 1280 pixels wide, per language. They
    are taken and checked in every run, and written to
    docs/screenshots/<language>/ only when GRID_CC_SCREENSHOTS=1, so that
    `make test` leaves the committed files alone."""

    def __init__(self, folder: Path, write: bool):
        self.folder = folder
        self.write = write
        self.taken = []

    def take(self, browser, name: str, language: str):
        image = Image.open(io.BytesIO(browser.screenshot()))
        assert image.size == (1280, 800), f"{name}: screenshot of {image.size}"
        darkest, lightest = image.convert("L").getextrema()
        assert lightest - darkest > 100, f"{name} ({language}) is blank"
        self.taken.append((language, name))
        if self.write:
            folder = self.folder / language.split("_")[0]
            folder.mkdir(parents=True, exist_ok=True)
            # 256 colours are plenty for a web client and keep the files small.
            image.convert("RGB").quantize(colors=256).save(
                folder / f"{name}.png", optimize=True
            )


@pytest.fixture(scope="module")
def screenshots():
    folder = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    return Screenshots(folder, os.environ.get("GRID_CC_SCREENSHOTS") == "1")


def wait_until(condition, timeout, what, interval=0.5):
    """Poll `condition` until it returns a true value, which is returned;
    fail after `timeout` seconds with `what` in the message."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)
