import json
import logging
from collections import Counter

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)

API_URL = "/grid_contact_center/api/v1/meter_readings"
# System parameters that limit a request, with their defaults.
MAX_BYTES_PARAM = "grid_contact_center.meter_reading_api_max_bytes"
MAX_BYTES_DEFAULT = 1024 * 1024
MAX_READINGS_PARAM = "grid_contact_center.meter_reading_api_max_readings"
MAX_READINGS_DEFAULT = 1000


class MeterReadingApi(http.Controller):
    """Meter readings from outside systems (IVR, website) for one company,
    authenticated with the company's API key."""

    @http.route(
        API_URL,
        type="http",
        auth="none",
        methods=["GET", "PUT", "PATCH", "DELETE"],
        csrf=False,
        save_session=False,
    )
    def reject_other_methods(self, **_params):
        """Reject the methods other than POST with the API's JSON error body,
        where Odoo would return an HTML page."""
        _logger.info(
            "Meter reading API: %s request from %s rejected, only POST is allowed",
            request.httprequest.method,
            request.httprequest.remote_addr,
        )
        return _error(
            405,
            "method_not_allowed",
            f"Send the readings with POST, not {request.httprequest.method}.",
            headers={"Allow": "POST"},
        )

    @http.route(
        API_URL,
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def post_meter_readings(self, **_params):
        """Register a batch of readings.

        The body is ``{"readings": [{"meter": "<serial number>", "date":
        "2026-02-24", "values": {"t1": 1234.5, "t2": 567.8}, "interaction":
        "<registration number, optional>"}]}``. The answer has one result per
        reading, in order; a reading with an error is not stored, the others
        are. Errors of the whole request get a 4xx status and
        ``{"error": {"code": ..., "message": ...}}``.
        """
        api_key = request.env["grid.api.key"]._grid_authenticate(_bearer_key())
        if not api_key:
            return _error(
                401,
                "unauthorized",
                "A valid API key is required: send it as 'Authorization: Bearer "
                "<key>'.",
                headers={"WWW-Authenticate": 'Bearer realm="grid_contact_center"'},
            )
        httprequest = request.httprequest
        if httprequest.mimetype != "application/json":
            return _error(
                415,
                "unsupported_media_type",
                f"Send the readings as application/json, not {httprequest.mimetype}.",
            )
        parameters = request.env["ir.config_parameter"].sudo()
        max_bytes = _int_param(parameters, MAX_BYTES_PARAM, MAX_BYTES_DEFAULT)
        max_readings = _int_param(parameters, MAX_READINGS_PARAM, MAX_READINGS_DEFAULT)
        # A known length lets the limit apply before anything is read, so the
        # endpoint asks for one instead of reading a chunked body of any size.
        if httprequest.content_length is None:
            return _error(
                411,
                "length_required",
                "Send the Content-Length header with the readings.",
            )
        if httprequest.content_length > max_bytes:
            return _error(
                413,
                "payload_too_large",
                f"The body of {httprequest.content_length} bytes exceeds the limit "
                f"of {max_bytes} bytes: send fewer readings per request.",
            )
        # The body is cached because Odoo runs the controller again after a
        # serialization failure (odoo.service.model.retrying) and the input
        # stream can be read only once. Content-Length bounds the read.
        body = httprequest.get_data()
        try:
            payload = json.loads(body)
        except (UnicodeDecodeError, ValueError) as error:
            return _error(400, "invalid_json", f"The body is not valid JSON: {error}")
        readings = payload.get("readings") if isinstance(payload, dict) else None
        if not isinstance(readings, list) or not readings:
            return _error(
                400,
                "invalid_request",
                'The body must be an object with a non-empty list "readings".',
            )
        if len(readings) > max_readings:
            return _error(
                413,
                "too_many_readings",
                f"{len(readings)} readings exceed the limit of {max_readings} "
                "per request.",
            )

        company = api_key.company_id
        Reading = (
            request.env["grid.meter.reading"]
            .sudo()
            .with_company(company)
            .with_context(lang=_language(company))
        )
        results = Reading._grid_register(
            readings, api_key.source, company, api_key=api_key
        )
        answer = [
            _result_json(Reading, index, result) for index, result in enumerate(results)
        ]
        summary = Counter(item["status"] for item in answer)
        _logger.info(
            "API key %s (%s) sent %s meter readings: %s",
            api_key.id,
            company.name,
            len(readings),
            dict(summary),
        )
        return request.make_json_response({"results": answer, "summary": dict(summary)})


def _bearer_key():
    header = request.httprequest.headers.get("Authorization", "")
    scheme, _space, key = header.partition(" ")
    if scheme.lower() == "bearer" and key.strip():
        return key.strip()
    return request.httprequest.headers.get("X-API-Key", "").strip() or None


def _int_param(parameters, name, default):
    try:
        return int(parameters.get_param(name, default))
    except ValueError:
        _logger.warning("System parameter %s is not a number; using %s", name, default)
        return default


def _language(company):
    """Return the installed language that the client asks for, else the
    company's."""
    installed = [code for code, _name in request.env["res.lang"].get_installed()]
    accepted = request.httprequest.accept_languages
    wanted = accepted.best_match(
        [code.replace("_", "-") for code in installed]
    ) or accepted.best_match([code.split("_")[0] for code in installed])
    if wanted:
        for code in installed:
            if wanted in (code.replace("_", "-"), code.split("_")[0]):
                return code
    return company.partner_id.lang or "en_US"


def _result_json(Reading, index, result):
    item = {
        "index": index,
        "status": result["status"],
        "messages": [
            {
                "code": finding["code"],
                "outcome": finding["outcome"],
                "message": Reading._grid_finding_message(finding),
            }
            for finding in result.get("findings") or []
        ],
    }
    reading = result.get("reading")
    if reading:
        values = result["values"]
        period = values["period_start"]
        item.update(
            {
                "reading_id": reading.id,
                "state": values["state"],
                "period": period.strftime("%Y-%m") if period else None,
            }
        )
        if values["state"] != "rejected" and values["days"]:
            item["consumption"] = {
                zone: values[f"consumption_{zone}"]
                for zone in ("t1", "t2", "t3")
                if values[f"consumption_{zone}"] is not False
            }
            item["consumption"]["total"] = values["consumption_total"]
    return item


def _error(status, code, message, headers=None):
    return request.make_json_response(
        {"error": {"code": code, "message": message}}, headers=headers, status=status
    )
