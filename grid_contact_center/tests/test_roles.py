from odoo.tests import TransactionCase, new_test_user


class TestRoles(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, "cc_manager", groups="grid_contact_center.group_manager"
        )
        cls.dispatcher = new_test_user(
            cls.env, "cc_dispatcher", groups="grid_contact_center.group_dispatcher"
        )

    def test_manager_implies_supervisor_and_operator(self):
        self.assertTrue(self.manager.has_group("grid_contact_center.group_supervisor"))
        self.assertTrue(self.manager.has_group("grid_contact_center.group_operator"))

    def test_dispatcher_is_not_an_operator(self):
        self.assertFalse(
            self.dispatcher.has_group("grid_contact_center.group_operator")
        )
        self.assertTrue(self.dispatcher.has_group("base.group_user"))

    def test_administrator_is_manager(self):
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("grid_contact_center.group_manager"))
