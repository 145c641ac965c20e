from odoo.exceptions import AccessError, UserError
from odoo.tests import users

from .common import GridContactCenterCase


class TestInteractionAccess(GridContactCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        interactions = cls.env["grid.interaction"]
        cls.own = interactions.create(
            {"topic_id": cls.topic_info.id, "user_id": cls.operator.id}
        )
        cls.unassigned = interactions.create(
            {"topic_id": cls.topic_info.id, "user_id": False}
        )
        cls.outage_report = interactions.create(
            {"topic_id": cls.topic_outage.id, "user_id": cls.operator.id}
        )

    @users("cc_operator_2")
    def test_operator_reads_others(self):
        interaction = self.own.with_user(self.env.user)
        self.assertTrue(interaction.name)

    @users("cc_operator_2")
    def test_operator_cannot_change_others(self):
        with self.assertRaises(AccessError):
            self.own.with_user(self.env.user).description = "Edited by someone else"

    @users("cc_operator_2")
    def test_operator_changes_unassigned(self):
        interaction = self.unassigned.with_user(self.env.user)
        interaction.description = "Taken over"
        self.assertEqual(interaction.description, "Taken over")

    @users("cc_operator_2")
    def test_take_of_taken_names_holder(self):
        interaction = self.own.with_user(self.env.user)
        with self.assertRaisesRegex(UserError, "already taken by cc_operator"):
            interaction.action_take()
        self.assertEqual(interaction.user_id, self.operator)

    @users("cc_supervisor")
    def test_supervisor_takes_over(self):
        interaction = self.own.with_user(self.env.user)
        interaction.action_take()
        self.assertEqual(interaction.user_id, self.supervisor)

    @users("cc_operator")
    def test_answer_changes_tracked(self):
        interaction = self.own.with_user(self.env.user)
        interaction.answer = "Ответ оператора"
        self.env.flush_all()
        self.env.cr.precommit.run()
        interaction.answer = "Ответ старшего"
        self.env.flush_all()
        self.env.cr.precommit.run()
        values = interaction.sudo().message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "answer"
        )
        replaced = values.filtered(
            lambda value: value.new_value_text == "Ответ старшего"
        )
        self.assertEqual(replaced.old_value_text, "Ответ оператора")

    @users("cc_operator")
    def test_operator_cannot_delete(self):
        with self.assertRaises(AccessError):
            self.own.with_user(self.env.user).unlink()

    @users("cc_supervisor")
    def test_supervisor_reassigns(self):
        interaction = self.own.with_user(self.env.user)
        interaction.user_id = self.operator_2
        self.assertEqual(interaction.user_id, self.operator_2)

    @users("cc_dispatcher")
    def test_dispatcher_sees_only_dispatch_reports(self):
        visible = self.env["grid.interaction"].search(
            [("id", "in", (self.own | self.outage_report).ids)]
        )
        self.assertEqual(visible, self.outage_report)
