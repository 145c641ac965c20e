from odoo.tests import Form, users

from .common import GridContactCenterCase

INTERACTION_VIEWS = [
    (False, "list"),
    (False, "form"),
    (False, "kanban"),
    (False, "pivot"),
    (False, "graph"),
    (False, "search"),
]


class TestViews(GridContactCenterCase):
    """The views load for each role, without the fields the role may not
    read."""

    def interaction_views(self):
        return self.env["grid.interaction"].get_views(INTERACTION_VIEWS)

    @users("cc_operator", "cc_supervisor", "cc_manager", "cc_dispatcher")
    def test_caller_shown_to_roles_that_call(self):
        form = self.interaction_views()["views"]["form"]["arch"]
        self.assertIn('name="caller_phone"', form)

    @users("cc_inspector")
    def test_caller_hidden_from_inspector(self):
        views = self.interaction_views()["views"]
        self.assertNotIn('name="caller_phone"', views["form"]["arch"])
        self.assertNotIn('name="caller_name"', views["form"]["arch"])
        self.assertNotIn('name="caller_phone"', views["search"]["arch"])
        point_form = self.env["grid.service.point"].get_views([(False, "form")])
        self.assertNotIn('name="phone"', point_form["views"]["form"]["arch"])

    @users("cc_operator")
    def test_operator_screens_load(self):
        screens = {
            "grid.desk": [(False, "form")],
            "grid.appointment": [(False, "calendar"), (False, "list")],
            "grid.appointment.booking": [(False, "form")],
            "grid.callback.attempt": [(False, "form")],
            "grid.energy.organisation": [(False, "list"), (False, "search")],
        }
        for model, views in screens.items():
            with self.subTest(model=model):
                loaded = self.env[model].get_views(views)["views"]
                self.assertEqual(set(loaded), {view for _id, view in views})

    @users("cc_operator")
    def test_desk_action_reachable_from_menu(self):
        menu = self.env.ref("grid_contact_center.grid_desk_menu")
        self.assertIn(menu, self.env["ir.ui.menu"].search([("id", "=", menu.id)]))
        action = self.env["grid.desk"]._action_open({"default_caller_phone": "1"})
        self.assertEqual(action["res_model"], "grid.desk")
        self.assertEqual(action["context"], {"default_caller_phone": "1"})

    def test_field_roles_open_their_reports(self):
        reports = {
            self.inspector: self.env.ref("grid_contact_center.topic_4"),
            self.dispatcher: self.topic_outage,
        }
        for user, topic in reports.items():
            with self.subTest(user=user.login):
                report = self.env["grid.interaction"].create(
                    {"topic_id": topic.id, "partner_id": self.consumer.id}
                )
                form = Form(report.with_user(user))
                self.assertEqual(form.topic_id, topic)
                form.description = "Checked on site"
                form.save()
                self.assertEqual(report.description, "Checked on site")
