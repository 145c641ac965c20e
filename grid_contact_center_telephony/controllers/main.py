import json
import logging

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..tools.adapters import mango_events, zadarma_events
from ..tools.events import MAX_BODY_BYTES, EventError, validate_envelope
from ..tools.signature import (
    SignatureError,
    check_grid_signature,
    check_mango_signature,
    check_zadarma_signature,
)

_logger = logging.getLogger(__name__)


def _error(status, code, message):
    return request.make_json_response(
        {"error": {"code": code, "message": message}}, status=status
    )


class TelephonyWebhook(http.Controller):
    """Call events from PBXs: the suite's signed JSON format, Mango Office and
    Zadarma. Each request is authenticated by its provider's secret, not by a
    session, so the routes need no login."""

    def _provider(self, code):
        # No session authenticates these requests: the provider's secret does.
        return (
            request.env["grid.telephony.provider"]
            .with_user(SUPERUSER_ID)
            .search_fetch(
                [("code", "=", code), ("active", "=", True)],
                ["kind", "company_id", "webhook_secret", "pbx_timezone", "area_code"],
                limit=1,
            )
        )

    def _process(self, provider, events):
        calls = (
            request.env["grid.call"]
            .with_user(SUPERUSER_ID)
            .with_company(provider.company_id)
        )
        return calls._grid_process_events(provider, events)

    @http.route(
        "/grid_telephony/<string:code>/events",
        type="http",
        auth="none",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def events(self, code, **params):
        provider = self._provider(code)
        if not provider or provider.kind == "mango":
            return _error(404, "unknown_provider", f"no active provider {code[:64]!r}")
        if provider.kind == "zadarma":
            return self._zadarma(provider)
        httprequest = request.httprequest
        if httprequest.method != "POST":
            return _error(405, "method_not_allowed", "call events are posted")
        if (httprequest.content_length or 0) > MAX_BODY_BYTES:
            return _error(
                413, "payload_too_large", f"the body exceeds {MAX_BODY_BYTES} bytes"
            )
        if httprequest.mimetype != "application/json":
            return _error(
                415,
                "unsupported_media_type",
                "the content type must be application/json",
            )
        # The body is cached because Odoo runs the controller again after a
        # serialization failure (odoo.service.model.retrying) and the input
        # stream can be read only once, so the retry checks the same bytes.
        body = httprequest.get_data()
        if len(body) > MAX_BODY_BYTES:
            return _error(
                413, "payload_too_large", f"the body exceeds {MAX_BODY_BYTES} bytes"
            )
        try:
            check_grid_signature(
                provider.sudo().webhook_secret or "",
                httprequest.headers.get("X-Grid-Timestamp"),
                httprequest.headers.get("X-Grid-Signature"),
                body,
            )
        except SignatureError as error:
            _logger.warning(
                "Provider %s: request from %s rejected: %s",
                provider.code,
                httprequest.remote_addr,
                error,
            )
            return _error(401, error.code, str(error))
        try:
            payload = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            return _error(400, "invalid_json", f"the body is not UTF-8 JSON: {error}")
        try:
            events = validate_envelope(payload)
        except EventError as error:
            return _error(400, "invalid_envelope", str(error))
        results = self._process(provider, events)
        counts = {status: 0 for status in ("accepted", "duplicate", "rejected")}
        for result in results:
            counts[result["status"]] += 1
        return request.make_json_response(
            {
                "results": results,
                "accepted": counts["accepted"],
                "duplicates": counts["duplicate"],
                "rejected": counts["rejected"],
            }
        )

    @http.route(
        "/grid_telephony/<string:code>/events/<string:kind>",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def mango(self, code, kind, **params):
        provider = self._provider(code)
        if not provider or provider.kind != "mango":
            return _error(
                404, "unknown_provider", f"no active Mango provider {code[:64]!r}"
            )
        form = request.httprequest.form
        json_text = form.get("json")
        secrets = provider.sudo()
        try:
            check_mango_signature(
                secrets.mango_api_key or "",
                secrets.mango_api_salt or "",
                form.get("vpbx_api_key"),
                form.get("sign"),
                json_text,
            )
        except SignatureError as error:
            _logger.warning(
                "Mango provider %s: request rejected: %s", provider.code, error
            )
            return _error(401, error.code, str(error))
        try:
            events = mango_events(kind, json.loads(json_text))
        except ValueError as error:
            _logger.warning(
                "Mango provider %s: %s rejected: %s", provider.code, kind, error
            )
            return _error(400, "invalid_envelope", str(error))
        results = self._process(provider, events) if events else []
        return request.make_json_response({"results": results})

    def _zadarma(self, provider):
        httprequest = request.httprequest
        echo = httprequest.args.get("zd_echo")
        if httprequest.method == "GET":
            if echo:
                # Zadarma checks the address by asking for its echo back.
                return request.make_response(
                    echo, headers=[("Content-Type", "text/plain")]
                )
            return _error(405, "method_not_allowed", "call events are posted")
        fields = httprequest.form.to_dict()
        try:
            check_zadarma_signature(
                provider.sudo().zadarma_api_secret or "",
                fields,
                httprequest.headers.get("Signature"),
            )
        except SignatureError as error:
            _logger.warning(
                "Zadarma provider %s: request rejected: %s", provider.code, error
            )
            status = 400 if error.code == "invalid_envelope" else 401
            return _error(status, error.code, str(error))
        try:
            events = zadarma_events(fields, provider.pbx_timezone)
        except EventError as error:
            return _error(400, "invalid_envelope", str(error))
        results = self._process(provider, events) if events else []
        return request.make_json_response({"results": results})
