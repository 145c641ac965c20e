from odoo.tests import TransactionCase, new_test_user


class GridContactCenterCase(TransactionCase):
    """Users of every role and a company in Moscow time with the standard
    five-day calendar, shared by the tests of the core addon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.resource_calendar_id.tz = "Europe/Moscow"
        cls.company.grid_default_area_code = "4012"
        groups = "grid_contact_center.group_%s"
        cls.operator = new_test_user(
            cls.env, "cc_operator", groups=groups % "operator", tz="Europe/Moscow"
        )
        cls.operator_2 = new_test_user(
            cls.env, "cc_operator_2", groups=groups % "operator", tz="Europe/Moscow"
        )
        cls.supervisor = new_test_user(
            cls.env, "cc_supervisor", groups=groups % "supervisor"
        )
        cls.manager = new_test_user(cls.env, "cc_manager", groups=groups % "manager")
        cls.dispatcher = new_test_user(
            cls.env, "cc_dispatcher", groups=groups % "dispatcher"
        )
        cls.inspector = new_test_user(
            cls.env, "cc_inspector", groups=groups % "inspector"
        )
        cls.settlement = cls.env["grid.settlement"].create(
            {"name": "Светлогорск", "district": "Светлогорский городской округ"}
        )
        cls.consumer = cls.env["res.partner"].create(
            {
                "name": "Иванова Мария Петровна",
                "consumer_category": "household",
                "account_number": "390012345",
                "phone": "8 (4012) 65-43-21",
                "mobile": "+7 999 765-43-21",
            }
        )
        cls.service_point = cls.env["grid.service.point"].create(
            {
                "name": "SP-TEST-0001",
                "partner_id": cls.consumer.id,
                "settlement_id": cls.settlement.id,
                "street": "ул. Янтарная",
                "house": "8",
                "apartment": "3",
            }
        )
        cls.topic_complaint = cls.env.ref("grid_contact_center.topic_9")
        cls.topic_outage = cls.env.ref("grid_contact_center.topic_4_2")
        cls.topic_info = cls.env.ref("grid_contact_center.topic_1_4")
