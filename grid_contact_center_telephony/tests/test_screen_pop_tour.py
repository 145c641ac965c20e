from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestScreenPopTour(HttpCase):
    def test_screen_pop_tour(self):
        """A ringing event shows the caller's card in the agent's browser,
        with the outage at the consumer's service point. One click opens the
        desk prefilled from the call, and the report registered there is
        linked to the call and to the outage."""
        agent = new_test_user(
            self.env,
            "tour_agent",
            groups="grid_contact_center.group_operator",
            tz="Europe/Kaliningrad",
        )
        agent.grid_phone_extension = "3101"
        self.env.company.grid_default_area_code = "4012"
        provider = self.env["grid.telephony.provider"].create(
            {"name": "Tour", "code": "tour", "webhook_secret": "tour-secret"}
        )
        consumer = self.env["res.partner"].create(
            {
                "name": "Тур Потребитель",
                "consumer_category": "household",
                "phone": "8 (4012) 55-66-77",
            }
        )
        feeder = self.env["grid.element"].create(
            {"name": "Ф-Тур", "code": "F-TOUR", "kind": "feeder"}
        )
        point = self.env["grid.service.point"].create(
            {"name": "SP-TOUR", "partner_id": consumer.id, "grid_element_id": feeder.id}
        )
        now = fields.Datetime.now()
        outage = self.env["grid.outage"].create(
            {
                "name": "OUT-TOUR",
                "kind": "emergency",
                "element_ids": [Command.set(feeder.ids)],
                "start_at": now - timedelta(hours=1),
                "etr": now + timedelta(hours=3),
            }
        )
        self.env["grid.interaction"].create(
            {
                "partner_id": consumer.id,
                "topic_id": self.env.ref("grid_contact_center.topic_9").id,
            }
        )
        self.start_tour("/odoo", "grid_telephony_screen_pop", login="tour_agent")
        call = self.env["grid.call"].search(
            [
                ("provider_id", "=", provider.id),
                ("external_call_id", "=", "tour-call-1"),
            ]
        )
        self.assertEqual(call.partner_id, consumer)
        self.assertEqual(call.rang_user_ids, agent)
        interaction = call.interaction_id
        self.assertEqual(interaction.partner_id, consumer)
        self.assertEqual(interaction.service_point_id, point)
        self.assertEqual(interaction.caller_phone, "+74012556677")
        self.assertEqual(interaction.caller_name, "Tour Caller")
        # The webhook keeps the PBX's milliseconds, which Odoo's datetimes drop.
        self.assertEqual(
            interaction.received_at, call.arrived_at.replace(microsecond=0)
        )
        self.assertEqual(interaction.user_id, agent)
        self.assertEqual(interaction.outage_id, outage)
