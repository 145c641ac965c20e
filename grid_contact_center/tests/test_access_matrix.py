from odoo.exceptions import AccessError
from odoo.tests import new_test_user, users

from .common import GridContactCenterCase

ROLES = ("employee", "operator", "supervisor", "manager", "dispatcher", "inspector")
# What each role may do on each model: r(ead), w(rite), c(reate), d(elete),
# in the order of ROLES. An employee is an internal user without a role.
MATRIX = {
    "grid.interaction": ("", "rwc", "rwc", "rwcd", "rw", "rw"),
    "grid.callback.attempt": ("", "rwc", "rwc", "rwcd", "", ""),
    "grid.contact.number": ("", "r", "r", "r", "r", ""),
    "grid.service.point": ("", "rwc", "rwc", "rwcd", "r", "r"),
    "grid.settlement": ("r", "rwc", "rwc", "rwcd", "r", "r"),
    "grid.topic": ("r", "r", "r", "rwcd", "r", "r"),
    "grid.topic.deadline": ("r", "r", "r", "rwcd", "r", "r"),
    "grid.team": ("r", "r", "r", "rwcd", "r", "r"),
    "grid.workday": ("r", "r", "r", "rwcd", "r", "r"),
    "grid.office": ("", "r", "r", "rwcd", "", ""),
    "grid.appointment": ("", "rwc", "rwc", "rwcd", "", ""),
    "grid.energy.organisation": ("r", "r", "rwc", "rwcd", "r", "r"),
    "grid.desk": ("", "rwcd", "rwcd", "rwcd", "", ""),
    "grid.appointment.booking": ("", "rwcd", "rwcd", "rwcd", "", ""),
    "grid.appointment.booking.slot": ("", "rwcd", "rwcd", "rwcd", "", ""),
    # Grid topology, outages and notices.
    "grid.element": ("r", "r", "r", "rwcd", "rwc", "r"),
    "grid.element.import": ("", "", "", "rwcd", "rwc", ""),
    "grid.element.import.line": ("", "", "", "rwcd", "rwc", ""),
    "grid.outage": ("", "r", "r", "rwcd", "rwc", "r"),
    "grid.outage.etr": ("", "r", "r", "rwcd", "rc", ""),
    "grid.notice.campaign": ("", "r", "rwc", "rwcd", "r", ""),
    "grid.notice.recipient": ("", "rw", "rw", "rwcd", "r", ""),
    "grid.power.quality.report": ("", "rwc", "rwc", "rwcd", "rwc", ""),
    "grid.unmetered.report": ("", "rwc", "rwc", "rwcd", "", "rw"),
    # Meters and meter readings. Operators and inspectors write readings only
    # to link them to an interaction; accepting and rejecting is checked in
    # the model.
    "grid.meter": ("", "r", "r", "rwcd", "r", "rwc"),
    "grid.meter.reading": ("", "rwc", "rwc", "rwcd", "", "rwc"),
    "grid.meter.reading.window": ("r", "r", "r", "rwcd", "r", "r"),
    "grid.meter.reading.import": ("", "", "rwc", "rwc", "", ""),
    "grid.meter.reading.export": ("", "", "rwc", "rwc", "", ""),
    "grid.api.key": ("", "", "", "rwcd", "", ""),
    "grid.api.key.show": ("", "", "", "rwc", "", ""),
    # Reports. The dashboard and the monthly e-mail are abstract models with
    # no records; get_dashboard checks the supervisor group itself.
    "grid.service.quality.report": ("", "", "", "rwc", "", ""),
    "grid.interaction.register.export": ("", "", "rwc", "rwc", "", ""),
    "grid.dashboard": ("", "", "", "", "", ""),
    "grid.monthly.report": ("", "", "", "", "", ""),
}
OPERATIONS = {"r": "read", "w": "write", "c": "create", "d": "unlink"}


