import logging
import random
from datetime import timedelta

import pytz

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

# What consumers ask or report, per topic code. Invented, in Russian like the
# demo consumers.
DEMO_REQUESTS = {
    "1.1": [
        "Как подать заявку на технологическое присоединение жилого дома?",
        "На какой стадии заявка на присоединение садового участка?",
    ],
    "1.2": ["Какие условия договора на передачу электроэнергии?"],
    "1.3": [
        "Когда истекает межповерочный интервал счётчика?",
        "Как опломбировать новый счётчик?",
    ],
    "1.4": ["Где ближайший офис обслуживания и как он работает?"],
    "1.5": [
        "Куда обращаться по вопросу квитанции за электроэнергию?",
        "Телефон гарантирующего поставщика в посёлке.",
    ],
    "2": [
        "Почему изменился тариф на передачу?",
        "Можно ли перенести прибор учёта на фасад дома?",
    ],
    "3": ["Передаёт показания: Т1 012345, Т2 004321."],
    "4": [
        "Соседи подключились к линии мимо счётчика.",
        "Сняты провода с опоры на соседней улице.",
    ],
    "4.1": [
        "Мигает свет по вечерам, напряжение около 180 В.",
        "Сгорел холодильник после скачка напряжения.",
    ],
    "4.2": [
        "Нет света во всём доме с утра.",
        "Отключилось электричество на улице.",
    ],
    "5": ["Когда дадут свет после аварии?"],
    "6": ["Предупреждение о плановых работах на линии."],
    "7": ["Сообщение о готовности технических условий."],
    "8": ["Повторный звонок по вопросу о счётчике."],
    "9": [
        "Жалоба на срыв сроков присоединения.",
        "Жалоба на грубость сотрудника в офисе.",
    ],
    "10": ["Сводка обращений об отключениях для диспетчера."],
    "11": ["Опрос о качестве обслуживания."],
}
DEMO_ANSWERS = [
    "Дана консультация, вопрос решён.",
    "Сообщены сроки и порядок действий.",
    "Передано в ответственное подразделение, ответ дан по телефону.",
]
# Incoming channels and how often each occurs.
DEMO_CHANNELS = [
    ("phone_in", 60),
    ("website", 10),
    ("email", 9),
    ("office", 8),
    ("letter", 7),
    ("messenger", 6),
]
DEMO_BATCH = 100


