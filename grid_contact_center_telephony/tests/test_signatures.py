from odoo.tests import BaseCase

from ..tools.signature import (
    SignatureError,
    check_grid_signature,
    check_mango_signature,
    check_zadarma_signature,
    grid_signature,
    mango_sign,
    zadarma_signature,
)

BODY = b'{"events": []}'


class TestSignatures(BaseCase):
    def _check(self, timestamp, signature, body=BODY, now=1706368044):
        check_grid_signature("secret", timestamp, signature, body, now=now)

    def test_grid_signature_accepted(self):
        self._check("1706368044", grid_signature("secret", "1706368044", BODY))
        # Within five minutes in either direction.
        self._check("1706367800", grid_signature("secret", "1706367800", BODY))
        self._check("1706368300", grid_signature("secret", "1706368300", BODY))

    def test_grid_signature_over_timestamp_and_body(self):
        # HMAC-SHA256 keyed "secret" of '1706368044.{"events": []}'.
        self.assertEqual(
            grid_signature("secret", "1706368044", BODY),
            "sha256=08a023ee2870df28d05152d62be383453e80df55288edc5fb7a070e9ce4b4ab0",
        )

    def test_grid_signature_rejections(self):
        good = grid_signature("secret", "1706368044", BODY)
        cases = [
            ((None, good), "missing_signature"),
            (("1706368044", None), "missing_signature"),
            (("yesterday", good), "missing_signature"),
            (("1706368044", good.replace("sha256=", "md5=")), "missing_signature"),
            (
                ("1706367700", grid_signature("secret", "1706367700", BODY)),
                "expired_timestamp",
            ),
            (
                ("1706368400", grid_signature("secret", "1706368400", BODY)),
                "expired_timestamp",
            ),
            (
                ("1706368044", grid_signature("other", "1706368044", BODY)),
                "invalid_signature",
            ),
            (("1706368045", good), "invalid_signature"),
        ]
        for (timestamp, signature), code in cases:
            with self.subTest(timestamp=timestamp, code=code):
                with self.assertRaises(SignatureError) as caught:
                    self._check(timestamp, signature)
                self.assertEqual(caught.exception.code, code)

    def test_grid_signature_of_other_body_rejected(self):
        good = grid_signature("secret", "1706368044", BODY)
        with self.assertRaises(SignatureError) as caught:
            self._check("1706368044", good, body=b'{"events": [ ]}')
        self.assertEqual(caught.exception.code, "invalid_signature")

    def test_mango_sign_over_raw_json(self):
        json_text = '{"entry_id":"MTox","call_id":"MToxMDA","seq":1}'
        sign = mango_sign("key", json_text, "salt")
        check_mango_signature("key", "salt", "key", sign, json_text)
        # The same data serialised otherwise is another text: rejected.
        with self.assertRaises(SignatureError):
            check_mango_signature(
                "key", "salt", "key", sign, json_text.replace(",", ", ")
            )
        with self.assertRaises(SignatureError):
            check_mango_signature("key", "salt", "other", sign, json_text)
        with self.assertRaises(SignatureError):
            check_mango_signature("key", "salt", "key", None, json_text)

    def test_zadarma_signature_is_base64_of_hex_hmac_sha1(self):
        fields = {
            "event": "NOTIFY_START",
            "call_start": "2024-01-27 15:07:24",
            "pbx_call_id": "in_0123456789",
            "caller_id": "79161234567",
            "called_did": "74012123456",
        }
        signature = zadarma_signature(
            "secret", "79161234567" + "74012123456" + "2024-01-27 15:07:24"
        )
        # 40 hex digits base64-encoded give 56 characters.
        self.assertEqual(len(signature), 56)
        check_zadarma_signature("secret", fields, signature)
        with self.assertRaises(SignatureError):
            check_zadarma_signature("secret", {**fields, "caller_id": "1"}, signature)
        with self.assertRaises(SignatureError):
            check_zadarma_signature(
                "secret", {**fields, "event": "NOTIFY_X"}, signature
            )

    def test_zadarma_outbound_and_record_fields(self):
        out = {
            "event": "NOTIFY_OUT_START",
            "call_start": "2024-01-27 15:07:24",
            "internal": "101",
            "destination": "89161234567",
        }
        check_zadarma_signature(
            "s",
            out,
            zadarma_signature("s", "101" + "89161234567" + "2024-01-27 15:07:24"),
        )
        record = {
            "event": "NOTIFY_RECORD",
            "pbx_call_id": "in_1",
            "call_id_with_rec": "1706368044.123",
        }
        check_zadarma_signature(
            "s", record, zadarma_signature("s", "in_1" + "1706368044.123")
        )
