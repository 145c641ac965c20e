"""The register of interactions exported to XLSX, side by side with Odoo's own
list export (/web/export/xlsx) of the same rows and columns.

Each export runs in a fresh Odoo server process (threaded, no workers, the
benchmark configuration) so that its peak resident memory (VmHWM in /proc)
belongs to that export alone. The servers keep Odoo's default limits, among
them limit_memory_hard (2560 MB of address space, applied in threaded mode
too). The dataset (BENCH_REGISTER_ROWS interactions, 1,000,000 by default,
in a company of its own) is generated in SQL once and kept in the benchmark
database for later runs.

Odoo's export reads every record into memory before it writes the file. A
watchdog stops its server past BENCH_ODOO_EXPORT_MAX_MB (8000 by default,
for servers without a memory limit) or BENCH_ODOO_EXPORT_MAX_S (1200), and
the result then says so. A second comparison on the first
BENCH_COMPARE_ROWS rows (100,000) shows both exports finishing.

Goals of the register export: under 2 minutes and under 500 MB of server
memory for 1,000,000 rows.
"""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import pytest
import requests

import odoo

ROWS = int(os.environ.get("BENCH_REGISTER_ROWS", "1000000"))
PARTNERS = max(1, ROWS // 10)
COMPANY_NAME = "Register Export Benchmark"
ODOO_EXPORT_MAX_MB = int(os.environ.get("BENCH_ODOO_EXPORT_MAX_MB", "8000"))
ODOO_EXPORT_MAX_S = int(os.environ.get("BENCH_ODOO_EXPORT_MAX_S", "1200"))
# Rows of the second comparison, small enough for Odoo's export to finish
# within its default memory limit.
COMPARE_ROWS = int(os.environ.get("BENCH_COMPARE_ROWS", "100000"))
# Odoo's export of the full dataset runs for minutes before it fails;
# BENCH_COMPARE_FULL=0 skips it.
COMPARE_FULL = os.environ.get("BENCH_COMPARE_FULL", "1") != "0"
GOAL_SECONDS = 120
GOAL_MB = 500
# Columns of Odoo's list export that match the register's.
ODOO_EXPORT_FIELDS = [
    ("name", "Registration Number"),
    ("received_at", "Received"),
    ("channel", "Channel"),
    ("partner_id", "Consumer"),
    ("partner_id/account_number", "Account Number"),
    ("caller_phone", "Caller Phone"),
    ("topic_id", "Topic"),
    ("state", "State"),
    ("user_id", "Operator"),
    ("deadline", "Deadline"),
    ("answered_at", "Answered"),
    ("is_overdue", "Overdue"),
]


def get_db_name():
    return odoo.tools.config["db_name"]


# ------------------------------------------------------------
# Dataset
# ------------------------------------------------------------


def ensure_dataset(rows):
    """Return the id of the benchmark company, with exactly ``rows``
    interactions of 2025 generated in SQL, and commit."""
    registry = odoo.modules.registry.Registry(get_db_name())
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company = env["res.company"].search([("name", "=", COMPANY_NAME)], limit=1)
        if not company:
            company = env["res.company"].create({"name": COMPANY_NAME})
        env.ref("base.user_admin").company_ids |= company
        cr.execute(
            "SELECT count(*) FROM grid_interaction WHERE company_id = %s", [company.id]
        )
        if cr.fetchone()[0] != rows:
            started = time.monotonic()
            _generate(cr, company.id, env.ref("base.user_admin").id, rows)
            print(
                f"\ngenerated {rows} interactions in {time.monotonic() - started:.0f} s"
            )
        cr.commit()
        return company.id


def _generate(cr, company_id, user_id, rows):
    cr.execute("DELETE FROM grid_interaction WHERE company_id = %s", [company_id])
    cr.execute(
        "DELETE FROM res_partner WHERE company_id = %s AND account_number LIKE 'B%%'",
        [company_id],
    )
    cr.execute(
        """
        INSERT INTO res_partner (
            name, complete_name, company_id, account_number, consumer_category,
            active, type, is_company, lang, create_uid, write_uid, create_date,
            write_date
        )
        SELECT 'Потребитель ' || g, 'Потребитель ' || g, %(company)s,
               'B' || lpad(g::text, 9, '0'), 'household', true, 'contact', false,
               'ru_RU', 1, 1, now(), now()
          FROM generate_series(1, %(partners)s) AS g
        """,
        {"company": company_id, "partners": PARTNERS},
    )
    # Channels weighted as a contact center sees them: mostly calls.
    cr.execute(
        """
        WITH partners AS (
            SELECT array_agg(id ORDER BY id) AS ids FROM res_partner
             WHERE company_id = %(company)s AND account_number LIKE 'B%%'
        ), topics AS (
            SELECT array_agg(id ORDER BY id) AS ids,
                   array_agg(kind ORDER BY id) AS kinds,
                   count(*) AS total
              FROM grid_topic WHERE active
        ), series AS (
            SELECT g, timestamp '2025-01-01 05:00' + g * interval '31 seconds'
                   AS received_at,
                   CASE g %% 10 WHEN 0 THEN 'new' WHEN 1 THEN 'in_progress'
                        WHEN 2 THEN 'forwarded' ELSE 'closed' END AS state
              FROM generate_series(1, %(rows)s) AS g
        )
        INSERT INTO grid_interaction (
            name, company_id, channel, received_at, partner_id, caller_phone,
            topic_id, topic_kind, state, user_id, deadline, answered_at,
            closed_at, answered_in_contact, description, create_uid, write_uid,
            create_date, write_date
        )
        SELECT '2025-' || lpad(s.g::text, 7, '0'), %(company)s,
               (ARRAY['phone_in', 'phone_in', 'phone_in', 'phone_in', 'phone_out',
                      'office', 'website', 'email', 'letter', 'messenger'])
                   [1 + s.g %% 10],
               s.received_at,
               p.ids[1 + s.g %% array_length(p.ids, 1)],
               '+7 4012 ' || lpad((s.g %% 1000000)::text, 6, '0'),
               t.ids[1 + s.g %% t.total], t.kinds[1 + s.g %% t.total],
               s.state, %(user)s, s.received_at + interval '30 days',
               CASE WHEN s.state = 'closed'
                    THEN s.received_at + (s.g %% 40) * interval '1 day' END,
               CASE WHEN s.state = 'closed'
                    THEN s.received_at + (s.g %% 40) * interval '1 day' END,
               s.g %% 3 = 0, 'Обращение ' || s.g, %(user)s, %(user)s,
               s.received_at, s.received_at
          FROM series AS s, partners AS p, topics AS t
        """,
        {"company": company_id, "rows": rows, "user": user_id},
    )
    cr.execute("ANALYZE grid_interaction")
    cr.execute("ANALYZE res_partner")


# ------------------------------------------------------------
# A server of its own per export
# ------------------------------------------------------------


class OdooServer:
    """An Odoo server process on the benchmark database, on a free port."""

    def __init__(self):
        self.port = _free_port()
        self.process = None
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        odoo_bin = Path(os.environ["ODOO_SRC"]) / "odoo-bin"
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(odoo_bin),
                "-c",
                odoo.tools.config.rcfile,
                "-d",
                get_db_name(),
                "--db-filter",
                f"^{get_db_name()}$",
                "--http-port",
                str(self.port),
                "--http-interface",
                "127.0.0.1",
                "--workers",
                "0",
                "--max-cron-threads",
                "0",
                "--log-level",
                "warn",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/web/login", timeout=5).ok:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"Odoo did not start on port {self.port} within 120 s")

    def __exit__(self, *_exc):
        self.stop()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def memory_mb(self, key):
        """Return VmRSS (current) or VmHWM (peak) of the server in MB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M).group(1)) / 1024

    def session(self, company_id):
        session = requests.Session()
        response = session.post(
            f"{self.url}/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "params": {"db": get_db_name(), "login": "admin", "password": "admin"},
            },
            timeout=60,
        )
        response.raise_for_status()
        assert "error" not in response.json(), response.text
        session.cookies.set("cids", str(company_id))
        return session

    def call(self, session, model, method, *args, **kwargs):
        response = session.post(
            f"{self.url}/web/dataset/call_kw",
            json={
                "jsonrpc": "2.0",
                "params": {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": kwargs,
                },
            },
            timeout=120,
        )
        body = response.json()
        assert "error" not in body, body.get("error")
        return body["result"]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MemoryWatch(threading.Thread):
    """Polls the server's resident memory and stops it past ``limit_mb``."""

    def __init__(self, server, limit_mb):
        super().__init__(daemon=True)
        self.server, self.limit_mb = server, limit_mb
        self.exceeded = False
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(0.5):
            try:
                if self.server.memory_mb("VmRSS") > self.limit_mb:
                    self.exceeded = True
                    self.server.process.kill()
                    return
            except (FileNotFoundError, AttributeError):
                return


def download(session, url, path, timeout, **kwargs):
    """Stream the response of GET ``url`` to ``path``; return its size."""
    with session.get(url, stream=True, timeout=timeout, **kwargs) as response:
        response.raise_for_status()
        with open(path, "wb") as file:
            for block in response.iter_content(1 << 20):
                file.write(block)
    return os.path.getsize(path)


def count_rows(path):
    """Return the number of data rows of the first sheet of an XLSX file,
    read as a stream from the archive."""
    with (
        zipfile.ZipFile(path) as archive,
        archive.open("xl/worksheets/sheet1.xml") as sheet,
    ):
        count, tail = 0, b""
        while block := sheet.read(1 << 20):
            data = tail + block
            count += data.count(b"<row ")
            tail = data[-5:]
    return count - 1


# ------------------------------------------------------------
# The benchmark
# ------------------------------------------------------------


@pytest.fixture(scope="module")
def company_id():
    return ensure_dataset(ROWS)


def first_rows_domain(company_id, rows):
    """Return the domain of the first ``rows`` interactions of the dataset by
    time of receipt (every generated row has its own time)."""
    domain = [("company_id", "=", company_id)]
    if rows >= ROWS:
        return domain
    registry = odoo.modules.registry.Registry(get_db_name())
    with registry.cursor() as cr:
        cr.execute(
            "SELECT received_at FROM grid_interaction WHERE company_id = %s "
            "ORDER BY received_at, id OFFSET %s LIMIT 1",
            [company_id, rows],
        )
        (cutoff,) = cr.fetchone()
    return [*domain, ("received_at", "<", cutoff.isoformat(sep=" "))]


def run_register_export(company_id, domain, path):
    with OdooServer() as server:
        session = server.session(company_id)
        export_id = server.call(
            session,
            "grid.interaction.register.export",
            "create",
            {"date_from": False, "date_to": False, "domain": repr(domain)},
            context={"allowed_company_ids": [company_id], "tz": "Europe/Moscow"},
        )
        baseline = server.memory_mb("VmRSS")
        started = time.monotonic()
        url = f"{server.url}/grid_contact_center/register/{export_id}/xlsx"
        size = download(session, url, path, 1800)
        seconds = time.monotonic() - started
        return {
            "seconds": seconds,
            "peak_mb": server.memory_mb("VmHWM"),
            "baseline_mb": baseline,
            "size_mb": size / 1e6,
        }


def run_odoo_export(company_id, domain, path):
    with OdooServer() as server:
        session = server.session(company_id)
        data = {
            "model": "grid.interaction",
            "fields": [
                {"name": name, "label": label} for name, label in ODOO_EXPORT_FIELDS
            ],
            "ids": False,
            "domain": domain,
            "import_compat": False,
            "context": {"allowed_company_ids": [company_id], "tz": "Europe/Moscow"},
        }
        baseline = server.memory_mb("VmRSS")
        watch = MemoryWatch(server, ODOO_EXPORT_MAX_MB)
        watch.start()
        started = time.monotonic()
        outcome = "done"
        try:
            size = download(
                session,
                f"{server.url}/web/export/xlsx",
                path,
                ODOO_EXPORT_MAX_S,
                params={"data": json.dumps(data)},
            )
        except (requests.ConnectionError, requests.Timeout) as error:
            size = 0
            outcome = f"stopped: {type(error).__name__}"
        except requests.HTTPError as error:
            size = 0
            outcome = f"failed: HTTP {error.response.status_code}"
        seconds = time.monotonic() - started
        running = server.process.poll() is None
        peak = server.memory_mb("VmHWM") if running else ODOO_EXPORT_MAX_MB
        watch.done.set()
        return {
            "seconds": seconds,
            "peak_mb": peak,
            "baseline_mb": baseline,
            "size_mb": size / 1e6,
            "outcome": "over the memory cap" if watch.exceeded else outcome,
        }


def print_result(name, rows, result):
    print(
        f"\n  {name:17} {rows:>9} rows {result['seconds']:7.1f} s  "
        f"peak {result['peak_mb']:6.0f} MB (idle {result['baseline_mb']:4.0f} MB)  "
        f"file {result['size_mb']:6.1f} MB  {result.get('outcome', 'done')}",
        flush=True,
    )


def compare(company_id, rows, with_odoo=True):
    domain = first_rows_domain(company_id, rows)
    with tempfile.TemporaryDirectory() as folder:
        ours_path = os.path.join(folder, "register.xlsx")
        ours = run_register_export(company_id, domain, ours_path)
        print_result("register export", rows, ours)
        assert count_rows(ours_path) == rows
        os.unlink(ours_path)
        if with_odoo:
            odoo_path = os.path.join(folder, "odoo.xlsx")
            theirs = run_odoo_export(company_id, domain, odoo_path)
            print_result("Odoo list export", rows, theirs)
            if theirs["outcome"] == "done":
                assert count_rows(odoo_path) == rows
    return ours


def test_register_export_full_dataset(company_id):
    print(f"\nexport of {ROWS} interactions, {os.cpu_count()} cores:", flush=True)
    ours = compare(company_id, ROWS, with_odoo=COMPARE_FULL)
    if ROWS >= 1_000_000:
        assert ours["seconds"] < GOAL_SECONDS, ours
        assert ours["peak_mb"] < GOAL_MB, ours


def test_register_export_partial_dataset(company_id):
    """A share of the dataset small enough for Odoo's export to finish."""
    compare(company_id, min(COMPARE_ROWS, ROWS))
