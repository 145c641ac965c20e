from datetime import datetime, timedelta, timezone

from odoo.tests import TransactionCase, new_test_user

WEBHOOK_SECRET = "test-webhook-secret"


class TelephonyCase(TransactionCase):
    """A provider, consumers with known numbers and agents with extensions,
    shared by the telephony tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.grid_default_area_code = "4012"
        cls.company.resource_calendar_id.tz = "Europe/Kaliningrad"
        groups = "grid_contact_center.group_%s"
        cls.operator = new_test_user(
            cls.env, "tel_operator", groups=groups % "operator", tz="Europe/Kaliningrad"
        )
        cls.operator.grid_phone_extension = "101"
        cls.operator_2 = new_test_user(
            cls.env, "tel_operator_2", groups=groups % "operator"
        )
        cls.operator_2.grid_phone_extension = "102"
        cls.supervisor = new_test_user(
            cls.env, "tel_supervisor", groups=groups % "supervisor"
        )
        cls.manager = new_test_user(cls.env, "tel_manager", groups=groups % "manager")
        cls.provider = cls.env["grid.telephony.provider"].create(
            {
                "name": "Test Asterisk",
                "code": "test-asterisk",
                "kind": "generic",
                "sequence": 1,
                "webhook_secret": WEBHOOK_SECRET,
            }
        )
        cls.settlement = cls.env["grid.settlement"].create({"name": "Калининград"})
        cls.consumer = cls.env["res.partner"].create(
            {
                "name": "Смирнов Олег Иванович",
                "consumer_category": "household",
                "account_number": "TEL-0001",
                "phone": "8 (4012) 55-66-77",
                "mobile": "+7 911 000-11-22",
            }
        )
        cls.service_point = cls.env["grid.service.point"].create(
            {
                "name": "TEL-SP-1",
                "partner_id": cls.consumer.id,
                "settlement_id": cls.settlement.id,
                "street": "ул. Гагарина",
                "house": "7",
            }
        )
        # Two consumers of one flat share a landline.
        cls.shared_a, cls.shared_b = cls.env["res.partner"].create(
            [
                {
                    "name": "Петров Пётр",
                    "consumer_category": "household",
                    "phone": "556600",
                },
                {
                    "name": "Петрова Анна",
                    "consumer_category": "household",
                    "phone": "8 4012 556600",
                },
            ]
        )
        cls.start = datetime(2026, 3, 2, 9, 0, 0, tzinfo=timezone.utc)

    def event(self, kind, call_id="call-1", seconds=0, **fields):
        """A webhook event of `kind`, `seconds` after the start."""
        when = self.start + timedelta(seconds=seconds)
        event = {
            "event_id": f"{call_id}:{kind}:{fields.pop('leg', '')}",
            "call_id": call_id,
            "type": kind,
            "occurred_at": when.isoformat(),
            "direction": "inbound",
            "caller_number": "8 (4012) 55-66-77",
            "called_number": "4012000000",
        }
        event.update(fields)
        return event

    def process(self, events, provider=None):
        provider = provider or self.provider
        calls = self.env["grid.call"].sudo().with_company(provider.company_id)
        return calls._grid_process_events(provider, events)

    def call(self, call_id="call-1", provider=None):
        provider = provider or self.provider
        return (
            self.env["grid.call"]
            .sudo()
            .search(
                [("provider_id", "=", provider.id), ("external_call_id", "=", call_id)]
            )
        )

    def queue_call(self, call_id="call-1"):
        """The events of an inbound queue call answered by extension 101."""
        return [
            self.event("started", call_id, 0),
            self.event("queued", call_id, 5, queue="outages"),
            self.event(
                "ringing", call_id, 12, queue="outages", agent_extension="101", leg="a"
            ),
            self.event(
                "ringing", call_id, 12, queue="outages", agent_extension="102", leg="b"
            ),
            self.event("answered", call_id, 20, queue="outages", agent_extension="101"),
            self.event(
                "ended",
                call_id,
                80,
                queue="outages",
                outcome="answered",
                hangup_cause=16,
                hangup_cause_text="Normal Clearing",
            ),
        ]
