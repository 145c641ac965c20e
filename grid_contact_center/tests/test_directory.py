from odoo import Command
from odoo.tests import users

from .common import GridContactCenterCase


class TestDirectory(GridContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        organisations = cls.env["grid.energy.organisation"]
        other = cls.env["grid.settlement"].create(
            {"name": "Пионерский", "district": "Пионерский городской округ"}
        )
        cls.supplier = organisations.create(
            {"name": "Test supplier", "kind": "supplier_of_last_resort"}
        )
        cls.local_grid = organisations.create(
            {
                "name": "Test local grid",
                "kind": "grid_company",
                "settlement_ids": [Command.link(cls.settlement.id)],
            }
        )
        cls.other_grid = organisations.create(
            {
                "name": "Test other grid",
                "kind": "grid_company",
                "settlement_ids": [Command.link(other.id)],
            }
        )
        cls.all_test = cls.supplier | cls.local_grid | cls.other_grid

    @users("cc_operator")
    def test_search_by_settlement_name(self):
        # The domain of the search view's Settlement field.
        found = self.env["grid.energy.organisation"].search(
            [
                ("id", "in", self.all_test.ids),
                "|",
                ("settlement_ids", "ilike", "светлогорск"),
                ("settlement_ids", "=", False),
            ]
        )
        self.assertEqual(found, self.supplier | self.local_grid)

    @users("cc_operator")
    def test_organisations_for_settlement(self):
        found = self.env["grid.energy.organisation"]._for_settlement(self.settlement)
        self.assertEqual(found & self.all_test, self.supplier | self.local_grid)

    @users("cc_operator")
    def test_whole_territory_filter(self):
        found = self.env["grid.energy.organisation"].search(
            [("id", "in", self.all_test.ids), ("serves_whole_territory", "=", True)]
        )
        self.assertEqual(found, self.supplier)
