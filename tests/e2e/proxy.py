"""A reverse proxy in front of a multi-worker Odoo, in the role that nginx has
in production: `/websocket` goes to the gevent worker's port, every other
path to the HTTP workers, and a stopped Odoo gives 502 Bad Gateway."""

import asyncio
import threading

BAD_GATEWAY = (
    b"HTTP/1.1 502 Bad Gateway\r\n"
    b"Content-Type: text/plain\r\n"
    b"Content-Length: 11\r\n"
    b"Connection: close\r\n\r\n"
    b"Bad Gateway"
)
# The request line and headers of one request.
MAX_HEAD = 64 * 1024


class RoutingProxy:
    """Route each client connection by the path of its first request.

    The route is chosen once per connection. Browsers open a connection of
    its own for every websocket, so a keep-alive connection never switches
    from plain requests to a websocket.
    """

    def __init__(self, http_port: int, gevent_port: int):
        self.http_port = http_port
        self.gevent_port = gevent_port
        self.port = None
        self.bad_gateways = 0
        self._loop = asyncio.new_event_loop()
        self._server = None
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="routing proxy", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._serve, "127.0.0.1", 0, limit=MAX_HEAD),
            self._loop,
        ).result(10)
        self.port = self._server.sockets[0].getsockname()[1]

    def stop(self):
        async def close():
            self._server.close()
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    async def _serve(self, reader, writer):
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
            writer.close()
            return
        parts = head.split(b" ", 2)
        path = parts[1] if len(parts) > 2 else b"/"
        port = self.gevent_port if path.startswith(b"/websocket") else self.http_port
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(
                "127.0.0.1", port
            )
        except OSError:
            self.bad_gateways += 1
            writer.write(BAD_GATEWAY)
            await self._close(writer)
            return
        upstream_writer.write(head)
        await asyncio.gather(
            self._pipe(reader, upstream_writer),
            self._pipe(upstream_reader, writer),
        )

    async def _pipe(self, reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        finally:
            await self._close(writer)

    @staticmethod
    async def _close(writer):
        writer.close()
        try:
            await writer.wait_closed()
        except OSError:
            pass
