"""An Odoo server in processes of its own, as in production: HTTP workers, the
gevent worker for websockets and no cron threads, on a chosen database and on
free loopback ports. The benchmarks and the end-to-end test use it."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    """Return a loopback TCP port that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OdooServer:
    """`odoo-bin` with `workers` HTTP workers on `database`, started with
    `start()` and stopped with `stop()`, as often as needed. The ports stay
    the same across restarts, so that clients reach the restarted server at
    the same address. The server's output goes to `log_path`."""

    def __init__(
        self,
        config: str,
        database: str,
        log_path: Path,
        workers: int = 2,
        extra_args: tuple = (),
    ):
        self.config = config
        self.database = database
        self.log_path = Path(log_path)
        self.workers = workers
        self.extra_args = tuple(extra_args)
        self.http_port = free_port()
        self.gevent_port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def start(self, timeout: float = 180):
        """Start the server and return once both the HTTP workers and the
        gevent worker accept connections."""
        source = Path(os.environ["ODOO_SRC"])
        command = [
            sys.executable,
            str(source / "odoo-bin"),
            "-c",
            self.config,
            "-d",
            self.database,
            f"--db-filter=^{self.database}$",
            f"--http-port={self.http_port}",
            f"--gevent-port={self.gevent_port}",
            f"--workers={self.workers}",
            "--max-cron-threads=0",
            *self.extra_args,
        ]
        with open(self.log_path, "a") as log:
            # A session of its own, so that stop(kill=True) reaches the
            # workers too.
            self.process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        self._wait(self._health_ok, deadline, "the HTTP workers")
        # The gevent worker (websockets) starts a little after the HTTP ones.
        self._wait(self._gevent_listens, deadline, "the gevent worker")

    def _health_ok(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/web/health", timeout=2) as reply:
                return reply.status == 200
        except OSError:
            return False

    def _gevent_listens(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.gevent_port), 1).close()
            return True
        except OSError:
            return False

    def _wait(self, ready, deadline: float, what: str):
        while not ready():
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"Odoo exited with status {self.process.returncode} before "
                    f"{what} started; see {self.log_path}"
                )
            if time.monotonic() > deadline:
                self.stop(kill=True)
                raise RuntimeError(f"{what} did not start in time; see {self.log_path}")
            time.sleep(0.5)

    def stop(self, kill: bool = False, timeout: float = 60):
        """Stop the server: gracefully (SIGTERM, running requests finish), or
        with `kill` at once with SIGKILL to every process of the server, as
        in a crash."""
        if self.process is None:
            return
        if kill:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout)
        else:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout)
        # Workers left behind by a graceful stop would keep the ports.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process = None
