from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestScreenPopTour(HttpCase):
    def test_screen_pop_tour(self):
        """A ringing event shows the caller's card in the agent's browser and
        one click opens an interaction prefilled from the call."""
        agent = new_test_user(
            self.env, "tour_agent", groups="grid_contact_center.group_operator"
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
        self.assertEqual(call.interaction_id.partner_id, consumer)
        self.assertEqual(call.interaction_id.caller_phone, "8 (4012) 55-66-77")