class GridInteraction(models.Model):
    _inherit = "grid.interaction"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _demo_create_month(self, count=300, days=30, seed=2026):
        """Create ``count`` invented interactions received during the last
        ``days`` days, across all topics, for the demo database.

        Dates are relative to today so that the demo always looks current;
        the fixed seed makes the same data on every installation day.
        """
        rng = random.Random(seed)
        consumers = self.env["res.partner"].search(
            [("consumer_category", "!=", False)], order="id"
        )
        topics = self.env["grid.topic"].search([("child_ids", "=", False)], order="id")
        operators = self.env.ref("grid_contact_center.group_operator").users.sorted(
            "id"
        )
        if not consumers or not topics or not operators:
            _logger.warning("Demo interactions skipped: no consumers, topics or users")
            return self.browse()
        company = self.env.company
        timezone = company._grid_timezone()
        now = fields.Datetime.now()
        vals_list = []
        for _index in range(count):
            topic = rng.choice(topics)
            partner = rng.choice(consumers)
            received = self._demo_received_at(rng, now, days, timezone)
            vals_list.append(
                self._demo_values(rng, topic, partner, received, operators, now)
            )
        vals_list.sort(key=lambda vals: vals["received_at"])
        interactions = self.browse()
        quiet = self.with_context(tracking_disable=True, mail_create_nolog=True)
        for start in range(0, len(vals_list), DEMO_BATCH):
            interactions |= quiet.create(vals_list[start : start + DEMO_BATCH])
        interactions._demo_add_callbacks(rng, now)
        interactions._demo_add_appointments(rng, now)
        _logger.info("Created %s demo interactions", len(interactions))
        return interactions

    @api.model
    def _demo_received_at(self, rng, now, days, timezone):
        """Return a time of the last ``days`` days between 08:00 and 20:00
        local time, never in the future."""
        day = (now - timedelta(days=rng.randrange(days))).date()
        local = timezone.localize(
            fields.Datetime.to_datetime(day)
            + timedelta(hours=8, minutes=rng.randrange(12 * 60))
        )
        received = local.astimezone(pytz.utc).replace(tzinfo=None)
        return min(received, now - timedelta(minutes=rng.randrange(5, 120)))

    @api.model
    def _demo_values(self, rng, topic, partner, received, operators, now):
        outbound = topic.kind in ("outbound_notice", "survey")
        channel = "phone_out" if outbound else _weighted(rng, DEMO_CHANNELS)
        phone_channel = channel in ("phone_in", "phone_out")
        answered_in_contact = (
            phone_channel
            and topic.kind != "complaint"
            and (outbound or rng.random() < 0.6)
        )
        age = now - received
        vals = {
            "channel": channel,
            "received_at": received,
            "partner_id": partner.id,
            "service_point_id": partner.service_point_ids[:1].id,
            "caller_name": partner.name,
            "caller_phone": (partner.mobile or partner.phone)
            if phone_channel
            else False,
            "topic_id": topic.id,
            "description": rng.choice(DEMO_REQUESTS.get(topic.code, ["—"])),
            "answered_in_contact": answered_in_contact,
            "user_id": rng.choice(operators).id if rng.random() < 0.9 else False,
        }
        if answered_in_contact:
            vals.update(
                {
                    "answer": rng.choice(DEMO_ANSWERS),
                    "state": "closed" if age > timedelta(days=1) else "answered",
                    "answered_at": received + timedelta(minutes=5),
                }
            )
        elif topic.kind == "complaint":
            vals.update(self._demo_complaint_values(rng, received, age))
        elif topic.routing != "none" and age > timedelta(hours=2):
            vals["state"] = "forwarded" if age < timedelta(days=3) else "closed"
            if vals["state"] == "closed":
                vals["answer"] = "Работы выполнены, потребитель уведомлён."
                vals["answered_at"] = received + timedelta(days=1)
        elif age > timedelta(days=5) and rng.random() < 0.85:
            vals.update(
                {
                    "answer": rng.choice(DEMO_ANSWERS),
                    "state": "closed",
                    "answered_at": received + timedelta(days=rng.randint(1, 4)),
                }
            )
        elif age > timedelta(hours=1):
            vals["state"] = "in_progress"
        if vals.get("state") == "closed":
            vals["closed_at"] = vals["answered_at"] + timedelta(hours=1)
        return vals

    @api.model
    def _demo_complaint_values(self, rng, received, age):
        vals = {
            "complaint_demands": "Разобраться и сообщить о принятых мерах.",
            "complaint_incident_at": received - timedelta(days=rng.randint(1, 10)),
        }
        if age > timedelta(days=20):
            answered_on = (received + timedelta(days=rng.randint(10, 20))).date()
            vals.update(
                {
                    "answer": "Проведена проверка, ответ направлен письмом.",
                    "complaint_resolution": "Сотруднику указано на нарушение.",
                    "complaint_justified": rng.choice(
                        ["justified", "partly", "unjustified"]
                    ),
                    "complaint_answer_date": answered_on,
                    "answered_at": fields.Datetime.to_datetime(answered_on),
                    "state": "closed",
                }
            )
        elif age > timedelta(days=1):
            vals["state"] = "in_progress"
        return vals

    def _demo_add_callbacks(self, rng, now):
        """Log callback attempts on the past callbacks: most reached the
        consumer in time, some late or after a failed first attempt, and a
        few were missed for the supervisor's list."""
        attempts = []
        for interaction in self.filtered(
            lambda record: (
                record.callback_required
                and record.callback_due
                and record.callback_due < now
            )
        ):
            draw = rng.random()
            if draw < 0.15:
                continue
            user = interaction.user_id or self.env.user
            first = interaction.received_at + timedelta(minutes=rng.randint(20, 90))
            if draw < 0.3:
                attempts.append(
                    _attempt(interaction, user, first, "no_answer", "Не отвечает.")
                )
                first += timedelta(hours=rng.choice([1, 5]))
            # Attempts in the future are rejected.
            first = min(first, now)
            attempts.append(_attempt(interaction, user, first, "reached", ""))
        if attempts:
            self.env["grid.callback.attempt"].with_context(
                tracking_disable=True
            ).create(attempts)

    def _demo_add_appointments(self, rng, now):
        """Book office visits for some reference questions: visits of the
        past were attended or missed, visits of the next two weeks are
        booked."""
        offices = self.env["grid.office"].search([])
        if not offices:
            return
        today = fields.Date.context_today(self)
        appointments = self.env["grid.appointment"]
        for interaction in self.filtered(
            lambda record: record.topic_id.code in ("1.1", "1.4")
        )[:24]:
            office = rng.choice(offices)
            future = rng.random() < 0.5
            first = today + timedelta(days=1) if future else today - timedelta(days=20)
            last = first + timedelta(days=14 if future else 19)
            free = [
                start
                for start, _end, seats in office._availability(first, last)
                if seats and (start > now if future else start < now)
            ]
            if not free:
                continue
            state = (
                "booked" if future else rng.choice(["attended", "attended", "no_show"])
            )
            appointments |= appointments.create(
                {
                    "partner_id": interaction.partner_id.id,
                    "service_point_id": interaction.service_point_id.id,
                    "office_id": office.id,
                    "slot_start": rng.choice(free),
                    "topic_id": interaction.topic_id.id,
                    "interaction_id": interaction.id,
                    "user_id": interaction.user_id.id,
                    "state": state,
                }
            )
        return appointments


def _weighted(rng, choices):
    values = [value for value, _weight in choices]
    weights = [weight for _value, weight in choices]
    return rng.choices(values, weights=weights)[0]


def _attempt(interaction, user, called_at, result, note):
    return {
        "interaction_id": interaction.id,
        "user_id": user.id,
        "called_at": called_at,
        "result": result,
        "note": note or False,
    }
