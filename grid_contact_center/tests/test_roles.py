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

    def test_user_form_offers_field_roles(self):
        """Dispatcher and inspector are offered without developer mode."""
        administrator = new_test_user(
            self.env, "cc_user_admin", groups="base.group_system"
        )
        self.assertFalse(administrator.has_group("base.group_no_one"))
        arch = (
            self.env["res.users"]
            .with_user(administrator)
            .get_view(self.env.ref("base.view_users_form").id)["arch"]
        )
        for xmlid in (
            "grid_contact_center.group_dispatcher",
            "grid_contact_center.group_inspector",
        ):
            group = self.env.ref(xmlid)
            self.assertIn(f'name="sel_groups_{group.id}"', arch, xmlid)
