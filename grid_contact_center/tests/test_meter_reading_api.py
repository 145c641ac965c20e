import json
from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..controllers.meter_reading_api import MAX_BYTES_PARAM, MAX_READINGS_PARAM
from ..models.grid_api_key import hash_key

URL = "/grid_contact_center/api/v1/meter_readings"


@tagged("post_install", "-at_install")
class TestMeterReadingApi(HttpCase):
    """The endpoint through Odoo's HTTP server, as the IVR calls it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.resource_calendar_id.tz = "Europe/Moscow"
        cls.manager = new_test_user(
            cls.env, "cc_api_manager", groups="grid_contact_center.group_manager"
        )
        point = cls.env["grid.service.point"].create({"name": "SP-API-0001"})
        cls.meter = cls.env["grid.meter"].create(
            {
                "name": "API-0000001",
                "service_point_id": point.id,
                "installation_date": "2020-01-15",
            }
        )
        cls.api_key = (
            cls.env["grid.api.key"]
            .with_user(cls.manager)
            .create({"name": "IVR", "source": "ivr"})
        )
        action = cls.api_key.action_generate_key()
        cls.key = action["context"]["default_key"]

    def post(self, body, key=None, content_type="application/json", headers=None):
        if not isinstance(body, bytes | str):
            body = json.dumps(body)
        all_headers = {"Content-Type": content_type, **(headers or {})}
        if key is not False:
            all_headers["Authorization"] = f"Bearer {key or self.key}"
        return self.url_open(URL, data=body, headers=all_headers)

    def readings(self):
        return self.env["grid.meter.reading"].search([("meter_id", "=", self.meter.id)])

    def reading(self, value, date="2026-01-10", **extra):
        return {"meter": "API-0000001", "date": date, "values": {"t1": value}, **extra}

    def test_key_stored_as_hash(self):
        self.assertTrue(self.key.startswith("gcc_"))
        stored = self.api_key.sudo().key_hash
        self.assertEqual(stored, hash_key(self.key))
        self.assertNotIn(self.key, stored)
        self.assertEqual(self.api_key.key_hint, self.key[:12])

    def test_without_key_unauthorized(self):
        response = self.post({"readings": [self.reading(10)]}, key=False)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["error"]["code"], "unauthorized")
        self.assertIn("Bearer", response.headers["WWW-Authenticate"])
        self.assertFalse(self.readings())

    def test_wrong_key_unauthorized(self):
        for key in ("gcc_" + "x" * 43, "not-a-key", self.key + "x"):
            with self.subTest(key=key):
                response = self.post({"readings": [self.reading(10)]}, key=key)
                self.assertEqual(response.status_code, 401)
        self.assertFalse(self.readings())

    def test_archived_or_replaced_key_unauthorized(self):
        old_key = self.key
        self.api_key.action_generate_key()
        response = self.post({"readings": [self.reading(10)]}, key=old_key)
        self.assertEqual(response.status_code, 401)
        new_key = self.api_key.action_generate_key()["context"]["default_key"]
        self.api_key.active = False
        response = self.post({"readings": [self.reading(10)]}, key=new_key)
        self.assertEqual(response.status_code, 401)

    def test_key_header_alternative(self):
        response = self.post(
            {"readings": [self.reading(10)]},
            key=False,
            headers={"X-API-Key": self.key},
        )
        self.assertEqual(response.status_code, 200)

    def test_key_of_other_company_sees_only_its_meters(self):
        other = self.env["res.company"].create({"name": "Other Grid District"})
        other_key = self.env["grid.api.key"].create(
            {"name": "Website", "company_id": other.id, "source": "website"}
        )
        key = other_key.action_generate_key()["context"]["default_key"]
        response = self.post({"readings": [self.reading(10)]}, key=key)
        self.assertEqual(response.status_code, 200)
        result = response.json()["results"][0]
        self.assertEqual(result["status"], "error")
        self.assertEqual(result["messages"][0]["code"], "meter_unknown")
        self.assertFalse(self.readings())

    def test_readings_registered(self):
        response = self.post(
            {
                "readings": [
                    self.reading(1000.0, date="2026-01-10"),
                    self.reading("1150,5", date="2026-02-09"),
                    self.reading(-3, date="2026-02-10"),
                    self.reading(900, date="2026-02-11"),
                    {"meter": "NO-SUCH", "date": "2026-02-09", "values": {"t1": 1}},
                ]
            }
        )
        self.assertEqual(response.status_code, 200)
        answer = response.json()
        statuses = [item["status"] for item in answer["results"]]
        self.assertEqual(
            statuses, ["accepted", "accepted", "error", "rejected", "error"]
        )
        self.assertEqual([item["index"] for item in answer["results"]], [0, 1, 2, 3, 4])
        self.assertEqual(answer["summary"], {"accepted": 2, "error": 2, "rejected": 1})
        second = answer["results"][1]
        self.assertEqual(second["consumption"], {"t1": 150.5, "total": 150.5})
        self.assertRegex(second["period"], r"^\d{4}-\d{2}$")
        self.assertEqual(answer["results"][2]["messages"][0]["code"], "value_negative")
        self.assertEqual(answer["results"][3]["messages"][0]["code"], "below_previous")
        readings = self.readings()
        self.assertEqual(len(readings), 3)
        self.assertEqual(set(readings.mapped("source")), {"ivr"})
        self.assertEqual(readings.api_key_id, self.api_key)

    def test_duplicate_request_stored_once(self):
        body = {"readings": [self.reading(1000.0)]}
        first = self.post(body).json()["results"][0]
        second = self.post(body).json()["results"][0]
        self.assertEqual(first["status"], "accepted")
        self.assertEqual(second["status"], "duplicate")
        self.assertEqual(second["reading_id"], first["reading_id"])
        self.assertEqual(len(self.readings()), 1)

    def test_retry_after_serialization_failure(self):
        """Odoo runs the controller again after a serialization failure, as
        when parallel requests update one meter: the retry reads the same body."""
        reading_class = type(self.env["grid.meter.reading"])
        register = reading_class._grid_register
        attempts = []

        def fail_first_attempt(readings, rows, *args, **kwargs):
            attempts.append(len(rows))
            if len(attempts) == 1:
                readings.env.cr.execute(
                    "DO $$ BEGIN RAISE EXCEPTION 'concurrent update' "
                    "USING ERRCODE = 'serialization_failure'; END $$"
                )
            return register(readings, rows, *args, **kwargs)

        with (
            patch.object(reading_class, "_grid_register", fail_first_attempt),
            mute_logger("odoo.sql_db"),
        ):
            response = self.post({"readings": [self.reading(1000.0)]})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(attempts, [1, 1])
        self.assertEqual(response.json()["results"][0]["status"], "accepted")
        self.assertEqual(len(self.readings()), 1)

    def test_messages_in_requested_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        response = self.post(
            {"readings": [self.reading(-1)]}, headers={"Accept-Language": "ru-RU"}
        )
        message = response.json()["results"][0]["messages"][0]["message"]
        self.assertIn("отрицательн", message)

    def test_wrong_content_type(self):
        response = self.post(
            "readings=1", content_type="application/x-www-form-urlencoded"
        )
        self.assertEqual(response.status_code, 415)
        self.assertEqual(response.json()["error"]["code"], "unsupported_media_type")

    def test_invalid_json(self):
        for body in ("{not json", b"\xff\xfe", "[]", '{"readings": []}', '{"x": 1}'):
            with self.subTest(body=body):
                response = self.post(body)
                self.assertEqual(response.status_code, 400)
                self.assertIn(
                    response.json()["error"]["code"],
                    ("invalid_json", "invalid_request"),
                )
        self.assertFalse(self.readings())

    def test_oversized_body(self):
        self.env["ir.config_parameter"].set_param(MAX_BYTES_PARAM, 2000)
        body = {"readings": [self.reading(1000.0, comment="x" * 3000)]}
        response = self.post(body)
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.json()["error"]["code"], "payload_too_large")
        self.assertFalse(self.readings())

    def test_body_without_length(self):
        body = json.dumps({"readings": [self.reading(1000.0)]}).encode()
        response = self.url_open(
            URL,
            data=iter([body]),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.key}",
            },
        )
        self.assertEqual(response.status_code, 411)
        self.assertFalse(self.readings())

    def test_too_many_readings(self):
        self.env["ir.config_parameter"].set_param(MAX_READINGS_PARAM, 2)
        body = {
            "readings": [
                self.reading(1000.0 + day, f"2026-01-{day:02d}") for day in (1, 2, 3)
            ]
        }
        response = self.post(body)
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.json()["error"]["code"], "too_many_readings")
        self.assertFalse(self.readings())

    def test_get_not_allowed(self):
        response = self.url_open(URL, headers={"Authorization": f"Bearer {self.key}"})
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response.headers["Allow"], "POST")
        self.assertEqual(response.json()["error"]["code"], "method_not_allowed")
