"""Deliver call events to Odoo's telephony webhook, signed with HMAC-SHA256."""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

_logger = logging.getLogger(__name__)

# Statuses after which the same request may pass later.
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The `X-Grid-Signature` value: HMAC-SHA256 of `<timestamp>.<body>`."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


class DeliveryError(Exception):
    """The request failed as a whole; `retry` says whether sending the same
    events again may succeed, `status` is the HTTP status if there was one."""

    def __init__(self, message: str, retry: bool, status: int | None = None):
        super().__init__(message)
        self.retry = retry
        self.status = status


@dataclass
class EventResult:
    event_id: str
    status: str
    error: str = ""


class WebhookClient:
    """Post batches of events and return Odoo's result for each."""

    def __init__(self, url: str, secret: str, timeout: float = 10.0):
        self.url = url
        self.secret = secret
        self.timeout = timeout

    def post(self, events: list[dict]) -> list[EventResult]:
        body = json.dumps({"events": events}, ensure_ascii=False).encode()
        timestamp = str(int(time.time()))
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-Grid-Timestamp": timestamp,
                "X-Grid-Signature": sign(self.secret, timestamp, body),
                "User-Agent": "grid-ami-bridge",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as error:
            detail = _error_detail(error)
            raise DeliveryError(
                f"HTTP {error.code} from {self.url}: {detail}",
                retry=error.code in RETRY_STATUSES or error.code >= 500,
                status=error.code,
            ) from error
        except (urllib.error.URLError, OSError) as error:
            raise DeliveryError(
                f"{self.url} is unreachable: {error}", retry=True
            ) from error
        try:
            results = json.loads(payload)["results"]
            return [
                EventResult(
                    event_id=str(item.get("event_id", "")),
                    status=str(item.get("status", "")),
                    error=str(item.get("error", "")),
                )
                for item in results
            ]
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise DeliveryError(
                f"invalid response from {self.url}: {payload[:200]!r}", retry=True
            ) from error


def _error_detail(error: urllib.error.HTTPError) -> str:
    try:
        body = error.read()
        message = json.loads(body)["error"]
        return f"{message.get('code')}: {message.get('message')}"
    except (ValueError, KeyError, TypeError, AttributeError, OSError):
        return error.reason if isinstance(error.reason, str) else str(error)