class TestAccessMatrix(GridContactCenterCase):
    """Every role against every model of the addon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(cls.env, "cc_employee", groups="base.group_user")
        cls.users_by_role = {
            "employee": cls.employee,
            "operator": cls.operator,
            "supervisor": cls.supervisor,
            "manager": cls.manager,
            "dispatcher": cls.dispatcher,
            "inspector": cls.inspector,
        }

    def test_model_access_per_role(self):
        for model, rights in MATRIX.items():
            for role, allowed in zip(ROLES, rights, strict=True):
                user = self.users_by_role[role]
                records = self.env[model].with_user(user)
                for letter, operation in OPERATIONS.items():
                    with self.subTest(model=model, role=role, operation=operation):
                        self.assertEqual(
                            records.has_access(operation),
                            letter in allowed,
                            f"{role} {operation} {model}",
                        )

    def test_every_model_in_matrix(self):
        models = self.env["ir.model"].search(
            [("model", "=like", "grid.%"), ("modules", "ilike", "grid_contact_center")]
        )
        own = {
            model.model
            for model in models
            if "grid_contact_center" in model.modules.split(", ")
        }
        self.assertLessEqual(own, set(MATRIX), "add the new models to MATRIX")


class TestRecordAccess(GridContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(cls.env, "cc_employee", groups="base.group_user")
        interactions = cls.env["grid.interaction"]
        cls.theft_report = interactions.create(
            {
                "topic_id": cls.env.ref("grid_contact_center.topic_4").id,
                "caller_name": "Сосед",
                "caller_phone": "+7 999 111-22-33",
                "user_id": cls.operator.id,
            }
        )
        cls.outage_report = interactions.create(
            {
                "topic_id": cls.topic_outage.id,
                "caller_phone": "+7 999 111-22-44",
                "user_id": cls.operator.id,
            }
        )
        cls.unassigned = interactions.create(
            {"topic_id": cls.topic_info.id, "user_id": False}
        )
        cls.other_company = cls.env["res.company"].create({"name": "Other District"})
        cls.foreign = interactions.with_company(cls.other_company).create(
            {"company_id": cls.other_company.id, "topic_id": cls.topic_info.id}
        )

    @users("cc_inspector")
    def test_inspector_reads_report_without_caller(self):
        report = self.theft_report.with_user(self.env.user)
        self.assertTrue(report.read(["name", "description", "service_point_id"]))
        with self.assertRaises(AccessError):
            report.read(["caller_phone"])
        with self.assertRaises(AccessError):
            report.read(["caller_name"])

    @users("cc_inspector")
    def test_inspector_does_not_see_service_point_phone(self):
        point = self.service_point.with_user(self.env.user)
        self.assertTrue(point.read(["full_address"]))
        with self.assertRaises(AccessError):
            point.read(["phone"])

    @users("cc_dispatcher")
    def test_dispatcher_reads_caller_of_outage(self):
        report = self.outage_report.with_user(self.env.user)
        self.assertEqual(
            report.read(["caller_phone"])[0]["caller_phone"], "+7 999 111-22-44"
        )

    @users("cc_dispatcher")
    def test_dispatcher_does_not_see_theft_reports(self):
        visible = self.env["grid.interaction"].search(
            [("id", "in", (self.theft_report | self.outage_report).ids)]
        )
        self.assertEqual(visible, self.outage_report)

    @users("cc_operator_2")
    def test_operator_takes_unassigned(self):
        interaction = self.unassigned.with_user(self.env.user)
        interaction.action_take()
        self.assertEqual(interaction.user_id, self.operator_2)

    @users("cc_operator")
    def test_operator_cannot_hand_over(self):
        own = self.outage_report.with_user(self.env.user)
        with self.assertRaisesRegex(AccessError, "supervisors"):
            own.user_id = self.operator_2
        with self.assertRaisesRegex(AccessError, "supervisors"):
            self.env["grid.interaction"].create(
                {"topic_id": self.topic_info.id, "user_id": self.operator_2.id}
            )

    @users("cc_operator")
    def test_operator_puts_back_unassigned(self):
        own = self.outage_report.with_user(self.env.user)
        own.user_id = False
        self.assertFalse(own.user_id)

    @users("cc_operator")
    def test_operator_does_not_see_other_company(self):
        self.assertFalse(
            self.env["grid.interaction"].search([("id", "=", self.foreign.id)])
        )
        with self.assertRaises(AccessError):
            self.foreign.with_user(self.env.user).read(["name"])

    @users("cc_operator_2")
    def test_operator_cannot_edit_others_callback_attempt(self):
        attempt = (
            self.env["grid.callback.attempt"]
            .sudo()
            .create(
                {
                    "interaction_id": self.outage_report.id,
                    "user_id": self.operator.id,
                    "result": "no_answer",
                }
            )
        )
        with self.assertRaises(AccessError):
            attempt.with_user(self.env.user).note = "Changed by someone else"
        self.assertTrue(attempt.with_user(self.env.user).read(["result"]))

    @users("cc_employee")
    def test_employee_reads_directory_only(self):
        self.assertTrue(self.env["grid.energy.organisation"].has_access("read"))
        with self.assertRaises(AccessError):
            self.env["grid.interaction"].search([])
