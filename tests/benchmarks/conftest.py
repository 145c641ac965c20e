"""Fixtures of the benchmarks: committed data in the benchmark database and
a second Odoo server in multi-worker mode, as in production."""

from pathlib import Path

import pytest

import odoo
from odoo.tests.common import get_db_name

from ..odoo_server import OdooServer

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


@pytest.fixture(scope="session")
def odoo_workers(request, bench_provider):
    """An Odoo server with two HTTP workers and the gevent worker for
    websockets, on the benchmark database; yields (http_url, gevent_port)."""
    config = request.config.getoption("odoo_config")
    server = OdooServer(
        config,
        get_db_name(),
        Path(config).parent / "workers.log",
        extra_args=("--log-level=warn",),
    )
    server.start()
    yield server.url, server.gevent_port
    server.stop()
