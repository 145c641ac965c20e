"""A scripted AMI server on a real TCP socket, and a recording webhook, for
the tests of the AMI bridge.

The AMI server answers Challenge, Login (plain and MD5), Ping,
CoreShowChannels and Logoff the way Asterisk does, and lets a test write any
bytes to the connected clients: recorded streams, garbage, cut messages.
"""

import asyncio
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from grid_ami_bridge.protocol import AmiMessage, AmiParser, format_action, md5_key


def ami_wire(events: list[dict]) -> bytes:
    """AMI text of events given as dicts (the JSON recordings' form)."""
    return b"".join(
        format_action([(k, v) for k, v in event.items() if k != "content"])
        for event in events
    )


class FakeAmi:
    def __init__(
        self,
        username="grid",
        secret="ami-secret",
        challenge="145769581",
        banner="Asterisk Call Manager/7.0.3",
        answer_pings=True,
        live_channels=(),
        ping_delay=0.0,
    ):
        self.username = username
        self.secret = secret
        self.challenge = challenge
        self.banner = banner
        self.answer_pings = answer_pings
        # Seconds before a pong, as when it queues behind a burst of events.
        self.ping_delay = ping_delay
        self.live_channels = list(live_channels)
        self.actions = []
        self.logins = 0
        self.failed_logins = 0
        self.connections = 0
        self._writers = []
        self._server = None
        self.port = None
        self.logged_in = asyncio.Event()

    async def start(self):
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self):
        self.drop_clients()
        self._server.close()
        await self._server.wait_closed()

    def drop_clients(self):
        for writer in self._writers:
            writer.close()
        self._writers = []

    async def send(self, data: bytes, chunk: int = 0):
        """Write raw bytes to every logged-in client, in chunks if given."""
        for writer in list(self._writers):
            if chunk:
                for start in range(0, len(data), chunk):
                    writer.write(data[start : start + chunk])
                    await writer.drain()
            else:
                writer.write(data)
                await writer.drain()

    async def _serve(self, reader, writer):
        self.connections += 1
        writer.write(f"{self.banner}\r\n".encode())
        parser = AmiParser()
        logged_in = False
        try:
            while data := await reader.read(4096):
                for action in parser.feed(data):
                    self.actions.append(action)
                    logged_in = await self._answer(action, writer, logged_in)
                    if logged_in is None:
                        writer.close()
                        return
        except ConnectionError:
            pass
        finally:
            if writer in self._writers:
                self._writers.remove(writer)

    async def _answer(self, action: AmiMessage, writer, logged_in):
        name = action.get("Action", "").lower()
        action_id = action.get("ActionID", "")
        reply = [("Response", "Success"), ("ActionID", action_id)]
        if name == "challenge":
            writer.write(format_action([*reply, ("Challenge", self.challenge)]))
        elif name == "login":
            if action.get("AuthType", "").lower() == "md5":
                valid = action.get("Key") == md5_key(self.challenge, self.secret)
            else:
                valid = action.get("Secret") == self.secret
            if not valid or action.get("Username") != self.username:
                self.failed_logins += 1
                writer.write(
                    format_action(
                        [
                            ("Response", "Error"),
                            ("ActionID", action_id),
                            ("Message", "Authentication failed"),
                        ]
                    )
                )
                return None
            self.logins += 1
            writer.write(
                format_action([*reply, ("Message", "Authentication accepted")])
                + format_action([("Event", "FullyBooted"), ("Privilege", "system,all")])
            )
            self._writers.append(writer)
            self.logged_in.set()
            logged_in = True
        elif name == "ping" and self.answer_pings:
            if self.ping_delay:
                await asyncio.sleep(self.ping_delay)
            writer.write(format_action([*reply, ("Ping", "Pong")]))
        elif name == "coreshowchannels":
            writer.write(
                format_action([*reply, ("EventList", "start")])
                + b"".join(
                    format_action(
                        [("Event", "CoreShowChannel"), ("ActionID", action_id)]
                        + list(channel.items())
                    )
                    for channel in self.live_channels
                )
                + format_action(
                    [
                        ("Event", "CoreShowChannelsComplete"),
                        ("ActionID", action_id),
                        ("EventList", "Complete"),
                        ("ListItems", str(len(self.live_channels))),
                    ]
                )
            )
        elif name == "logoff":
            writer.write(
                format_action([("Response", "Goodbye"), ("ActionID", action_id)])
            )
            return None
        await writer.drain()
        return logged_in


class RecordingWebhook:
    """An HTTP server that checks the signature of each request and records
    the events; `available = False` makes it answer 503 like a stopped Odoo."""

    def __init__(self, secret="hook-secret"):
        self.secret = secret
        self.available = True
        self.requests = 0
        self.events = []
        self.seen_ids = set()
        self.lock = threading.Lock()
        webhook = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                webhook.requests += 1
                if not webhook.available:
                    self._reply(503, {"error": {"code": "down", "message": "down"}})
                    return
                timestamp = self.headers.get("X-Grid-Timestamp", "")
                expected = (
                    "sha256="
                    + hmac.new(
                        webhook.secret.encode(),
                        timestamp.encode() + b"." + body,
                        hashlib.sha256,
                    ).hexdigest()
                )
                if self.headers.get("X-Grid-Signature") != expected:
                    self._reply(401, {"error": {"code": "invalid_signature"}})
                    return
                results = []
                with webhook.lock:
                    for event in json.loads(body)["events"]:
                        if event["event_id"] in webhook.seen_ids:
                            status = "duplicate"
                        else:
                            status = "accepted"
                            webhook.seen_ids.add(event["event_id"])
                            webhook.events.append(event)
                        results.append(
                            {"event_id": event["event_id"], "status": status}
                        )
                self._reply(200, {"results": results})

            def _reply(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/events"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
