import json
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, format_datetime

from odoo.addons.grid_contact_center.tools.phone import (
    e164_from_key,
    has_caller_id,
    phone_key,
)

from ..tools.events import EventError, validate_event

_logger = logging.getLogger(__name__)

DIRECTIONS = [
    ("inbound", "Inbound"),
    ("outbound", "Outbound"),
    ("internal", "Internal"),
]
STATES = [
    ("started", "Started"),
    ("queued", "Queued"),
    ("ringing", "Ringing"),
    ("answered", "Talking"),
    ("ended", "Ended"),
]
STATE_RANK = {state: rank for rank, (state, _label) in enumerate(STATES)}
OUTCOMES = [
    ("answered", "Answered"),
    ("abandoned", "Abandoned"),
    ("busy", "Busy"),
    ("no_answer", "No Answer"),
    ("failed", "Failed"),
]
SOURCES = [
    ("webhook", "Call Events"),
    ("cdr", "CDR Import"),
    ("click_to_dial", "Click to Dial"),
]
# What an operator may change on a call: the links to the consumer and to the
# interaction. Everything else comes from the PBX.
OPERATOR_WRITABLE = frozenset({"partner_id", "service_point_id", "interaction_id"})
BUS_RINGING = "grid_telephony/ringing"
BUS_UPDATE = "grid_telephony/call_update"


