"""Headless Chromium driven through the DevTools protocol, for a web client
served by another process than the test's (Odoo's HttpCase drives only the
test's own server): log in through the login form, run tours, take
screenshots.

Only loopback addresses resolve inside the browser, so that no page can reach
another host.
"""

import base64
import itertools
import json
import resource
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import websocket

EXECUTABLES = ("chromium", "chromium-browser", "google-chrome")


def _lift_address_space_limit():
    """Odoo limits the address space of its process (limit_memory_hard),
    and Chromium reserves more than that at start; its child process gets
    the hard limit instead."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


class BrowserError(AssertionError):
    """A page failed: a JavaScript error, a failed tour or a timeout."""


class Chromium:
    """One headless Chromium with one page of `width` x `height` pixels, in
    the time zone `timezone`."""

    def __init__(self, width=1280, height=800, timezone="Europe/Kaliningrad"):
        executable = next(filter(None, map(shutil.which, EXECUTABLES)), None)
        if executable is None:
            raise RuntimeError(f"none of {', '.join(EXECUTABLES)} is installed")
        self.profile = tempfile.mkdtemp(prefix="grid_cc_chromium_")
        self.process = subprocess.Popen(
            [
                executable,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-translate",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_lift_address_space_limit,
        )
        self.console = []
        self.errors = []
        self._ids = itertools.count(1)
        self._pending = {}
        self._loaded = threading.Event()
        self._lock = threading.Lock()
        self.socket = websocket.create_connection(
            self._page_socket_url(), suppress_origin=True, timeout=None
        )
        self._receiver = threading.Thread(
            target=self._receive, name="chromium devtools", daemon=True
        )
        self._receiver.start()
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.call("Emulation.setTimezoneOverride", timezoneId=timezone)

    # ------------------------------------------------------------------
    # Protocol
    # ------------------------------------------------------------------

    def _page_socket_url(self) -> str:
        port_file = Path(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and port_file.stat().st_size > 5):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=10) as r:
            targets = json.load(r)
        return next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"]

    def _receive(self):
        while True:
            try:
                message = json.loads(self.socket.recv())
            except (websocket.WebSocketException, OSError, ValueError):
                for future in self._pending.values():
                    future.set_exception(BrowserError("Chromium closed"))
                return
            if "id" in message:
                future = self._pending.pop(message["id"], None)
                if future is None:
                    continue
                if "error" in message:
                    future.set_exception(BrowserError(message["error"]["message"]))
                else:
                    future.set_result(message.get("result", {}))
                continue
            method, params = message.get("method"), message.get("params", {})
            if method == "Runtime.consoleAPICalled":
                text = " ".join(
                    str(arg.get("value", arg.get("description", "")))
                    for arg in params.get("args", [])
                )
                self.console.append((params["type"], text))
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                exception = details.get("exception", {})
                self.errors.append(exception.get("description") or details["text"])
            elif method == "Page.loadEventFired":
                self._loaded.set()

    def call(self, method: str, timeout: float = 30, **params):
        """Send a DevTools command and return its result."""
        future = Future()
        with self._lock:
            request_id = next(self._ids)
            self._pending[request_id] = future
            self.socket.send(
                json.dumps({"id": request_id, "method": method, "params": params})
            )
        try:
            return future.result(timeout)
        except FutureTimeout as error:
            raise BrowserError(f"{method} timed out after {timeout} s") from error

    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------

    def navigate(self, url: str, timeout: float = 60):
        """Open `url` and return once the page's load event fired."""
        self._loaded.clear()
        result = self.call("Page.navigate", url=url)
        if result.get("errorText"):
            raise BrowserError(f"{url}: {result['errorText']}")
        if not self._loaded.wait(timeout):
            raise BrowserError(f"{url} did not load within {timeout} s")

    def evaluate(self, expression: str, timeout: float = 30):
        """Run JavaScript in the page, wait for its promise, return its value."""
        result = self.call(
            "Runtime.evaluate",
            timeout=timeout + 5,
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise BrowserError(
                details.get("exception", {}).get("description") or details["text"]
            )
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 60, what: str = ""):
        """Poll `expression` until it is truthy and return its value."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.evaluate(
                    f"(() => {{ try {{ return {expression}; }} "
                    f"catch {{ return false; }} }})()"
                )
            except BrowserError:
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(
                    f"timed out after {timeout} s waiting for {what or expression}"
                )
            time.sleep(0.2)

    def wait_for_selector(self, selector: str, timeout: float = 60):
        self.wait_for(
            f"!!document.querySelector({json.dumps(selector)})",
            timeout,
            what=f"an element {selector!r}",
        )

    def wait_for_console(self, text: str, start: int = 0, timeout: float = 60):
        """Wait until a console message from index `start` on equals `text`;
        an error message or an uncaught exception fails the wait."""
        deadline = time.monotonic() + timeout
        while True:
            for kind, message in self.console[start:]:
                if message == text:
                    return
                if kind == "error":
                    raise BrowserError(message)
            if self.errors:
                raise BrowserError(self.errors[0])
            if time.monotonic() > deadline:
                raise BrowserError(f"no console message {text!r} within {timeout} s")
            time.sleep(0.2)

    def screenshot(self) -> bytes:
        """Return the visible part of the page as PNG."""
        data = self.call("Page.captureScreenshot", format="png")["data"]
        return base64.b64decode(data)

    # ------------------------------------------------------------------
    # Odoo
    # ------------------------------------------------------------------

    def login(self, base_url: str, login: str, password: str, timeout: float = 90):
        """Log in through Odoo's login form and wait for the web client."""
        self.navigate(f"{base_url}/web/login")
        self.wait_for_selector("form.oe_login_form")
        self._loaded.clear()
        self.evaluate(
            f"""(() => {{
                const form = document.querySelector("form.oe_login_form");
                form.querySelector("input[name=login]").value = {json.dumps(login)};
                form.querySelector("input[name=password]").value =
                    {json.dumps(password)};
                form.submit();
            }})()"""
        )
        if not self._loaded.wait(timeout):
            raise BrowserError(f"the login of {login} did not load a page")
        self.wait_for_selector(".o_main_navbar", timeout)

    def logout(self, base_url: str):
        self.navigate(f"{base_url}/web/session/logout?redirect=/web/login")
        self.wait_for_selector("form.oe_login_form")

    def open_web_client(
        self, base_url: str, path: str = "/odoo", tours=False, timeout=90
    ):
        """Open a web client page, with the test tours loaded (debug=tests)
        if `tours`."""
        if tours:
            path += ("&" if "?" in path else "?") + "debug=tests"
        self.navigate(f"{base_url}{path}", timeout)
        self.wait_for_selector(".o_main_navbar", timeout)

    def start_tour(self, name: str) -> int:
        """Start the tour `name` on the current page; return the index of the
        console messages from which to wait for its end."""
        self.wait_for(f"odoo.isTourReady({json.dumps(name)})", 60, f"tour {name}")
        start = len(self.console)
        self.evaluate(f"odoo.startTour({json.dumps(name)}, {{stepDelay: 0}}); true")
        return start

    def wait_for_tour(self, start: int, timeout: float = 120):
        """Wait for the end of the tour started at console index `start`."""
        self.wait_for_console("tour succeeded", start, timeout)

    def settle(self, selector: str, timeout: float = 60):
        """Wait for `selector`, for the web client to have no request in
        flight and for two frames to be painted, before a screenshot."""
        self.wait_for_selector(selector, timeout)
        self.wait_for(
            "!document.querySelector('.o_loading_indicator, .o_blockUI')",
            timeout,
            what="the end of the web client's requests",
        )
        self.evaluate(
            "new Promise((resolve) => requestAnimationFrame("
            "() => requestAnimationFrame(() => resolve(true))))"
        )

    def close(self):
        if hasattr(self, "socket"):
            try:
                self.call("Browser.close", timeout=5)
            except (BrowserError, websocket.WebSocketException, OSError):
                pass
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)
