import uuid
from datetime import timedelta

from odoo import api, fields
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, new_test_user, tagged
from odoo.tests.common import get_db_name


@tagged("post_install", "-at_install")
class TestGroupingConcurrency(BaseCase):
    """Two operators register reports from the same transformer substation
    in two transactions that overlap. The data lives in committed
    transactions, as a real server's would, and is removed afterwards."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        suffix = uuid.uuid4().hex[:8]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            operators = [
                new_test_user(
                    env,
                    f"race_operator_{suffix}_{number}",
                    groups="grid_contact_center.group_operator",
                )
                for number in (1, 2)
            ]
            transformer = env["grid.element"].create(
                {
                    "name": f"ТП-{suffix}",
                    "code": f"TP-{suffix}",
                    "kind": "transformer_substation",
                }
            )
            partners = env["res.partner"].create(
                [{"name": f"Consumer {suffix} {number}"} for number in (1, 2)]
            )
            points = env["grid.service.point"].create(
                [
                    {
                        "name": f"SP-{suffix}-{number}",
                        "partner_id": partner.id,
                        "grid_element_id": transformer.id,
                    }
                    for number, partner in enumerate(partners)
                ]
            )
            self.operator_ids = [operator.id for operator in operators]
            self.element_id = transformer.id
            self.point_ids = points.ids
            self.partner_ids = partners.ids
            self.topic_id = env.ref("grid_contact_center.topic_4_2").id
        self.addCleanup(self._remove_data)

    def _remove_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            reports = env["grid.interaction"].search(
                [("service_point_id", "in", self.point_ids)]
            )
            outages = reports.outage_id
            reports.unlink()
            outages.unlink()
            env["grid.service.point"].browse(self.point_ids).unlink()
            env["grid.element"].browse(self.element_id).unlink()
            users = env["res.users"].browse(self.operator_ids)
            user_partners = users.partner_id
            users.unlink()
            (env["res.partner"].browse(self.partner_ids) | user_partners).unlink()

    def _register(self, env, point_id, received_at):
        return env["grid.interaction"].create(
            {
                "channel": "phone_in",
                "service_point_id": point_id,
                "topic_id": self.topic_id,
                "received_at": received_at,
            }
        )

    def test_overlapping_reports_join_one_outage(self):
        now = fields.Datetime.now()
        with self.registry.cursor() as cr_1, self.registry.cursor() as cr_2:
            env_1 = api.Environment(cr_1, self.operator_ids[0], {})
            env_2 = api.Environment(cr_2, self.operator_ids[1], {})
            # Both transactions take their snapshot before either report exists.
            cr_1.execute("SELECT 1")
            cr_2.execute("SELECT 1")
            first_id = self._register(env_1, self.point_ids[0], now).id
            cr_1.commit()
            attempts = []

            def register_second():
                attempts.append(1)
                return self._register(
                    env_2, self.point_ids[1], now + timedelta(minutes=1)
                ).id

            second_id = retrying(register_second, env_2)
        self.assertEqual(len(attempts), 2, "the first attempt must meet the lock")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            first, second = env["grid.interaction"].browse([first_id, second_id])
            self.assertTrue(first.outage_id)
            self.assertEqual(first.outage_id, second.outage_id)
            self.assertEqual(first.outage_id.state, "suspected")
            self.assertEqual(first.outage_id.report_count, 2)
