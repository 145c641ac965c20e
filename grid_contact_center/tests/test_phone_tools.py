from odoo.tests import BaseCase

from ..tools.phone import (
    e164_from_key,
    is_mobile,
    normalize_phone,
    phone_key,
    split_numbers,
)


class TestPhoneTools(BaseCase):
    def test_russian_forms_share_one_key(self):
        forms = [
            "+7 916 123-45-67",
            "8 (916) 123-45-67",
            "89161234567",
            "79161234567",
            "9161234567",
            "+7(916)1234567",
            "8-916-123-45-67",
        ]
        for form in forms:
            with self.subTest(form=form):
                self.assertEqual(phone_key(form), ("9161234567", ""))

    def test_city_number_with_area_code(self):
        self.assertEqual(phone_key("8 (4012) 12-34-56"), ("4012123456", ""))
        self.assertEqual(phone_key("123456", "4012"), ("4012123456", ""))
        self.assertEqual(phone_key("12-34-56", "4012"), ("4012123456", ""))
        self.assertIsNone(phone_key("123456"))

    def test_seven_digit_city_number(self):
        self.assertEqual(phone_key("123-45-67", "495"), ("4951234567", ""))

    def test_extension_is_split_off(self):
        for raw, extension in [
            ("+7 (4012) 12-34-56 доб. 123", "123"),
            ("8 4012 123456 доб 45", "45"),
            ("84012123456 ext. 7", "7"),
            ("84012123456#12", "12"),
            ("84012123456,301", "301"),
        ]:
            with self.subTest(raw=raw):
                self.assertEqual(phone_key(raw), ("4012123456", extension))

    def test_international_prefix_810(self):
        self.assertEqual(phone_key("810 375 29 123-45-67"), ("+375291234567", ""))
        self.assertEqual(phone_key("+375 29 123-45-67"), ("+375291234567", ""))
        self.assertEqual(phone_key("0037529 1234567"), ("+375291234567", ""))

    def test_no_caller_id_is_none(self):
        for raw in (None, "", "  ", "<unknown>", "anonymous", "Anonymous", "unknown"):
            with self.subTest(raw=raw):
                self.assertIsNone(normalize_phone(raw))

    def test_garbage_is_none(self):
        self.assertIsNone(normalize_phone("call me later"))
        self.assertIsNone(normalize_phone("12"))

    def test_normalize_gives_e164_and_validity(self):
        number = normalize_phone("8 (916) 123-45-67")
        self.assertEqual(number.e164, "+79161234567")
        self.assertTrue(number.is_valid)
        invalid = normalize_phone("8 (000) 000-00-00")
        self.assertEqual(invalid.key, "0000000000")
        self.assertFalse(invalid.is_valid)

    def test_split_several_numbers(self):
        self.assertEqual(
            split_numbers("8 916 123-45-67; 8 (4012) 12-34-56"),
            ["8 916 123-45-67", "8 (4012) 12-34-56"],
        )
        self.assertEqual(
            split_numbers("89161234567 или 84012123456"),
            ["89161234567", "84012123456"],
        )

    def test_split_keeps_short_piece_as_extension(self):
        self.assertEqual(
            split_numbers("+7 495 123-45-67, 123"), ["+7 495 123-45-67 доб. 123"]
        )

    def test_e164_from_key(self):
        self.assertEqual(e164_from_key("9161234567"), "+79161234567")
        self.assertEqual(e164_from_key("+375291234567"), "+375291234567")

    def test_mobile_numbers(self):
        cases = [
            ("+79161234567", True),
            ("+74012556677", False),
            ("+74951234567", False),
            # Kazakhstan shares the +7 zone: 701 is a mobile code, 727 Almaty.
            ("+77011234567", True),
            ("+77272000000", False),
            ("+375291234567", True),
            ("+375172000000", False),
            ("79161234567", False),
            ("+7916123456", False),
            ("", False),
            (None, False),
        ]
        for number, expected in cases:
            with self.subTest(number=number):
                self.assertEqual(is_mobile(number), expected)