class GridCall(models.Model):
    """One telephone call as the PBX reported it: the call log."""

    _name = "grid.call"
    _description = "Call"
    _order = "arrived_at desc, id desc"
    _rec_name = "external_call_id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    provider_id = fields.Many2one(
        "grid.telephony.provider", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    external_call_id = fields.Char(
        string="Call ID",
        required=True,
        help="The PBX's identifier of the call (Asterisk's Linkedid).",
    )
    source = fields.Selection(SOURCES, required=True, default="webhook")
    direction = fields.Selection(DIRECTIONS, index=True)
    state = fields.Selection(STATES, required=True, default="started", index=True)
    outcome = fields.Selection(OUTCOMES, index=True)
    caller_number = fields.Char(help="The calling number as the PBX sent it.")
    caller_name = fields.Char()
    caller_e164 = fields.Char(string="Caller (E.164)")
    called_number = fields.Char(help="The dialled number as the PBX sent it.")
    called_name = fields.Char()
    called_e164 = fields.Char(string="Called (E.164)")
    contact_number_key = fields.Char(
        index="btree_not_null",
        help="The consumer's side of the call (the caller of an inbound call, "
        "the called number of an outbound one) as the phone index's key.",
    )
    queue = fields.Char(index="btree_not_null")
    agent_extension = fields.Char()
    agent_id = fields.Many2one("res.users", string="Agent", index="btree_not_null")
    rang_user_ids = fields.Many2many(
        "res.users",
        "grid_call_rang_user_rel",
        "call_id",
        "user_id",
        string="Rang For",
        help="Agents whose phones rang and whose screens showed the caller.",
    )
    arrived_at = fields.Datetime(required=True, index=True)
    queued_at = fields.Datetime()
    answered_at = fields.Datetime()
    ended_at = fields.Datetime()
    wait_seconds = fields.Integer(aggregator="avg")
    talk_seconds = fields.Integer(aggregator="avg")
    durations_from_pbx = fields.Boolean(
        string="Durations from the PBX",
        help="The PBX measured the wait and talk seconds (a queue's hold and "
        "talk times); otherwise they are computed from the call's times.",
    )
    hangup_cause = fields.Integer(help="Q.850 cause code of the caller's hang-up.")
    hangup_cause_text = fields.Char()
    recording_url = fields.Char(string="Recording Link")
    partner_id = fields.Many2one(
        "res.partner",
        string="Consumer",
        index="btree_not_null",
        help="Set when exactly one consumer has the number, or chosen by the "
        "operator among the matches.",
    )
    service_point_id = fields.Many2one("grid.service.point", index="btree_not_null")
    matched_partner_ids = fields.Many2many(
        "res.partner",
        "grid_call_matched_partner_rel",
        "call_id",
        "partner_id",
        string="Consumers with This Number",
    )
    matched_service_point_ids = fields.Many2many(
        "grid.service.point",
        "grid_call_matched_service_point_rel",
        "call_id",
        "service_point_id",
        string="Service Points with This Number",
    )
    match_count = fields.Integer(compute="_compute_match_count")
    interaction_id = fields.Many2one(
        "grid.interaction", index="btree_not_null", ondelete="set null"
    )
    event_ids = fields.One2many("grid.call.event", "call_id", string="Events")

    _sql_constraints = [
        (
            "call_unique",
            "unique (provider_id, external_call_id)",
            "This provider already has a call with this id.",
        ),
    ]

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("caller_number", "caller_name", "called_number", "direction")
    def _compute_display_name(self):
        for call in self:
            if call.direction == "outbound":
                number = call.called_number or call.called_name
            else:
                number = call.caller_name or call.caller_number
            call.display_name = number or call.external_call_id

    @api.depends("matched_partner_ids", "matched_service_point_ids")
    def _compute_match_count(self):
        for call in self:
            call.match_count = len(
                call.matched_partner_ids | call.matched_service_point_ids.partner_id
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if not self.env.su and not self.env.user.has_group(
            "grid_contact_center.group_supervisor"
        ):
            forbidden = set(vals) - OPERATOR_WRITABLE
            if forbidden:
                labels = sorted(
                    self._fields[name]._description_string(self.env)
                    if name in self._fields
                    else name
                    for name in forbidden
                )
                raise AccessError(
                    self.env._(
                        "Operators can only link a call to a consumer, a service "
                        "point or an interaction. These fields come from the PBX: "
                        "%(fields)s.",
                        fields=", ".join(labels),
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_new_interaction(self):
        """Open the operator's desk prefilled from the call, so that the
        interaction registered there is linked to the call.

        The desk gets the call's consumer when the phone index matched
        exactly one, or the one the operator chose in the caller's card
        (context key ``grid_partner_id``). Otherwise it searches the number
        itself and lists every consumer with it.
        """
        self.ensure_one()
        self.check_access("read")
        partner = self.partner_id
        if self.env.context.get("grid_partner_id"):
            partner = self.env["res.partner"].browse(
                self.env.context["grid_partner_id"]
            )
        point = self.service_point_id
        if self.env.context.get("grid_service_point_id"):
            point = self.env["grid.service.point"].browse(
                self.env.context["grid_service_point_id"]
            )
            partner = partner or point.partner_id
        if point.partner_id != partner:
            point = point.browse()
        inbound = self.direction != "outbound"
        if inbound:
            number = self.caller_e164 or self.caller_number
        else:
            number = self.called_e164 or self.called_number
        context = {
            "default_call_id": self.id,
            "default_channel": "phone_in" if inbound else "phone_out",
            "default_received_at": fields.Datetime.to_string(self.arrived_at),
            # E.164 when the number was read, so that the desk finds the
            # consumers that the call matched whatever the PBX's area code.
            "default_caller_phone": number if has_caller_id(number) else False,
            "default_caller_name": (inbound and self.caller_name) or False,
        }
        if partner:
            context["default_partner_id"] = partner.id
        if point:
            context["default_service_point_id"] = point.id
        return self.env["grid.desk"]._action_open(context)

    def action_open_interaction(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "grid.interaction",
            "res_id": self.interaction_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------
    # Screen pop
    # ------------------------------------------------------------

    def get_screen_pop(self):
        """Return the caller's card for the browser: the call, the consumers
        and service points with its number, their open interactions and the
        active outages at those service points. Reads as the current user,
        so the card shows only what the agent may see."""
        self.ensure_one()
        self.check_access("read")
        partners = self.matched_partner_ids | self.matched_service_point_ids.partner_id
        partners = partners.filtered(lambda p: p.has_access("read"))
        points = self.matched_service_point_ids | partners.service_point_ids
        points = points.filtered(lambda p: p.has_access("read"))
        interactions = self.env["grid.interaction"].search(
            [
                ("partner_id", "in", partners.ids),
                ("state", "in", ("new", "in_progress", "forwarded")),
            ],
            limit=20,
        )
        return {
            "call": {
                "id": self.id,
                "direction": self.direction,
                "state": self.state,
                "caller_number": self.caller_number or "",
                "caller_name": self.caller_name or "",
                "called_number": self.called_number or "",
                "queue": self.queue or "",
                "has_caller_id": bool(self.caller_e164),
                "interaction_id": self.interaction_id.id,
            },
            "consumers": [
                {
                    "id": partner.id,
                    "name": partner.display_name,
                    "account_number": partner.account_number or "",
                    "category": dict(
                        partner._fields["consumer_category"]._description_selection(
                            self.env
                        )
                    ).get(partner.consumer_category, ""),
                }
                for partner in partners
            ],
            "service_points": [
                {
                    "id": point.id,
                    "name": point.name,
                    "address": point.full_address or "",
                    "partner_id": point.partner_id.id,
                }
                for point in points
            ],
            "interactions": [
                {
                    "id": interaction.id,
                    "name": interaction.name,
                    "topic": interaction.topic_id.display_name or "",
                    "state": interaction.state,
                    "partner_id": interaction.partner_id.id,
                }
                for interaction in interactions
            ],
            "outages": self._grid_outage_cards(points),
        }

    def _grid_outage_cards(self, points):
        """Return the active outages at the service points as the caller's
        card shows them: the number, the estimated restoration time and the
        summary that the agent reads out. Both give the time in the company's
        time zone, where the caller lives, whatever the agent's."""
        outages = self.env["grid.outage"]._active_for_service_points(points)
        timezone = self.company_id._grid_timezone().zone
        return [
            {
                "id": outage.id,
                "name": outage.name,
                "kind": outage.kind,
                "etr": format_datetime(
                    self.env, outage.etr, tz=timezone, dt_format="short"
                )
                if outage.etr
                else "",
                "summary": outage._caller_summary(),
            }
            for outage in outages.sorted("start_at")
        ]

    def _grid_notify(self, users, notification, payload):
        for user in users:
            user._bus_send(notification, payload)

    # ------------------------------------------------------------
    # Call events
    # ------------------------------------------------------------

    @api.model
    def _grid_process_events(self, provider, raw_events):
        """Apply a batch of webhook events for a provider.

        Returns one result per event, in order: accepted, duplicate, or
        rejected with the error. The batch costs a few queries for all its
        events (their rows, the calls' rows and locks, agents and phone
        matches) plus the updates of each call. A call whose events fail to
        apply is rolled back alone and its events are reported rejected, so
        the sender keeps them. Runs as superuser: the caller authenticated
        the request.
        """
        results = [None] * len(raw_events)
        valid = []
        seen = set()
        now = fields.Datetime.now()
        for index, raw in enumerate(raw_events):
            event_id = raw.get("event_id") if isinstance(raw, dict) else None
            try:
                event = validate_event(raw, now)
            except EventError as error:
                _logger.warning(
                    "Provider %s: call event %r rejected: %s",
                    provider.code,
                    event_id,
                    error,
                )
                results[index] = {
                    "event_id": str(event_id or ""),
                    "status": "rejected",
                    "error": str(error),
                }
                continue
            if event["event_id"] in seen:
                results[index] = {"event_id": event["event_id"], "status": "duplicate"}
                continue
            seen.add(event["event_id"])
            valid.append((index, event, raw))
        if not valid:
            return results
        calls = self._grid_lock_calls(provider, [event for _i, event, _r in valid])
        rows = self._grid_insert_events(provider, valid, calls)
        cache = self._grid_batch_cache(provider, [event for _i, event, _r in valid])
        by_call = {}
        for index, event, _raw in valid:
            if event["event_id"] in rows:
                by_call.setdefault(event["call_id"], []).append((index, event))
            else:
                results[index] = {"event_id": event["event_id"], "status": "duplicate"}
        for call_id, items in by_call.items():
            call, created = calls[call_id]
            status = {"status": "accepted"}
            try:
                # The savepoint flushes the call's changes before its release,
                # so that a failing update is rolled back here too.
                with self.env.cr.savepoint():
                    for _index, event in items:
                        call._grid_apply(event, created, cache)
                        created = False
            except Exception as error:
                # A fault of ours must not hold back the other calls: their
                # events are kept out of the log so that a retry applies them.
                _logger.exception(
                    "Provider %s: events of call %s could not be applied",
                    provider.code,
                    call_id,
                )
                self.env.cr.execute(
                    "DELETE FROM grid_call_event WHERE id = ANY(%s)",
                    ([rows[event["event_id"]] for _index, event in items],),
                )
                self.env.invalidate_all()
                status = {
                    "status": "rejected",
                    "error": f"internal error: {type(error).__name__}",
                }
            for index, event in items:
                results[index] = {"event_id": event["event_id"], **status}
        return results

    @api.model
    def _grid_lock_calls(self, provider, events):
        """Return {call id: (call, created)} for the events' calls, creating
        missing ones from their first event, with the rows locked until the
        transaction ends so that concurrent events of a call wait for each
        other. Rows are taken in one order to avoid deadlocks."""
        first = {}
        for event in events:
            first.setdefault(event["call_id"], event)
        now = self.env.cr.now()
        values = [
            SQL(
                "(%s, %s, %s, 'webhook', 'started', %s, %s, %s, %s, %s, %s)",
                provider.id,
                provider.company_id.id,
                call_id,
                event["occurred_at"],
                event["direction"] or None,
                self.env.uid,
                self.env.uid,
                now,
                now,
            )
            for call_id, event in sorted(first.items())
        ]
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO grid_call (provider_id, company_id, external_call_id,
                    source, state, arrived_at, direction, create_uid, write_uid,
                    create_date, write_date)
                VALUES %s
                ON CONFLICT (provider_id, external_call_id) DO NOTHING
                RETURNING id, external_call_id
                """,
                SQL(", ").join(values),
            )
        )
        found = self.env.cr.fetchall()
        created = {row[1] for row in found}
        existing = sorted(set(first) - created)
        if existing:
            # Rows this transaction inserted are its own until it commits;
            # the others are locked here.
            self.env.cr.execute(
                SQL(
                    """
                    SELECT id, external_call_id FROM grid_call
                     WHERE provider_id = %s AND external_call_id = ANY(%s)
                     ORDER BY external_call_id
                     FOR NO KEY UPDATE
                    """,
                    provider.id,
                    existing,
                )
            )
            found += self.env.cr.fetchall()
        result = {}
        for row_id, call_id in found:
            record = self.browse(row_id)
            if call_id in created:
                event = first[call_id]
                record._grid_cache_inserted(
                    {
                        "provider_id": provider.id,
                        "company_id": provider.company_id.id,
                        "external_call_id": call_id,
                        "source": "webhook",
                        "state": "started",
                        "arrived_at": event["occurred_at"],
                        "direction": event["direction"] or False,
                        "create_uid": self.env.uid,
                        "write_uid": self.env.uid,
                        "create_date": now,
                        "write_date": now,
                    }
                )
            else:
                # The row may have changed since this transaction first read it.
                record.invalidate_recordset()
            result[call_id] = (record, call_id in created)
        return result

    def _grid_cache_inserted(self, values):
        """Put the row that this transaction has just inserted with ``values``
        into the cache, so that applying the call's first event reads
        nothing back. Every other column of the row is empty, and so are its
        many2many relations."""
        self.ensure_one()
        empty = {
            name: False
            for name, field in self._fields.items()
            if field.store
            and (field.column_type or field.type == "many2many")
            and name not in values
        }
        self._update_cache({**empty, **values}, validate=False)

    @api.model
    def _grid_insert_events(self, provider, valid, calls):
        """Insert the events that this provider never sent before; return
        {event id: row id} of the new ones."""
        values = [
            SQL(
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                provider.id,
                provider.company_id.id,
                event["event_id"],
                calls[event["call_id"]][0].id,
                event["type"],
                event["occurred_at"],
                json.dumps(raw, ensure_ascii=False, default=str),
                self.env.uid,
                self.env.uid,
                SQL("now() at time zone 'UTC'"),
                SQL("now() at time zone 'UTC'"),
                SQL("now() at time zone 'UTC'"),
            )
            for _index, event, raw in valid
        ]
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO grid_call_event (provider_id, company_id, event_id,
                    call_id, event_type, occurred_at, payload, create_uid,
                    write_uid, received_at, create_date, write_date)
                VALUES %s
                ON CONFLICT (provider_id, event_id) DO NOTHING
                RETURNING event_id, id
                """,
                SQL(", ").join(values),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _grid_batch_cache(self, provider, events):
        """Return the agents by extension, the phone index keys of the
        numbers and the index rows by key for a batch of events, each read
        with one query."""
        extensions = {e["agent_extension"] for e in events if e["agent_extension"]}
        agents = {}
        if extensions:
            users = (
                self.env["res.users"]
                .sudo()
                .search(
                    [
                        ("grid_phone_extension", "in", list(extensions)),
                        ("company_ids", "in", provider.company_id.ids),
                    ]
                )
            )
            for user in users:
                agents.setdefault(user.grid_phone_extension, user)
        area = provider._area_code()
        keys = {}
        for event in events:
            for name in ("caller_number", "called_number"):
                if event[name] and event[name] not in keys:
                    keys[event[name]] = phone_key(event[name], area)
        found = {key[0] for key in keys.values() if key}
        return {
            "agents": agents,
            "keys": keys,
            "matches": self._grid_match_keys(found, provider.company_id),
        }

    def _grid_apply(self, event, created, cache=None):
        """Merge one validated event into the call. Fields that the event
        leaves empty keep their value; the earliest arrival and answer win;
        the state only moves forward."""
        self.ensure_one()
        kind = event["type"]
        agent = (
            self._grid_agent(event["agent_extension"], cache)
            if event["agent_extension"]
            else None
        )
        vals = self._grid_text_values(event, created)
        vals.update(self._grid_time_values(event))
        if kind == "answered" and agent is not None:
            vals["agent_extension"] = event["agent_extension"]
            vals["agent_id"] = agent.id
        if kind == "ended" and agent is not None and not self.agent_extension:
            vals["agent_extension"] = event["agent_extension"]
            vals["agent_id"] = agent.id
        if kind in STATE_RANK and STATE_RANK[kind] > STATE_RANK[self.state]:
            vals["state"] = kind
        if kind == "ringing" and agent and agent not in self.rang_user_ids:
            vals["rang_user_ids"] = [fields.Command.link(agent.id)]
        if {"caller_number", "called_number", "direction"} & set(vals):
            vals.update(
                self._grid_identification_values(
                    {**self._cache_values(), **vals}, cache, fresh=created
                )
            )
        if vals:
            self.write(vals)
        if self.state == "ended":
            self._grid_update_durations(event)
        if kind == "ringing" and agent and self.direction != "outbound":
            self._grid_notify(agent, BUS_RINGING, self._grid_bus_payload())
        elif kind in ("answered", "ended") and self.rang_user_ids:
            self._grid_notify(self.rang_user_ids, BUS_UPDATE, self._grid_bus_payload())

    def _grid_text_values(self, event, created):
        vals = {}
        for name in ("direction", "caller_name", "called_name", "queue"):
            if event[name] and (created or not self[name]):
                vals[name] = event[name]
        for name in ("caller_number", "called_number"):
            if event[name] and not self[name]:
                vals[name] = event[name]
        if event["recording_url"]:
            vals["recording_url"] = event["recording_url"]
        if event["type"] == "ended":
            vals["outcome"] = event["outcome"]
            vals["hangup_cause"] = event["hangup_cause"] or 0
            vals["hangup_cause_text"] = event["hangup_cause_text"] or False
        return vals

    def _grid_time_values(self, event):
        kind, when = event["type"], event["occurred_at"]
        vals = {}
        if kind == "started" and when < self.arrived_at:
            vals["arrived_at"] = when
        if kind == "queued" and (not self.queued_at or when < self.queued_at):
            vals["queued_at"] = when
        answered = kind == "answered" or (
            kind == "ended" and event["outcome"] == "answered"
        )
        if answered and (not self.answered_at or when < self.answered_at):
            vals["answered_at"] = when
        if kind == "ended":
            vals["ended_at"] = when
        return vals

    def _grid_update_durations(self, event):
        """Wait and talk seconds of an ended call: the PBX's own figures when
        an ended event brought them, else from the times."""
        vals = {}
        if event["type"] == "ended" and event["wait_seconds"] is not None:
            vals["wait_seconds"] = event["wait_seconds"]
            vals["durations_from_pbx"] = True
        if event["type"] == "ended" and event["talk_seconds"] is not None:
            vals["talk_seconds"] = event["talk_seconds"]
            vals["durations_from_pbx"] = True
        if not vals and not self.durations_from_pbx:
            start = self.queued_at or self.arrived_at
            until = self.answered_at or self.ended_at
            vals["wait_seconds"] = max(0, int((until - start).total_seconds()))
            talk = 0
            if self.outcome == "answered" and self.answered_at:
                talk = max(0, int((self.ended_at - self.answered_at).total_seconds()))
            vals["talk_seconds"] = talk
        vals = {name: value for name, value in vals.items() if self[name] != value}
        if vals:
            self.write(vals)

    def _cache_values(self):
        return {
            "direction": self.direction,
            "caller_number": self.caller_number,
            "called_number": self.called_number,
        }

    def _grid_bus_payload(self):
        return {
            "call_id": self.id,
            "state": self.state,
            "direction": self.direction,
            "caller_number": self.caller_number or "",
            "caller_name": self.caller_name or "",
            "agent_id": self.agent_id.id,
        }

    @api.model
    def _grid_agent(self, extension, cache=None):
        """The user behind an extension in the provider's company."""
        if cache is not None:
            return cache["agents"].get(extension, self.env["res.users"])
        company = self.env.company
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("grid_phone_extension", "=", extension),
                    ("company_ids", "in", company.ids),
                ],
                limit=1,
            )
        )

    # ------------------------------------------------------------
    # Caller identification
    # ------------------------------------------------------------

    def _grid_identification_values(self, values, cache=None, fresh=False):
        """Normalise both numbers and look the consumer's side up in the
        phone index. One consumer becomes the call's consumer; several are
        all offered as matches and none is picked."""
        self.ensure_one()
        result = number_values(
            values, self.provider_id._area_code(), cache and cache["keys"]
        )
        key = result["contact_number_key"]
        if cache is not None:
            matches = cache["matches"].get(key, []) if key else []
        else:
            matches = self._grid_match_keys({key} if key else set(), self.company_id)
            matches = matches.get(key, [])
        result.update(self._grid_values_for_matches(matches, fresh))
        return result

    def _grid_values_for_matches(self, matches, fresh=False):
        """Values that record the phone index's matches on the call: every
        consumer and service point with the number, and the consumer (and
        its service point) when there is exactly one. `matches` are
        (partner id, service point id, the partner's only service point id)
        tuples of `_grid_match_keys`. A fresh call has no matches yet, so
        they are added without reading any."""
        partner_ids = list(dict.fromkeys(m[0] for m in matches if m[0]))
        point_ids = list(dict.fromkeys(m[1] for m in matches if m[1]))
        if fresh:
            # Rows go straight to the relation tables: two queries fewer.
            self._grid_link_matches(partner_ids, point_ids)
            values = {}
        else:
            values = {
                "matched_partner_ids": [fields.Command.set(partner_ids)],
                "matched_service_point_ids": [fields.Command.set(point_ids)],
            }
        partner_id = self.partner_id.id
        if not partner_id and len(partner_ids) == 1:
            partner_id = values["partner_id"] = partner_ids[0]
        if not self.service_point_id:
            only = {m[2] for m in matches if m[0] == partner_id and m[2]}
            if len(point_ids) == 1:
                values["service_point_id"] = point_ids[0]
            elif not point_ids and len(only) == 1:
                values["service_point_id"] = only.pop()
        return values

    def _grid_link_matches(self, partner_ids, point_ids):
        self.ensure_one()
        for table, column, ids in (
            ("grid_call_matched_partner_rel", "partner_id", partner_ids),
            ("grid_call_matched_service_point_rel", "service_point_id", point_ids),
        ):
            if ids:
                self.env.cr.execute(
                    SQL(
                        "INSERT INTO %s (call_id, %s) SELECT %s, unnest(%s::int[]) "
                        "ON CONFLICT DO NOTHING",
                        SQL.identifier(table),
                        SQL.identifier(column),
                        self.id,
                        ids,
                    )
                )
        self.invalidate_recordset(["matched_partner_ids", "matched_service_point_ids"])

    @api.model
    def _grid_match_keys(self, keys, company):
        """Look numbers up in the phone index with one query.

        Returns {key: [(partner id, service point id, the partner's only
        active service point id or None)]} for the company's and shared
        consumers. Plain SQL on purpose: it runs for every call event, and
        the ORM needs three queries for the same.
        """
        if not keys:
            return {}
        self.env["grid.contact.number"].flush_model()
        self.env["grid.service.point"].flush_model(["partner_id", "active"])
        self.env.cr.execute(
            SQL(
                """
                SELECT n.number_key, n.partner_id, n.service_point_id,
                       (SELECT min(sp.id) FROM grid_service_point sp
                         WHERE sp.partner_id = n.partner_id AND sp.active
                        HAVING count(*) = 1)
                  FROM grid_contact_number n
                 WHERE n.number_key = ANY(%s)
                   AND (n.company_id IS NULL OR n.company_id = %s)
                 ORDER BY n.id
                """,
                list(keys),
                company.id,
            )
        )
        found = {}
        for key, partner_id, point_id, only_point_id in self.env.cr.fetchall():
            found.setdefault(key, []).append((partner_id, point_id, only_point_id))
        return found


def number_values(values, area_code, keys=None):
    """Return ``caller_e164``, ``called_e164`` and ``contact_number_key`` for
    call values with ``caller_number``, ``called_number`` and ``direction``.

    The consumer's side is the called number of an outbound call and the
    caller otherwise. ``keys`` maps numbers that are already parsed to their
    :func:`phone_key` result.
    """
    keys = keys or {}
    found = {}
    for name in ("caller_number", "called_number"):
        number = values.get(name)
        parsed = keys[number] if number in keys else phone_key(number, area_code)
        found[name] = parsed[0] if parsed else False
    side = "called_number" if values.get("direction") == "outbound" else "caller_number"
    return {
        "caller_e164": found["caller_number"] and e164_from_key(found["caller_number"]),
        "called_e164": found["called_number"] and e164_from_key(found["called_number"]),
        "contact_number_key": found[side],
    }
