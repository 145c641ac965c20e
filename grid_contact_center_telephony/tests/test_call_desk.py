from datetime import datetime

from odoo import Command
from odoo.tests import Form, tagged, users

from .common import TelephonyCase


@tagged("post_install", "-at_install")
class TestCallDesk(TelephonyCase):
    """A call's card opens the operator's desk, and the interaction
    registered there is linked to the call."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic = cls.env.ref("grid_contact_center.topic_1_3")

    def desk_from(self, call, **context):
        action = call.with_context(**context).action_new_interaction()
        self.assertEqual(action["res_model"], "grid.desk")
        return Form(self.env["grid.desk"].with_context(**action["context"]))

    def register(self, desk):
        desk.topic_id = self.topic
        action = desk.save().action_register()
        return self.env["grid.interaction"].browse(action["res_id"])

    @users("tel_operator")
    def test_single_match_prefills_desk(self):
        self.process(self.queue_call()[:3])
        call = self.call().with_env(self.env)
        desk = self.desk_from(call)
        self.assertEqual(desk.partner_id, self.consumer)
        self.assertEqual(desk.service_point_id, self.service_point)
        self.assertEqual(desk.caller_phone, "+74012556677")
        self.assertEqual(desk.channel, "phone_in")
        self.assertEqual(desk.received_at, datetime(2026, 3, 2, 9, 0))
        self.assertEqual(desk.call_id, call)
        interaction = self.register(desk)
        self.assertEqual(call.interaction_id, interaction)
        self.assertEqual(interaction.call_ids, call)
        self.assertEqual(interaction.partner_id, self.consumer)
        self.assertEqual(interaction.caller_phone_e164, "+74012556677")

    @users("tel_operator")
    def test_shared_number_lists_consumers(self):
        self.process(
            [self.event("started", "shared", caller_number="8 (4012) 55-66-00")]
        )
        call = self.call("shared").with_env(self.env)
        self.assertFalse(call.partner_id)
        desk = self.desk_from(call)
        self.assertFalse(desk.partner_id)
        self.assertEqual(desk.match_count, 2)
        self.assertIn(self.shared_a, desk.match_partner_ids)
        self.assertIn(self.shared_b, desk.match_partner_ids)
        desk.partner_id = self.shared_b
        interaction = self.register(desk)
        self.assertEqual(call.interaction_id, interaction)
        self.assertEqual(interaction.partner_id, self.shared_b)
        # The operator's choice becomes the call's consumer.
        self.assertEqual(call.partner_id, self.shared_b)

    @users("tel_operator")
    def test_consumer_chosen_in_card(self):
        self.process(
            [self.event("started", "shared", caller_number="8 (4012) 55-66-00")]
        )
        call = self.call("shared").with_env(self.env)
        desk = self.desk_from(call, grid_partner_id=self.shared_a.id)
        self.assertEqual(desk.partner_id, self.shared_a)
        self.assertEqual(desk.caller_phone, "+74012556600")

    @users("tel_operator")
    def test_outbound_call_dials_consumer(self):
        self.process(
            [
                self.event(
                    "started",
                    "out-1",
                    direction="outbound",
                    caller_number="101",
                    called_number="+7 911 000-11-22",
                    caller_name="Operator",
                )
            ]
        )
        desk = self.desk_from(self.call("out-1").with_env(self.env))
        self.assertEqual(desk.channel, "phone_out")
        self.assertEqual(desk.caller_phone, "+79110001122")
        self.assertFalse(desk.caller_name)
        self.assertEqual(desk.partner_id, self.consumer)

    @users("tel_operator")
    def test_withheld_number_opens_empty_desk(self):
        self.process([self.event("started", "anon", caller_number="anonymous")])
        desk = self.desk_from(self.call("anon").with_env(self.env))
        self.assertFalse(desk.caller_phone)
        self.assertFalse(desk.partner_id)
        self.assertFalse(desk.searched)

    @users("tel_operator")
    def test_new_consumer_becomes_call_consumer(self):
        self.process([self.event("started", "new", caller_number="+7 900 555-44-33")])
        call = self.call("new").with_env(self.env)
        desk = self.desk_from(call)
        self.assertFalse(desk.partner_id)
        desk.register_consumer = True
        desk.new_name = "Новикова Ольга"
        interaction = self.register(desk)
        consumer = interaction.partner_id
        self.assertEqual(consumer.name, "Новикова Ольга")
        self.assertEqual(consumer.mobile, "+79005554433")
        # The call's context does not leak into the consumer's values.
        self.assertFalse(consumer.company_id)
        self.assertEqual(call.partner_id, consumer)
        self.assertEqual(call.interaction_id, interaction)

    @users("tel_operator")
    def test_call_keeps_first_interaction(self):
        self.process(self.queue_call()[:3])
        call = self.call().with_env(self.env)
        first = self.register(self.desk_from(call))
        second = self.register(self.desk_from(call))
        self.assertEqual(call.interaction_id, first)
        self.assertFalse(second.call_ids)

    @users("tel_operator")
    def test_desk_without_call_links_nothing(self):
        self.process(self.queue_call()[:3])
        desk = Form(self.env["grid.desk"])
        desk.caller_phone = "8 (4012) 55-66-77"
        interaction = self.register(desk)
        self.assertFalse(interaction.call_ids)
        self.assertFalse(self.call().interaction_id)


@tagged("post_install", "-at_install")
class TestScreenPopOutages(TelephonyCase):
    """The caller's card lists the active outages at the caller's service
    points, which the outage register finds through the grid tree."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        elements = cls.env["grid.element"]
        cls.feeder = elements.create(
            {"name": "Ф-ЭК", "code": "F-POP", "kind": "feeder"}
        )
        transformer = elements.create(
            {
                "name": "ТП-ЭК",
                "code": "TP-POP",
                "kind": "transformer_substation",
                "parent_id": cls.feeder.id,
            }
        )
        cls.service_point.grid_element_id = transformer
        cls.outage = cls.env["grid.outage"].create(
            {
                "name": "OUT-POP",
                "kind": "emergency",
                "element_ids": [Command.set(cls.feeder.ids)],
                "start_at": datetime(2026, 3, 2, 8, 0),
                # 11:30 in Kaliningrad, the operator's time zone.
                "etr": datetime(2026, 3, 2, 9, 30),
            }
        )

    def card(self):
        self.process(self.queue_call()[:3])
        return self.call().with_env(self.env).get_screen_pop()

    @users("tel_operator")
    def test_card_shows_outage_with_etr(self):
        outages = self.card()["outages"]
        self.assertEqual([outage["id"] for outage in outages], [self.outage.id])
        self.assertEqual(outages[0]["name"], "OUT-POP")
        self.assertIn("11:30", outages[0]["etr"])
        self.assertIn(outages[0]["etr"], outages[0]["summary"])

    @users("tel_operator")
    def test_card_without_etr(self):
        self.outage.sudo().write({"etr": False, "etr_change_reason": "Причина неясна"})
        outages = self.card()["outages"]
        self.assertEqual(outages[0]["etr"], "")
        self.assertIn("not known", outages[0]["summary"])

    @users("tel_operator")
    def test_restored_outage_leaves_card(self):
        self.outage.sudo().action_restore()
        self.assertEqual(self.card()["outages"], [])

    @users("tel_operator")
    def test_outage_elsewhere_not_shown(self):
        other = (
            self.env["grid.element"]
            .sudo()
            .create({"name": "Ф-2", "code": "F-OTHER", "kind": "feeder"})
        )
        self.outage.sudo().element_ids = [Command.set(other.ids)]
        self.assertEqual(self.card()["outages"], [])
