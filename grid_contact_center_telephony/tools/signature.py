"""Signatures of the telephony webhooks.

- The suite's own format: `X-Grid-Signature: sha256=<hex>`, the HMAC-SHA256 of
  `<timestamp>.<raw body>` keyed with the provider's secret, with the Unix
  timestamp in `X-Grid-Timestamp`. Requests more than five minutes from the
  server's clock are rejected.
- Mango Office: `sign` is the hex SHA-256 of `api_key + json + salt`, computed
  over the `json` form field exactly as it arrived.
- Zadarma: the `Signature` header is the base64 of the hex HMAC-SHA1 of a
  concatenation of fields that depends on the notification, keyed with the API
  secret.

Comparisons run in constant time. This module has no Odoo import.
"""

import base64
import hashlib
import hmac
import time

MAX_CLOCK_SKEW_SECONDS = 300

# The fields that Zadarma concatenates for each notification's signature.
ZADARMA_SIGNED_FIELDS = {
    "NOTIFY_START": ("caller_id", "called_did", "call_start"),
    "NOTIFY_INTERNAL": ("caller_id", "called_did", "call_start"),
    "NOTIFY_ANSWER": ("caller_id", "destination", "call_start"),
    "NOTIFY_END": ("caller_id", "called_did", "call_start"),
    "NOTIFY_OUT_START": ("internal", "destination", "call_start"),
    "NOTIFY_OUT_END": ("internal", "destination", "call_start"),
    "NOTIFY_RECORD": ("pbx_call_id", "call_id_with_rec"),
    "NOTIFY_IVR": ("caller_id", "called_did", "call_start"),
}


class SignatureError(Exception):
    """A request's signature is missing, expired or wrong. `code` is the
    machine-readable reason used in the webhook's error response."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def grid_signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def check_grid_signature(
    secret: str,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: float | None = None,
):
    """Raise SignatureError unless the request is signed with `secret` and
    its timestamp is within five minutes of `now`."""
    if not timestamp or not signature:
        raise SignatureError(
            "missing_signature",
            "the X-Grid-Timestamp and X-Grid-Signature headers are required",
        )
    if not timestamp.isdigit():
        raise SignatureError(
            "missing_signature", f"X-Grid-Timestamp {timestamp[:20]!r} is not Unix time"
        )
    if not signature.startswith("sha256="):
        raise SignatureError(
            "missing_signature", "X-Grid-Signature must have the form sha256=<hex>"
        )
    now = time.time() if now is None else now
    skew = abs(now - int(timestamp))
    if skew > MAX_CLOCK_SKEW_SECONDS:
        raise SignatureError(
            "expired_timestamp",
            f"the request was signed {int(skew)} s from the server's time; "
            f"at most {MAX_CLOCK_SKEW_SECONDS} s are accepted",
        )
    expected = grid_signature(secret, timestamp, body)
    if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()):
        raise SignatureError(
            "invalid_signature", "the signature does not match the body and the secret"
        )


def mango_sign(api_key: str, json_text: str, salt: str) -> str:
    return hashlib.sha256((api_key + json_text + salt).encode()).hexdigest()


def check_mango_signature(
    api_key: str, salt: str, sent_key: str | None, sign: str | None, json_text: str
):
    """Raise SignatureError unless a Mango Office request carries the
    provider's API key and a `sign` computed over its raw `json` field."""
    if not sent_key or not sign or json_text is None:
        raise SignatureError(
            "missing_signature", "the vpbx_api_key, sign and json fields are required"
        )
    if not hmac.compare_digest(sent_key.encode(), api_key.encode()):
        raise SignatureError("invalid_signature", "vpbx_api_key is not this provider's")
    expected = mango_sign(api_key, json_text, salt)
    if not hmac.compare_digest(expected.encode(), sign.strip().lower().encode()):
        raise SignatureError(
            "invalid_signature", "sign does not match the json field and the salt"
        )


def zadarma_signature(secret: str, text: str) -> str:
    hex_digest = hmac.new(secret.encode(), text.encode(), hashlib.sha1).hexdigest()
    return base64.b64encode(hex_digest.encode()).decode()


def check_zadarma_signature(secret: str, fields: dict, signature: str | None):
    """Raise SignatureError unless the `Signature` header matches the fields
    that Zadarma signs for this notification."""
    event = fields.get("event", "")
    names = ZADARMA_SIGNED_FIELDS.get(event)
    if names is None:
        raise SignatureError(
            "invalid_envelope", f"unknown Zadarma notification {event[:40]!r}"
        )
    if not signature:
        raise SignatureError("missing_signature", "the Signature header is required")
    text = "".join(str(fields.get(name, "")) for name in names)
    expected = zadarma_signature(secret, text)
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise SignatureError(
            "invalid_signature", f"the Signature of {event} does not match its fields"
        )
