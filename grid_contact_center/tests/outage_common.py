from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.fields import Command

from .common import GridContactCenterCase

# A fixed moment for the tests of outages: Wednesday 14 January 2026, 10:00
# UTC, which is 13:00 in Moscow, outside everyone's quiet hours.
NOW = datetime(2026, 1, 14, 10, 0)


class GridOutageCase(GridContactCenterCase):
    """A small grid over the shared test service point and a few more:

    PS-T1 (substation)
    ├── F-T1 (feeder): TP-T1 (the shared service point and ``point_a2``),
    │                  TP-T2 (``point_b``), line L-T1 under TP-T1 (``point_line``)
    └── F-T2 (feeder): TP-T3 (``point_c``)
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "grid_outage_group_window": 30,
                "grid_outage_group_threshold": 2,
                "grid_duty_supervisor_id": cls.supervisor.id,
            }
        )

        elements = cls.env["grid.element"]
        cls.substation = elements.create(
            {"name": "ПС Тестовая", "code": "PS-T1", "kind": "substation"}
        )
        cls.feeder = elements.create(
            {
                "name": "Ф-Т1",
                "code": "F-T1",
                "kind": "feeder",
                "parent_id": cls.substation.id,
            }
        )
        cls.feeder_2 = elements.create(
            {
                "name": "Ф-Т2",
                "code": "F-T2",
                "kind": "feeder",
                "parent_id": cls.substation.id,
            }
        )
        cls.tp_1, cls.tp_2 = elements.create(
            [
                {
                    "name": "ТП-Т1",
                    "code": "TP-T1",
                    "kind": "transformer_substation",
                    "parent_id": cls.feeder.id,
                },
                {
                    "name": "ТП-Т2",
                    "code": "TP-T2",
                    "kind": "transformer_substation",
                    "parent_id": cls.feeder.id,
                },
            ]
        )
        cls.tp_3 = elements.create(
            {
                "name": "ТП-Т3",
                "code": "TP-T3",
                "kind": "transformer_substation",
                "parent_id": cls.feeder_2.id,
            }
        )
        cls.line = elements.create(
            {
                "name": "ВЛ-0,4 Т1",
                "code": "L-T1",
                "kind": "line",
                "parent_id": cls.tp_1.id,
            }
        )

        partners = cls.env["res.partner"]
        cls.consumer_sms = partners.create(
            {
                "name": "Петров Сергей Николаевич",
                "consumer_category": "household",
                "account_number": "390099001",
                "mobile": "+7 921 555-10-20",
                "email": "petrov@example.com",
                "notify_sms": True,
                "notify_email": True,
                "notify_call": True,
                "quiet_hours_start": 22.0,
                "quiet_hours_end": 8.0,
                "tz": "Europe/Moscow",
            }
        )
        cls.consumer_email = partners.create(
            {
                "name": "ООО «Янтарь»",
                "consumer_category": "legal_entity",
                "account_number": "390099002",
                "phone": "8 (4012) 11-22-33",
                "email": "office@yantar.example.com",
                "notify_email": True,
                "notify_call": True,
                "tz": "Europe/Moscow",
            }
        )
        cls.consumer_call = partners.create(
            {
                "name": "Кузнецова Анна Игоревна",
                "consumer_category": "household",
                "account_number": "390099003",
                "phone": "8 (4012) 44-55-66",
                "notify_call": True,
                "tz": "Europe/Moscow",
            }
        )
        cls.consumer_silent = partners.create(
            {
                "name": "Смирнов Олег Павлович",
                "consumer_category": "household",
                "account_number": "390099004",
                "mobile": "+7 911 000-00-04",
                "tz": "Europe/Moscow",
            }
        )

        cls.service_point.grid_element_id = cls.tp_1
        points = cls.env["grid.service.point"]
        cls.point_a2 = points.create(
            {
                "name": "SP-TEST-0002",
                "partner_id": cls.consumer_sms.id,
                "settlement_id": cls.settlement.id,
                "street": "ул. Янтарная",
                "house": "10",
                "grid_element_id": cls.tp_1.id,
            }
        )
        cls.point_b = points.create(
            {
                "name": "SP-TEST-0003",
                "partner_id": cls.consumer_email.id,
                "settlement_id": cls.settlement.id,
                "street": "ул. Морская",
                "house": "2",
                "reliability_category": "2",
                "grid_element_id": cls.tp_2.id,
            }
        )
        cls.point_line = points.create(
            {
                "name": "SP-TEST-0004",
                "partner_id": cls.consumer_call.id,
                "settlement_id": cls.settlement.id,
                "street": "ул. Янтарная",
                "house": "12",
                "grid_element_id": cls.line.id,
            }
        )
        cls.point_c = points.create(
            {
                "name": "SP-TEST-0005",
                "partner_id": cls.consumer_silent.id,
                "settlement_id": cls.settlement.id,
                "street": "ул. Лесная",
                "house": "1",
                "grid_element_id": cls.tp_3.id,
            }
        )

        # Campaigns of the demo data would share the queue with the tests'.
        cls.env["grid.notice.campaign"].search(
            [("state", "in", ("queued", "running"))]
        ).action_cancel()
        cls.topic_quality = cls.env.ref("grid_contact_center.topic_4_1")
        cls.topic_unmetered = cls.env.ref("grid_contact_center.topic_4")

    @classmethod
    def _outage(cls, elements, **values):
        return cls.env["grid.outage"].create(
            {
                "kind": "emergency",
                "state": "repair",
                "element_ids": [Command.set(elements.ids)],
                "start_at": NOW - timedelta(hours=1),
                **values,
            }
        )

    def _report(self, point, minutes=0, topic=None, env=None, **values):
        """Register a report from ``point`` ``minutes`` after NOW, as the
        current user unless ``env`` is given."""
        received_at = NOW + timedelta(minutes=minutes)
        # The report is registered when it arrives, because the register
        # rejects received times in the future.
        with freeze_time(max(received_at, NOW)):
            report = (env or self.env)["grid.interaction"].create(
                {
                    "channel": "phone_in",
                    "partner_id": point.partner_id.id,
                    "service_point_id": point.id,
                    "topic_id": (topic or self.topic_outage).id,
                    "received_at": received_at,
                    **values,
                }
            )
            report.flush_recordset()
        return report
