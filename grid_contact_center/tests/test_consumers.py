import re

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import users

from .common import GridContactCenterCase


class TestConsumers(GridContactCenterCase):
    def test_duplicate_account_number_names_holder(self):
        with self.assertRaisesRegex(ValidationError, "Иванова Мария Петровна"):
            self.env["res.partner"].create(
                {"name": "Петров Пётр", "account_number": "390012345"}
            )

    def test_same_account_number_in_other_company(self):
        other = self.env["res.company"].create({"name": "Other Grid District"})
        partner = self.env["res.partner"].create(
            {
                "name": "Петров Пётр",
                "account_number": "390012345",
                "company_id": other.id,
            }
        )
        self.assertEqual(partner.account_number, "390012345")

    def test_phone_index_follows_partner(self):
        keys = set(self.consumer.contact_number_ids.mapped("number_key"))
        self.assertEqual(keys, {"4012654321", "9997654321"})
        self.consumer.mobile = "8 (903) 000-11-22"
        keys = set(self.consumer.contact_number_ids.mapped("number_key"))
        self.assertEqual(keys, {"4012654321", "9030001122"})
        self.consumer.phone = False
        keys = set(self.consumer.contact_number_ids.mapped("number_key"))
        self.assertEqual(keys, {"9030001122"})

    @users("cc_operator")
    def test_find_by_phone_any_format(self):
        numbers = self.env["grid.contact.number"]
        for raw in ("+79997654321", "89997654321", "9997654321", "654321"):
            with self.subTest(raw=raw):
                found = numbers.find_by_phone(raw)
                self.assertEqual(found.partner_id, self.consumer)

    @users("cc_operator")
    def test_find_by_phone_returns_every_match(self):
        neighbour = (
            self.env["res.partner"]
            .sudo()
            .create({"name": "Иванов Иван", "phone": "+7 4012 65-43-21"})
        )
        found = self.env["grid.contact.number"].find_by_phone("8 4012 654321")
        self.assertEqual(found.partner_id, self.consumer | neighbour)

    @users("cc_operator")
    def test_find_by_phone_without_caller_id(self):
        for raw in ("<unknown>", "anonymous", "", None):
            with self.subTest(raw=raw):
                self.assertFalse(self.env["grid.contact.number"].find_by_phone(raw))

    def test_service_point_phone_indexed(self):
        self.service_point.phone = "8 (4012) 99-88-77"
        found = self.env["grid.contact.number"].find_by_phone("998877")
        self.assertEqual(found.service_point_id, self.service_point)
        self.assertEqual(found.partner_id, self.consumer)

    @users("cc_operator")
    def test_partner_search_by_phone_lookup(self):
        partners = self.env["res.partner"].search(
            [("phone_lookup", "=", "+7 (999) 765 43 21")]
        )
        self.assertEqual(partners, self.consumer)

    def test_service_point_full_address(self):
        self.assertEqual(
            self.service_point.full_address,
            "Светлогорск, ул. Янтарная, д. 8, кв. 3",
        )

    @users("cc_operator")
    def test_service_point_found_by_typed_address(self):
        points = self.env["grid.service.point"]
        for query in ("янтарная 8 3", "Янтарная, д.8, кв.3", "светлогорск янтарная"):
            with self.subTest(query=query):
                found = points.name_search(query)
                self.assertEqual([row[0] for row in found], [self.service_point.id])
        self.assertFalse(points.name_search("янтарная 9"))

    @users("cc_operator")
    def test_registration_number_format(self):
        interaction = self.env["grid.interaction"].create(
            {"topic_id": self.topic_info.id}
        )
        year = fields.Date.context_today(interaction).year
        self.assertRegex(interaction.name, rf"^{year}-\d{{6}}$")
        second = self.env["grid.interaction"].create({"topic_id": self.topic_info.id})
        first_number = int(interaction.name.split("-")[1])
        self.assertEqual(second.name, f"{year}-{first_number + 1:06d}")

    def test_registration_numbers_per_company(self):
        other = self.env["res.company"].create({"name": "Other Grid District"})
        first = (
            self.env["grid.interaction"]
            .with_company(other)
            .create({"company_id": other.id, "topic_id": self.topic_info.id})
        )
        self.assertTrue(re.fullmatch(r"\d{4}-000001", first.name), first.name)

    @users("cc_operator")
    def test_unparsable_phone_kept_with_warning(self):
        interaction = self.env["grid.interaction"].create(
            {"caller_phone": "call after six", "topic_id": self.topic_info.id}
        )
        self.assertEqual(interaction.caller_phone, "call after six")
        self.assertFalse(interaction.caller_phone_e164)
        self.assertTrue(interaction.caller_phone_warning)

    @users("cc_operator")
    def test_caller_phone_in_e164(self):
        interaction = self.env["grid.interaction"].create(
            {"caller_phone": "8 (916) 123-45-67", "topic_id": self.topic_info.id}
        )
        self.assertEqual(interaction.caller_phone_e164, "+79161234567")
        self.assertFalse(interaction.caller_phone_warning)
