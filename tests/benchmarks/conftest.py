"""Fixtures of the benchmarks: committed data in the benchmark database and
a second Odoo server in multi-worker mode, as in production."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import odoo
from odoo.tests.common import get_db_name

BENCH_SECRET = "bench-webhook-secret"
BENCH_PASSWORD = "bench-agent-password"
BENCH_EXTENSION = "7001"


@pytest.fixture(scope="session")
def committed_env():
    """Yield a function that runs `callback(env)` as superuser and commits."""
    registry = odoo.modules.registry.Registry(get_db_name())

    def run(callback):
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            result = callback(env)
            cr.commit()
            return result

    return run


@pytest.fixture(scope="session")
def bench_provider(committed_env):
    """A webhook provider and an agent with an extension, created once."""

    def setup(env):
        provider = env["grid.telephony.provider"].search([("code", "=", "bench")])
        if not provider:
            provider = env["grid.telephony.provider"].create(
                {"name": "Benchmark", "code": "bench", "webhook_secret": BENCH_SECRET}
            )
        agent = env["res.users"].search([("login", "=", "bench_agent")])
        if not agent:
            agent = env["res.users"].create(
                {
                    "name": "Benchmark Agent",
                    "login": "bench_agent",
                    "password": BENCH_PASSWORD,
                    "groups_id": [
                        odoo.Command.link(
                            env.ref("grid_contact_center.group_operator").id
                        )
                    ],
                }
            )
        agent.grid_phone_extension = BENCH_EXTENSION
        return provider.id, agent.id

    return committed_env(setup)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def odoo_workers(request, bench_provider):
    """An Odoo server with two HTTP workers and the gevent worker for
    websockets, on the benchmark database; yields (http_url, gevent_port)."""
    config = request.config.getoption("odoo_config")
    port = _free_port()
    gevent_port = _free_port()
    source = Path(os.environ["ODOO_SRC"])
    log = open(Path(config).parent / "workers.log", "w")
    process = subprocess.Popen(
        [
            sys.executable,
            str(source / "odoo-bin"),
            "-c",
            config,
            "-d",
            get_db_name(),
            f"--http-port={port}",
            f"--gevent-port={gevent_port}",
            "--workers=2",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(url + "/web/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the multi-worker Odoo did not start; see {log.name}")
        time.sleep(0.5)
    while True:
        # The gevent worker (websockets) starts a little after the HTTP ones.
        try:
            socket.create_connection(("127.0.0.1", gevent_port), 1).close()
            break
        except OSError as error:
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(
                    f"the gevent worker did not start; see {log.name}"
                ) from error
            time.sleep(0.5)
    yield url, gevent_port
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
