from odoo.tests import users

from ..models.grid_service_point import address_tsquery
from .common import GridContactCenterCase


class TestAddressLookup(GridContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        points = cls.env["grid.service.point"]
        values = {"settlement_id": cls.settlement.id, "street": "ул. Янтарная"}
        cls.house_18 = points.create({**values, "house": "18", "apartment": "3"})
        cls.flat_13 = points.create({**values, "house": "8", "apartment": "13"})
        cls.other_street = points.create(
            {**values, "street": "ул. Янтарная Горка", "house": "8", "apartment": "3"}
        )

    def test_tsquery_digits_whole_words_prefix(self):
        self.assertEqual(
            address_tsquery("Светлогорск, ул. Янтарная, д. 8, кв. 3"),
            "светлогорск & янтарная & 8 & 3",
        )
        self.assertEqual(address_tsquery("Янтар 8", prefix=True), "янтар:* & 8")
        self.assertEqual(address_tsquery("ул. д. кв."), "")

    @users("cc_operator")
    def test_numbers_match_whole_words(self):
        found = self.env["grid.service.point"].find_by_address("Янтарная 8 3")
        self.assertIn(self.service_point, found)
        self.assertNotIn(self.house_18, found)
        self.assertNotIn(self.flat_13, found)

    @users("cc_operator")
    def test_typed_address_returned_alone(self):
        found = self.env["grid.service.point"].find_by_address(
            "Светлогорск, Янтарная, 8, 3"
        )
        self.assertEqual(found, self.service_point)

    @users("cc_operator")
    def test_typed_order_ranked_first(self):
        swapped = self.env["grid.service.point"].create(
            {
                "settlement_id": self.settlement.id,
                "street": "ул. Янтарная",
                "house": "3",
                "apartment": "8",
            }
        )
        found = self.env["grid.service.point"].find_by_address("Янтарная 8 3")
        self.assertEqual(found[0], self.service_point)
        self.assertEqual(found[1], self.other_street)
        self.assertEqual(found[-1], swapped)

    @users("cc_operator")
    def test_street_typed_in_part(self):
        found = self.env["grid.service.point"].find_by_address("янтар 18")
        self.assertEqual(found, self.house_18)

    @users("cc_operator")
    def test_empty_query_finds_nothing(self):
        self.assertFalse(self.env["grid.service.point"].find_by_address(" , "))

    @users("cc_operator")
    def test_code_found_by_name_search(self):
        found = self.env["grid.service.point"].name_search("SP-TEST-0001")
        self.assertEqual([row[0] for row in found], [self.service_point.id])

    @users("cc_operator")
    def test_shorthand_glued_to_numbers(self):
        points = self.env["grid.service.point"].sudo()
        values = {"settlement_id": self.settlement.id}
        building = points.create(
            {
                **values,
                "street": "ул. Морская",
                "house": "118",
                "building": "2",
                "apartment": "45",
            }
        )
        flat = points.create(
            {**values, "street": "ул. Липовая", "house": "5", "apartment": "14"}
        )
        cases = [
            ("морская 118 к2", building),
            ("морская 118 кв45", building),
            ("морская д118", building),
            ("проспект морская 118 к2 кв45", building),
            ("морская д.118 корп.2 кв.45", building),
            ("липовая5 14", flat),
            ("липовая д5 кв14", flat),
        ]
        lookup = self.env["grid.service.point"]
        for query, expected in cases:
            with self.subTest(query=query):
                self.assertIn(expected, lookup.find_by_address(query))

    def test_house_letter_stays_with_number(self):
        self.assertEqual(address_tsquery("Морская 118а"), "морская & 118а")
        self.assertEqual(address_tsquery("Морская 118к2"), "морская & 118к2")
        self.assertEqual(address_tsquery("морская к2 кв45"), "морская & 2 & 45")
