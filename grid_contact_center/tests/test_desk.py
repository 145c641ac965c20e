from datetime import datetime

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, users

from .common import GridContactCenterCase


class TestDesk(GridContactCenterCase):
    """The operator's desk: find the caller, register the interaction."""

    def desk(self, **context):
        return Form(self.env["grid.desk"].with_context(**context))

    @users("cc_operator")
    def test_phone_in_other_format_finds_consumer(self):
        desk = self.desk()
        desk.caller_phone = "89997654321"
        self.assertEqual(desk.partner_id, self.consumer)
        self.assertEqual(desk.service_point_id, self.service_point)
        self.assertEqual(desk.match_count, 1)

    @users("cc_operator")
    def test_account_number_finds_consumer(self):
        desk = self.desk()
        desk.account_query = " 390012345 "
        self.assertEqual(desk.partner_id, self.consumer)

    @users("cc_operator")
    def test_address_finds_consumer_and_point(self):
        desk = self.desk()
        desk.address_query = "Светлогорск, Янтарная 8-3"
        self.assertEqual(desk.partner_id, self.consumer)
        self.assertEqual(desk.service_point_id, self.service_point)

    @users("cc_operator")
    def test_shared_phone_offers_choice(self):
        neighbour = (
            self.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": "Иванов Иван Иванович",
                    "consumer_category": "household",
                    "account_number": "390054321",
                    "phone": "+7 (4012) 654321",
                }
            )
        )
        desk = self.desk()
        desk.caller_phone = "654321"
        self.assertFalse(desk.partner_id)
        self.assertEqual(desk.match_count, 2)
        desk.account_query = "390054321"
        self.assertEqual(desk.partner_id, neighbour)

    @users("cc_operator")
    def test_consumer_label_tells_namesakes_apart(self):
        label = self.consumer.with_context(grid_consumer_label=True).display_name
        self.assertIn("390012345", label)
        self.assertIn("Янтарная", label)

    @users("cc_operator")
    def test_unknown_number_finds_nobody(self):
        desk = self.desk()
        desk.caller_phone = "+7 900 000-00-01"
        self.assertFalse(desk.partner_id)
        self.assertTrue(desk.searched)
        self.assertEqual(desk.match_count, 0)

    @users("cc_operator")
    def test_open_interactions_shown(self):
        interactions = self.env["grid.interaction"]
        open_one = interactions.create(
            {"partner_id": self.consumer.id, "topic_id": self.topic_info.id}
        )
        closed = interactions.create(
            {
                "partner_id": self.consumer.id,
                "topic_id": self.topic_info.id,
                "answer": "Told",
            }
        )
        closed.action_close()
        desk = self.desk(default_partner_id=self.consumer.id)
        self.assertIn(open_one, desk.open_interaction_ids)
        self.assertNotIn(closed, desk.open_interaction_ids)

    @users("cc_operator")
    def test_register_unanswered_call_with_callback(self):
        desk = self.desk()
        desk.caller_phone = "+7 999 765 43 21"
        desk.topic_id = self.topic_info
        desk.description = "Where is the nearest office?"
        self.assertTrue(desk.callback_due)
        self.assertIn("office", desk.answer_script.lower())
        action = desk.save().action_register()
        interaction = self.env["grid.interaction"].browse(action["res_id"])
        self.assertEqual(interaction.partner_id, self.consumer)
        self.assertEqual(interaction.service_point_id, self.service_point)
        self.assertEqual(interaction.caller_phone, "+7 999 765 43 21")
        self.assertEqual(interaction.caller_phone_e164, "+79997654321")
        self.assertEqual(interaction.user_id, self.operator)
        self.assertEqual(interaction.callback_state, "due")
        self.assertTrue(interaction.activity_ids)

    @users("cc_operator")
    def test_register_answered_call(self):
        desk = self.desk(default_partner_id=self.consumer.id)
        desk.topic_id = self.topic_info
        desk.answer = "Office hours told"
        desk.answered_in_contact = True
        action = desk.save().action_register()
        interaction = self.env["grid.interaction"].browse(action["res_id"])
        self.assertEqual(interaction.state, "answered")
        self.assertEqual(interaction.callback_state, "none")

    @users("cc_operator")
    def test_prefilled_from_ringing_call(self):
        desk = self.desk(
            default_caller_phone="+79997654321",
            default_channel="phone_in",
            default_partner_id=self.consumer.id,
            default_received_at="2026-11-02 07:00:00",
        )
        self.assertEqual(desk.partner_id, self.consumer)
        self.assertEqual(desk.caller_phone, "+79997654321")
        self.assertEqual(desk.received_at, datetime(2026, 11, 2, 7, 0))

    @users("cc_operator")
    def test_new_consumer_registered_with_service_point(self):
        desk = self.desk()
        desk.caller_phone = "8 (921) 765-00-99"
        desk.register_consumer = True
        desk.new_name = "Орлова Нина Сергеевна"
        desk.new_account_number = "390099999"
        desk.new_settlement_id = self.settlement
        desk.new_street = "ул. Балтийская"
        desk.new_house = "4"
        desk.topic_id = self.topic_complaint
        desk.complaint_demands = "Restore the supply"
        action = desk.save().action_register()
        interaction = self.env["grid.interaction"].browse(action["res_id"])
        consumer = interaction.partner_id
        self.assertEqual(consumer.name, "Орлова Нина Сергеевна")
        self.assertEqual(consumer.mobile, "8 (921) 765-00-99")
        self.assertEqual(consumer.account_number, "390099999")
        self.assertRegex(interaction.service_point_id.name, r"^CC-\d{7}$")
        self.assertEqual(
            interaction.service_point_id.full_address,
            "Светлогорск, ул. Балтийская, д. 4",
        )
        self.assertEqual(interaction.complaint_demands, "Restore the supply")
        found = self.env["grid.contact.number"].find_by_phone("+79217650099")
        self.assertEqual(found.partner_id, consumer)

    @users("cc_operator")
    def test_complaint_answer_channel_follows_channel(self):
        desk = self.desk(default_channel="office")
        desk.partner_id = self.consumer
        desk.topic_id = self.topic_complaint
        self.assertEqual(desk.complaint_answer_channel, "letter")
        # Created without the form, as an integration does: no onchange ran.
        desk = self.env["grid.desk"].create(
            {"partner_id": self.consumer.id, "topic_id": self.topic_complaint.id}
        )
        action = desk.action_register()
        interaction = self.env["grid.interaction"].browse(action["res_id"])
        self.assertEqual(interaction.complaint_answer_channel, "phone")

    @users("cc_operator")
    def test_new_consumer_with_taken_account_names_holder(self):
        desk = self.desk()
        desk.register_consumer = True
        desk.new_name = "Самозванов Пётр"
        desk.new_account_number = "390012345"
        desk.topic_id = self.topic_info
        record = desk.save()
        with self.assertRaisesRegex(ValidationError, "Иванова Мария Петровна"):
            record.action_register()

    @users("cc_operator")
    def test_unparsable_phone_does_not_block_registration(self):
        desk = self.desk()
        desk.caller_phone = "звонил с работы"
        self.assertTrue(desk.caller_phone_warning)
        desk.account_query = "390012345"
        desk.topic_id = self.topic_info
        action = desk.save().action_register()
        interaction = self.env["grid.interaction"].browse(action["res_id"])
        self.assertEqual(interaction.caller_phone, "звонил с работы")
        self.assertFalse(interaction.caller_phone_e164)
        self.assertTrue(interaction.caller_phone_warning)
        self.assertEqual(interaction.partner_id, self.consumer)

    @users("cc_operator")
    def test_directory_follows_service_point_settlement(self):
        organisations = self.env["grid.energy.organisation"].sudo()
        local = organisations.create(
            {
                "name": "Светлогорская сетевая компания",
                "kind": "grid_company",
                "settlement_ids": [Command.link(self.settlement.id)],
            }
        )
        elsewhere = organisations.create(
            {
                "name": "Другая сетевая компания",
                "kind": "grid_company",
                "settlement_ids": [
                    Command.create({"name": "Другой посёлок", "district": "Тест"})
                ],
            }
        )
        desk = self.desk(default_partner_id=self.consumer.id)
        self.assertIn(local, desk.energy_organisation_ids)
        self.assertNotIn(elsewhere, desk.energy_organisation_ids)

    @users("cc_operator")
    def test_register_next_opens_new_desk(self):
        desk = self.desk(default_partner_id=self.consumer.id)
        desk.topic_id = self.topic_info
        action = desk.save().action_register_next()
        self.assertEqual(action["params"]["next"]["res_model"], "grid.desk")

    @users("cc_operator")
    def test_service_point_phone_picks_point(self):
        points = self.env["grid.service.point"].sudo()
        points.create(
            {
                "partner_id": self.consumer.id,
                "settlement_id": self.settlement.id,
                "street": "ул. Морская",
                "house": "2",
            }
        )
        dacha = points.create(
            {
                "partner_id": self.consumer.id,
                "settlement_id": self.settlement.id,
                "street": "ул. Лесная",
                "house": "9",
                "phone": "8 (4012) 55-66-77",
            }
        )
        desk = self.desk()
        desk.caller_phone = "+74012556677"
        self.assertEqual(desk.partner_id, self.consumer)
        self.assertEqual(desk.service_point_id, dacha)
        desk.caller_phone = "+7 999 765-43-21"
        self.assertEqual(desk.partner_id, self.consumer)
        self.assertEqual(desk.service_point_id, dacha)

    @users("cc_operator")
    def test_account_number_with_spaces(self):
        desk = self.desk()
        desk.account_query = "390 012 345"
        self.assertEqual(desk.partner_id, self.consumer)
