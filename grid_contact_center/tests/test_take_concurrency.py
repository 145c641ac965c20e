from psycopg2.errors import SerializationFailure

import odoo
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import BaseCase
from odoo.tests.common import get_db_name

SECOND_LOGIN = "cc_take_concurrency_operator"


class TestTakeConcurrency(BaseCase):
    """Two operators take the same unassigned interaction, each in a
    transaction of its own on a real database cursor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = odoo.modules.registry.Registry(get_db_name())

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            operator_group = env.ref("grid_contact_center.group_operator")
            first = env.ref("base.user_demo")
            first.groups_id = [Command.link(operator_group.id)]
            users = env["res.users"].with_context(active_test=False)
            second = users.search([("login", "=", SECOND_LOGIN)])
            if not second:
                second = users.create(
                    {
                        "name": "Take Concurrency Operator",
                        "login": SECOND_LOGIN,
                        "groups_id": [Command.set(operator_group.ids)],
                    }
                )
            second.active = True
            self.first_uid = first.id
            self.second_uid = second.id
            self.interaction_id = (
                env["grid.interaction"]
                .create(
                    {
                        "topic_id": env.ref("grid_contact_center.topic_1_4").id,
                        "user_id": False,
                        "team_id": False,
                    }
                )
                .id
            )
        self.addCleanup(self._remove_records)

    def _remove_records(self):
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["grid.interaction"].browse(self.interaction_id).unlink()
            env["res.users"].browse(self.second_uid).active = False

    def _interaction(self, cr, uid):
        env = odoo.api.Environment(cr, uid, {})
        return env["grid.interaction"].browse(self.interaction_id)

    def test_second_take_names_first_operator(self):
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            # Operator B's transaction sees the interaction unassigned...
            late = self._interaction(cr_b, self.second_uid)
            self.assertFalse(late.user_id)
            # ...while operator A takes it and commits.
            self._interaction(cr_a, self.first_uid).action_take()
            cr_a.commit()
            # The lock of B's take conflicts with A's committed change, which
            # makes Odoo retry B's request in a new transaction.
            with self.assertRaises(SerializationFailure):
                late.action_take()
            cr_b.rollback()
        with self.registry.cursor() as cr_retry:
            retry = self._interaction(cr_retry, self.second_uid)
            with self.assertRaisesRegex(UserError, "already taken by Marc Demo"):
                retry.action_take()
        with self.registry.cursor() as cr:
            taken = self._interaction(cr, odoo.SUPERUSER_ID)
            self.assertEqual(taken.user_id.id, self.first_uid)
