from odoo.tests import Form, new_test_user, users

from .common import GridContactCenterCase


class TestDeskMultiCompany(GridContactCenterCase):
    """The desk searches only the consumers of its own company that the
    operator may read, whichever field finds them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Сети Б"})
        cls.local_operator = new_test_user(
            cls.env,
            "cc_operator_one_company",
            groups="grid_contact_center.group_operator",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        street = {"settlement_id": cls.settlement.id, "street": "ул. Ленина"}
        cls.own_consumer = cls.env["res.partner"].create(
            {
                "name": "Петрова Анна Сергеевна",
                "consumer_category": "household",
                "account_number": "390099001",
                "company_id": cls.company.id,
            }
        )
        cls.own_point = cls.env["grid.service.point"].create(
            dict(street, partner_id=cls.own_consumer.id, house="5", apartment="14")
        )
        cls.foreign_consumer = cls.env["res.partner"].create(
            {
                "name": "Потребитель Б",
                "consumer_category": "household",
                "account_number": "390099001",
                "company_id": cls.other_company.id,
            }
        )
        cls.foreign_point = cls.env["grid.service.point"].create(
            dict(
                street,
                partner_id=cls.foreign_consumer.id,
                company_id=cls.other_company.id,
                house="5",
                apartment="14",
            )
        )

    def desk(self):
        return Form(self.env["grid.desk"])

    @users("cc_operator_one_company")
    def test_address_finds_own_company_only(self):
        desk = self.desk()
        desk.address_query = "светлогорск ленина 5 14"
        self.assertEqual(desk.match_count, 1)
        self.assertEqual(desk.partner_id, self.own_consumer)
        self.assertEqual(desk.service_point_id, self.own_point)
        desk.topic_id = self.topic_info
        interaction = desk.save()._register_interaction()
        self.assertEqual(interaction.partner_id, self.own_consumer)

    @users("cc_operator_one_company")
    def test_account_finds_own_company_only(self):
        desk = self.desk()
        desk.account_query = "390099001"
        self.assertEqual(desk.match_count, 1)
        self.assertEqual(desk.partner_id, self.own_consumer)
        self.assertEqual(desk.service_point_id, self.own_point)

    @users("cc_operator_one_company")
    def test_shared_consumer_offers_own_points(self):
        # A consumer without a company is shared, but its service point in
        # the other company is not the operator's.
        self.foreign_point.sudo().partner_id = self.consumer
        desk = self.desk()
        desk.account_query = "390012345"
        self.assertEqual(desk.partner_id, self.consumer)
        self.assertEqual(desk.service_point_id, self.service_point)
