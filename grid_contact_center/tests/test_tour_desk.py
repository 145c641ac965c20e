from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDeskTour(HttpCase):
    def test_incoming_call_registered_with_callback(self):
        operator = new_test_user(
            self.env,
            "cc_tour_operator",
            groups="grid_contact_center.group_operator",
            tz="Europe/Moscow",
        )
        consumer = self.env["res.partner"].create(
            {
                "name": "Тестова Вера Андреевна",
                "consumer_category": "household",
                "account_number": "390077777",
                "mobile": "+7 916 700 12 34",
            }
        )
        self.start_tour("/odoo", "grid_desk_incoming_call", login=operator.login)
        interaction = self.env["grid.interaction"].search(
            [("partner_id", "=", consumer.id)]
        )
        self.assertEqual(len(interaction), 1)
        self.assertEqual(interaction.caller_phone_e164, "+79167001234")
        self.assertEqual(interaction.topic_id.code, "1.3")
        self.assertEqual(interaction.callback_state, "due")
        self.assertEqual(interaction.user_id, operator)
        self.assertTrue(interaction.activity_ids)
