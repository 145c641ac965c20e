"""Webhook call events per second on a multi-worker Odoo, beside the request
rate of a bare Odoo endpoint (/web/health) measured in the same run."""

import hashlib
import hmac
import http.client
import json
import threading
import time
import uuid
from datetime import datetime, timezone
from urllib.parse import urlsplit

from .conftest import BENCH_SECRET

CLIENTS = 8
SECONDS = 10


def _hammer(url, make_request, seconds=SECONDS, clients=CLIENTS):
    """Send requests from `clients` threads with keep-alive connections for
    `seconds`; return (requests per second, items per second, errors)."""
    parts = urlsplit(url)
    counts = [0, 0, 0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        done = items = errors = 0
        while time.monotonic() < stop:
            method, path, body, headers, size = make_request()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                done += 1
                items += size
            else:
                errors += 1
        connection.close()
        with lock:
            counts[0] += done
            counts[1] += items
            counts[2] += errors

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return counts[0] / elapsed, counts[1] / elapsed, counts[2]


def _signed(events):
    body = json.dumps({"events": events}).encode()
    timestamp = str(int(time.time()))
    digest = hmac.new(
        BENCH_SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    )
    headers = {
        "Content-Type": "application/json",
        "X-Grid-Timestamp": timestamp,
        "X-Grid-Signature": "sha256=" + digest.hexdigest(),
    }
    return body, headers


def _call_events(count):
    """`count` events of fresh inbound calls, two steps each (started, ended)."""
    now = datetime.now(timezone.utc).isoformat()
    events = []
    for _index in range(count // 2):
        call = uuid.uuid4().hex
        common = {
            "call_id": call,
            "occurred_at": now,
            "direction": "inbound",
            "caller_number": "89120000001",
            "called_number": "4012000000",
        }
        events.append({**common, "event_id": f"{call}:started", "type": "started"})
        events.append(
            {
                **common,
                "event_id": f"{call}:ended",
                "type": "ended",
                "outcome": "answered",
            }
        )
    return events


def test_webhook_rate_against_bare_endpoint(odoo_workers):
    url, _gevent_port = odoo_workers
    path = "/grid_telephony/bench/events"

    def bare():
        return "GET", "/web/health", None, {}, 1

    def single():
        body, headers = _signed(_call_events(2)[:1])
        return "POST", path, body, headers, 1

    def batch():
        body, headers = _signed(_call_events(50))
        return "POST", path, body, headers, 50

    _hammer(url, bare, seconds=2)  # warm the workers up
    bare_rate, _items, bare_errors = _hammer(url, bare)
    single_rate, single_events, single_errors = _hammer(url, single)
    batch_rate, batch_events, batch_errors = _hammer(url, batch)
    print(
        f"\nBENCH webhook ({CLIENTS} clients, {SECONDS} s each, 2 workers): "
        f"bare /web/health {bare_rate:.0f} req/s; "
        f"webhook 1 event/request {single_events:.0f} events/s "
        f"({single_events / bare_rate:.0%} of bare); "
        f"webhook 50 events/request {batch_events:.0f} events/s "
        f"({batch_rate:.1f} req/s, {batch_events / bare_rate:.0%} of bare)"
    )
    assert bare_errors == single_errors == batch_errors == 0
    assert single_rate > 0
    assert batch_events >= 0.5 * bare_rate
