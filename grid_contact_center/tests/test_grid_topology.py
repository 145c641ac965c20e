from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import users

from .outage_common import NOW, GridOutageCase


@freeze_time(NOW)
class TestGridTopology(GridOutageCase):
    def test_feeder_outage_covers_points_below(self):
        outage = self._outage(self.feeder)
        self.assertEqual(
            outage._affected_service_points(),
            self.service_point | self.point_a2 | self.point_b | self.point_line,
        )
        self.assertEqual(outage.service_point_count, 4)
        self.assertEqual(outage.partner_count, 4)

    def test_transformer_outage_spares_siblings(self):
        outage = self._outage(self.tp_2)
        self.assertEqual(outage._affected_service_points(), self.point_b)
        self.assertEqual(outage.service_point_count, 1)

    def test_overlapping_elements_count_once(self):
        outage = self._outage(self.feeder | self.tp_1)
        self.assertEqual(outage.service_point_count, 4)
        self.assertEqual(
            sorted(outage._affected_partner_ids()),
            sorted(
                (
                    self.consumer
                    | self.consumer_sms
                    | self.consumer_email
                    | self.consumer_call
                ).ids
            ),
        )

    def test_archived_points_not_affected(self):
        self.point_b.active = False
        outage = self._outage(self.tp_2)
        self.assertEqual(outage.service_point_count, 0)

    def test_element_counts_points_below(self):
        counts = {
            element: element.service_point_count
            for element in self.substation | self.feeder | self.tp_1 | self.line
        }
        self.assertEqual(counts[self.substation], 5)
        self.assertEqual(counts[self.feeder], 4)
        self.assertEqual(counts[self.tp_1], 3)
        self.assertEqual(counts[self.line], 1)

    def test_element_cannot_supply_itself(self):
        with self.assertRaises(UserError):
            self.feeder.parent_id = self.tp_1

    def test_complete_name_follows_parents(self):
        self.assertEqual(
            self.line.complete_name, "ПС Тестовая / Ф-Т1 / ТП-Т1 / ВЛ-0,4 Т1"
        )
        self.feeder.name = "Ф-Т1 (новый)"
        self.assertEqual(
            self.line.complete_name, "ПС Тестовая / Ф-Т1 (новый) / ТП-Т1 / ВЛ-0,4 Т1"
        )

    def test_grouping_element_is_nearest_transformer(self):
        self.assertEqual(self.line._grouping_element(), self.tp_1)
        self.assertEqual(self.tp_2._grouping_element(), self.tp_2)
        self.assertEqual(self.substation._grouping_element(), self.substation)

    @users("cc_operator")
    def test_active_outages_of_service_points(self):
        outage = self._outage(self.feeder)
        self._outage(self.tp_3, start_at=NOW.replace(hour=20))
        restored = self._outage(self.tp_1)
        restored.action_restore()
        points = self.env["grid.service.point"].browse(
            (self.point_line | self.point_c).ids
        )
        found = self.env["grid.outage"]._active_for_service_points(points)
        self.assertEqual(found, outage)
        self.assertEqual(points[0].active_outage_ids, outage)
        self.assertFalse(points[1].active_outage_ids)

    def test_point_without_element_has_no_outage(self):
        self._outage(self.substation)
        self.point_c.grid_element_id = False
        self.assertFalse(
            self.env["grid.outage"]._active_for_service_points(self.point_c)
        )

    @users("cc_operator")
    def test_outages_found_by_service_point(self):
        feeder_outage = self._outage(self.feeder)
        transformer_outage = self._outage(self.tp_2)
        outages = self.env["grid.outage"]
        self.assertEqual(
            outages.search([("service_point_ids", "in", self.point_line.ids)]),
            feeder_outage,
        )
        self.assertEqual(
            outages.search([("service_point_ids", "in", self.point_b.ids)]),
            feeder_outage | transformer_outage,
        )
        self.assertEqual(
            outages.search([("service_point_ids", "ilike", "морская 2")]),
            feeder_outage | transformer_outage,
        )
        self.assertFalse(
            outages.search([("service_point_ids", "in", self.point_c.ids)])
        )
        self.assertEqual(
            feeder_outage.with_user(self.env.user).service_point_ids,
            self.service_point | self.point_a2 | self.point_b | self.point_line,
        )
