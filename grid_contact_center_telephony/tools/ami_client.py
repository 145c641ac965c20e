"""A short AMI session for click-to-dial: log in, originate, log off.

Only what Odoo needs while a user waits: one blocking connection with
timeouts, plain or MD5 login and an asynchronous Originate (Asterisk answers
at once and rings the agent's phone afterwards). This module has no Odoo
import.
"""

import hashlib
import socket

BANNER_PREFIX = b"Asterisk Call Manager/"


class AmiClientError(Exception):
    """The PBX could not be reached or rejected an action; the message says
    which."""


def _encode(fields: list[tuple[str, str]]) -> bytes:
    lines = []
    for key, value in fields:
        value = str(value).replace("\r", " ").replace("\n", " ")
        lines.append(f"{key}: {value}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class AmiClient:
    def __init__(self, host: str, port: int, timeout: float = 5.0):
        self.host = host
        self.port = port
        self.timeout = timeout
        self._socket = None
        self._buffer = b""
        self._counter = 0

    def __enter__(self):
        try:
            self._socket = socket.create_connection(
                (self.host, self.port), self.timeout
            )
            self._socket.settimeout(self.timeout)
            banner = self._read_line()
        except OSError as error:
            raise AmiClientError(
                f"cannot connect to the AMI at {self.host}:{self.port}: {error}"
            ) from error
        if not banner.startswith(BANNER_PREFIX):
            self.close()
            raise AmiClientError(
                f"{self.host}:{self.port} is not an Asterisk manager interface"
            )
        return self

    def __exit__(self, *exc_info):
        try:
            if exc_info[0] is None:
                self.action([("Action", "Logoff")])
        except AmiClientError:
            pass
        finally:
            self.close()

    def close(self):
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def _read_line(self) -> bytes:
        while b"\n" not in self._buffer:
            chunk = self._socket.recv(4096)
            if not chunk:
                raise AmiClientError("the PBX closed the AMI connection")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.rstrip(b"\r")

    def _read_message(self) -> dict:
        message = {}
        while True:
            line = self._read_line()
            if not line:
                if message:
                    return message
                continue
            key, separator, value = line.decode("utf-8", "replace").partition(":")
            if separator:
                message.setdefault(key.strip().lower(), value.strip())

    def action(self, fields: list[tuple[str, str]]) -> dict:
        """Send an action and return its response, skipping events."""
        self._counter += 1
        action_id = dict(fields).get("ActionID") or f"grid-odoo-{self._counter}"
        if "ActionID" not in dict(fields):
            fields = [*fields, ("ActionID", action_id)]
        try:
            self._socket.sendall(_encode(fields))
            while True:
                message = self._read_message()
                if "response" in message and message.get("actionid") == action_id:
                    return message
        except OSError as error:
            raise AmiClientError(f"the AMI connection failed: {error}") from error

    def login(self, username: str, secret: str, auth: str = "md5"):
        if auth == "md5":
            challenge = self.action([("Action", "Challenge"), ("AuthType", "MD5")])
            if challenge.get("response", "").lower() != "success":
                raise AmiClientError("the PBX rejected the MD5 challenge")
            key = hashlib.md5(
                (challenge.get("challenge", "") + secret).encode(),
                usedforsecurity=False,
            ).hexdigest()
            fields = [("Action", "Login"), ("AuthType", "MD5"), ("Username", username)]
            fields.append(("Key", key))
        else:
            fields = [("Action", "Login"), ("Username", username), ("Secret", secret)]
        response = self.action([*fields, ("Events", "off")])
        if response.get("response", "").lower() != "success":
            raise AmiClientError(
                f"the PBX rejected the AMI login of {username}: "
                f"{response.get('message', '')}"
            )

    def originate(
        self,
        channel: str,
        context: str,
        exten: str,
        caller_id: str,
        timeout_seconds: int,
        channel_id: str,
        variables: dict | None = None,
    ):
        """Ring `channel` (the agent's phone), then dial `exten` in `context`.

        `channel_id` becomes the Uniqueid and so the Linkedid of the call,
        and the ActionID, so that the bridge's events and a failed
        origination find the call that Odoo logged."""
        fields = [
            ("Action", "Originate"),
            ("ActionID", channel_id),
            ("Channel", channel),
            ("Context", context),
            ("Exten", exten),
            ("Priority", "1"),
            ("CallerID", caller_id),
            ("Timeout", str(timeout_seconds * 1000)),
            ("ChannelId", channel_id),
            ("Async", "true"),
        ]
        for name, value in (variables or {}).items():
            fields.append(("Variable", f"{name}={value}"))
        response = self.action(fields)
        if response.get("response", "").lower() != "success":
            raise AmiClientError(
                f"the PBX rejected the call: {response.get('message', '')}"
            )
        return response
