from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .grid_interaction import OPEN_STATES, OUTBOUND_CHANNELS
from .grid_outage import ACTIVE_STATES

PERIODS = ("today", "week", "month")
# Topics shown by name in the table of the interactions section; the rest are
# summed in one row so that the table stays readable.
TOPIC_ROWS = 12


class GridDashboard(models.AbstractModel):
    """The contact center head's dashboard: figures grouped in sections.

    :meth:`get_dashboard` returns what the client action shows, and the
    monthly e-mail shows the same sections for the past month. Each section
    comes from a method that adds its dict to the list of
    :meth:`_dashboard_sections`. Addons add theirs by overriding that method
    and appending to the list that ``super()`` returns. A section method
    receives the context of :meth:`_period_context` and must filter its
    records with :meth:`_company_domain`. A section is::

        {
            "key": "interactions",          # unique, used by tests and CSS
            "title": "Interactions",
            "sequence": 10,                  # order on the screen
            "cards": [{
                "key": "total", "label": "Received",
                "value": 42,                 # a number, or None when unknown
                "unit": "",                  # "%", "s", ... shown after the value
                "tone": "danger",            # optional: danger, warning, success
                "help": "...",               # optional: what is counted
                "action": {...},             # optional: window action to open
            }],
            "tables": [{
                "title": "...", "columns": ["...", ...],
                "rows": [{"label": "...", "values": [1, 2], "action": {...}}],
            }],
        }
    """

    _name = "grid.dashboard"
    _description = "Contact Center Dashboard"

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    @api.model
    def get_dashboard(self, period="today"):
        """Return the dashboard for ``period`` (today, week: the last seven
        days, month: the current calendar month) in the user's time zone:
        ``{"period": ..., "period_label": ..., "sections": [...]}``."""
        if not self.env.user.has_group("grid_contact_center.group_supervisor"):
            raise AccessError(
                self.env._("The dashboard is for contact center supervisors.")
            )
        if period not in PERIODS:
            raise UserError(
                self.env._(
                    "Unknown dashboard period %(period)s; use today, week or month.",
                    period=period,
                )
            )
        context = self._dashboard_context(period)
        sections = sorted(
            self._dashboard_sections(context), key=lambda section: section["sequence"]
        )
        return {
            "period": period,
            "period_label": context["period_label"],
            "sections": sections,
        }

    @api.model
    def _dashboard_context(self, period, now=None):
        """Return the context of the section methods for ``period`` in the
        user's time zone."""
        now = now or fields.Datetime.now()
        timezone = pytz.timezone(self.env.user.tz or "UTC")
        today = pytz.utc.localize(now).astimezone(timezone).date()
        if period == "today":
            first_day = today
            label = self.env._("Today")
        elif period == "week":
            first_day = today - timedelta(days=6)
            label = self.env._("Last 7 days")
        else:
            first_day = today.replace(day=1)
            label = self.env._("This month")
        return self._period_context(
            first_day, today + timedelta(days=1), label, timezone, now
        )

    @api.model
    def _period_context(self, first_day, end_day, label, timezone, now, companies=None):
        """Return the context that the section methods receive.

        It contains the period from ``first_day`` to ``end_day`` (excluded) as
        local dates and, from local midnight of ``timezone``, as naive UTC
        datetimes; the end of the current local day; the current time; and
        the ids of the companies to count (default: the user's allowed
        companies). Sections filter by these companies explicitly, because
        the monthly e-mail runs as superuser, whom record rules do not
        restrict.
        """

        def utc(day):
            local = timezone.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        today = pytz.utc.localize(now).astimezone(timezone).date()
        return {
            "period_label": label,
            "day_from": first_day,
            "day_to": end_day,
            "timezone": timezone.zone,
            "date_from": utc(first_day),
            "date_to": utc(end_day),
            "today_end": utc(today + timedelta(days=1)),
            "now": now,
            "company_ids": (companies or self.env.companies).ids,
        }

    @api.model
    def _company_domain(self, context):
        return [("company_id", "in", context["company_ids"])]

    @api.model
    def _dashboard_sections(self, context):
        """Return the list of sections; extensions append theirs."""
        return [
            self._section_interactions(context),
            self._section_deadlines(context),
            self._section_callbacks(context),
            self._section_complaints(context),
            self._section_outages(context),
        ]

    @api.model
    def _window_action(self, model, name, domain, views=("list", "form")):
        """Return a window action on ``model`` filtered by ``domain``, for a
        card or a table row to open."""
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "views": [[False, view] for view in views],
            "domain": domain,
            "context": {"create": False},
        }

    @api.model
    def _period_domain(self, context, field_name="received_at"):
        return [
            *self._company_domain(context),
            (field_name, ">=", context["date_from"]),
            (field_name, "<", context["date_to"]),
        ]

    # ------------------------------------------------------------
    # Sections of the core
    # ------------------------------------------------------------

    @api.model
    def _section_interactions(self, context):
        """Interactions received in the period by channel, and by topic and
        channel."""
        interactions = self.env["grid.interaction"]
        period = self._period_domain(context)
        channels = interactions._fields["channel"]._description_selection(self.env)
        by_channel = dict(interactions._read_group(period, ["channel"], ["__count"]))
        # Calls that the company makes are shown on their channel's card but
        # are not received.
        received = [*period, ("channel", "not in", OUTBOUND_CHANNELS)]
        total = sum(
            count
            for channel, count in by_channel.items()
            if channel not in OUTBOUND_CHANNELS
        )
        cards = [
            {
                "key": "received",
                "label": self.env._("Received"),
                "value": total,
                "action": self._window_action(
                    "grid.interaction", self.env._("Interactions received"), received
                ),
            }
        ]
        for channel, label in channels:
            domain = [*period, ("channel", "=", channel)]
            cards.append(
                {
                    "key": f"channel_{channel}",
                    "label": label,
                    "value": by_channel.get(channel, 0),
                    "action": self._window_action("grid.interaction", label, domain),
                }
            )
        return {
            "key": "interactions",
            "title": self.env._(
                "Interactions: %(period)s", period=context["period_label"]
            ),
            "sequence": 10,
            "cards": cards,
            "tables": [self._topic_channel_table(period, channels)],
        }

    @api.model
    def _topic_channel_table(self, period, channels):
        interactions = self.env["grid.interaction"]
        groups = interactions._read_group(period, ["topic_id", "channel"], ["__count"])
        counts = {}
        for topic, channel, count in groups:
            counts.setdefault(topic, {})[channel] = count
        ordered = sorted(counts, key=lambda topic: -sum(counts[topic].values()))
        rows = []
        for topic in ordered[:TOPIC_ROWS]:
            domain = [*period, ("topic_id", "=", topic.id or False)]
            label = topic.display_name or self.env._("No topic")
            rows.append(
                {
                    "label": label,
                    "values": [counts[topic].get(channel, 0) for channel, _ in channels]
                    + [sum(counts[topic].values())],
                    "action": self._window_action("grid.interaction", label, domain),
                }
            )
        rest = ordered[TOPIC_ROWS:]
        if rest:
            rows.append(
                {
                    "label": self.env._("Other topics"),
                    "values": [
                        sum(counts[topic].get(channel, 0) for topic in rest)
                        for channel, _ in channels
                    ]
                    + [sum(sum(counts[topic].values()) for topic in rest)],
                    "action": False,
                }
            )
        return {
            "key": "topics",
            "title": self.env._("By topic and channel"),
            "columns": [label for _channel, label in channels] + [self.env._("Total")],
            "rows": rows,
        }

    @api.model
    def _section_deadlines(self, context):
        """Open interactions now, those overdue and those due by the end of
        today, whatever the period."""
        interactions = self.env["grid.interaction"]
        open_domain = [*self._company_domain(context), ("state", "in", OPEN_STATES)]
        overdue = [*open_domain, ("deadline", "<", context["now"])]
        due_today = [
            *open_domain,
            ("deadline", ">=", context["now"]),
            ("deadline", "<", context["today_end"]),
        ]
        forwarded = [*self._company_domain(context), ("state", "=", "forwarded")]
        figures = [
            ("open", self.env._("Open"), open_domain, None),
            ("overdue", self.env._("Overdue"), overdue, "danger"),
            ("due_today", self.env._("Due by the end of today"), due_today, "warning"),
            ("forwarded", self.env._("Forwarded, awaiting answer"), forwarded, None),
        ]
        cards = []
        for key, label, domain, tone in figures:
            count = interactions.search_count(domain)
            cards.append(
                {
                    "key": key,
                    "label": label,
                    "value": count,
                    "tone": tone if count else None,
                    "action": self._window_action("grid.interaction", label, domain),
                }
            )
        return {
            "key": "deadlines",
            "title": self.env._("Deadlines now"),
            "sequence": 20,
            "cards": cards,
            "tables": [],
        }

    @api.model
    def _section_callbacks(self, context):
        """Callbacks due now and late now, and in the period those made,
        the share made by their deadline and those missed."""
        interactions = self.env["grid.interaction"]
        due = [*self._company_domain(context), ("callback_state", "=", "due")]
        pending = [*due, ("callback_due", ">=", context["now"])]
        late = [*due, ("callback_due", "<", context["now"])]
        done = self._period_domain(context, "callback_done_at")
        missed = [
            *self._period_domain(context, "callback_due"),
            ("callback_missed", "=", True),
        ]
        done_count = interactions.search_count(done)
        in_time_count = self._count_where(
            done,
            lambda alias: SQL(
                "%s <= %s",
                SQL.identifier(alias, "callback_done_at"),
                SQL.identifier(alias, "callback_due"),
            ),
        )
        late_count = interactions.search_count(late)
        missed_count = interactions.search_count(missed)

        cards = [
            {
                "key": "due",
                "label": self.env._("Callbacks due"),
                "value": interactions.search_count(pending),
                "action": self._window_action(
                    "grid.interaction", self.env._("Callbacks due"), pending
                ),
            },
            {
                "key": "late",
                "label": self.env._("Late, not made yet"),
                "value": late_count,
                "tone": "danger" if late_count else None,
                "action": self._window_action(
                    "grid.interaction", self.env._("Late callbacks"), late
                ),
            },
            {
                "key": "done",
                "label": self.env._("Made in the period"),
                "value": done_count,
                "action": self._window_action(
                    "grid.interaction", self.env._("Callbacks made"), done
                ),
            },
        ]
        cards += [
            {
                "key": "done_in_time",
                "label": self.env._("Made by the deadline"),
                "value": round(100.0 * in_time_count / done_count, 1)
                if done_count
                else None,
                "unit": "%",
                "help": self.env._(
                    "Share of the callbacks made in the period that reached the "
                    "consumer by the callback deadline."
                ),
            },
            {
                "key": "missed",
                "label": self.env._("Missed in the period"),
                "value": missed_count,
                "tone": "warning" if missed_count else None,
                "help": self.env._(
                    "Callbacks due in the period that did not reach the consumer "
                    "by the deadline, whether made late or not yet."
                ),
                "action": self._window_action(
                    "grid.interaction", self.env._("Missed callbacks"), missed
                ),
            },
        ]
        return {
            "key": "callbacks",
            "title": self.env._("Callbacks"),
            "sequence": 25,
            "cards": cards,
            "tables": [],
        }

    @api.model
    def _section_complaints(self, context):
        """Complaints open now, and complaints whose answer was sent in the
        period (by their answer date) with the share sent by the deadline."""
        interactions = self.env["grid.interaction"]
        complaint = [("topic_kind", "=", "complaint")]
        open_domain = [
            *self._company_domain(context),
            *complaint,
            ("state", "in", OPEN_STATES),
        ]
        overdue = [*open_domain, ("deadline", "<", context["now"])]
        answered = [
            *self._company_domain(context),
            *complaint,
            ("complaint_answer_date", ">=", context["day_from"]),
            ("complaint_answer_date", "<", context["day_to"]),
        ]
        answered_count = interactions.search_count(answered)
        # The deadline is a time; its local date is the last day of the term.
        in_time_count = self._count_where(
            answered,
            lambda alias: SQL(
                "(%(deadline)s IS NULL OR %(answer_date)s <= "
                "timezone(%(zone)s, timezone('UTC', %(deadline)s))::date)",
                deadline=SQL.identifier(alias, "deadline"),
                answer_date=SQL.identifier(alias, "complaint_answer_date"),
                zone=context["timezone"],
            ),
        )
        share = (
            round(100.0 * in_time_count / answered_count, 1) if answered_count else None
        )
        overdue_count = interactions.search_count(overdue)

        cards = [
            {
                "key": "open",
                "label": self.env._("Open complaints"),
                "value": interactions.search_count(open_domain),
                "action": self._window_action(
                    "grid.interaction", self.env._("Open complaints"), open_domain
                ),
            },
            {
                "key": "overdue",
                "label": self.env._("Open past the deadline"),
                "value": overdue_count,
                "tone": "danger" if overdue_count else None,
                "action": self._window_action(
                    "grid.interaction",
                    self.env._("Complaints past the deadline"),
                    overdue,
                ),
            },
            {
                "key": "answered",
                "label": self.env._("Answered in the period"),
                "value": answered_count,
                "action": self._window_action(
                    "grid.interaction", self.env._("Complaints answered"), answered
                ),
            },
            {
                "key": "answered_in_time",
                "label": self.env._("Answered by the deadline"),
                "value": share,
                "unit": "%",
                "help": self.env._(
                    "Share of the complaints answered in the period whose answer "
                    "date is not later than the last day of their term."
                ),
            },
        ]
        return {
            "key": "complaints",
            "title": self.env._("Complaints"),
            "sequence": 30,
            "cards": cards,
            "tables": [],
        }

    @api.model
    def _section_outages(self, context):
        """Outages active now and the calls about outages in the period, with
        the outages that drew the most calls."""
        interactions = self.env["grid.interaction"]
        active = [*self._company_domain(context), ("state", "in", ACTIVE_STATES)]
        # Calls of consumers only: the notices that the company calls out
        # about an outage are not calls about it.
        inbound = [("channel", "not in", OUTBOUND_CHANNELS)]
        linked = [
            *self._period_domain(context),
            *inbound,
            ("outage_id", "!=", False),
        ]
        per_outage = interactions._read_group(linked, ["outage_id"], ["__count"])
        per_outage.sort(key=lambda group: -group[1])
        shown = per_outage[:TOPIC_ROWS]
        totals = dict(
            interactions._read_group(
                [
                    *inbound,
                    ("outage_id", "in", [outage.id for outage, _count in shown]),
                ],
                ["outage_id"],
                ["__count"],
            )
        )
        rows = []
        for outage, count in shown:
            domain = [
                *self._period_domain(context),
                *inbound,
                ("outage_id", "=", outage.id),
            ]
            rows.append(
                {
                    "label": outage.display_name,
                    "values": [count, totals.get(outage, 0)],
                    "action": self._window_action(
                        "grid.interaction", outage.display_name, domain
                    ),
                }
            )
        calls = sum(count for _outage, count in per_outage)

        return {
            "key": "outages",
            "title": self.env._("Outages"),
            "sequence": 40,
            "cards": [
                {
                    "key": "active",
                    "label": self.env._("Active outages"),
                    "value": self.env["grid.outage"].search_count(active),
                    "action": self._window_action(
                        "grid.outage", self.env._("Active outages"), active
                    ),
                },
                {
                    "key": "calls",
                    "label": self.env._("Calls about outages"),
                    "value": calls,
                    "action": self._window_action(
                        "grid.interaction", self.env._("Calls about outages"), linked
                    ),
                },
                {
                    "key": "calls_per_outage",
                    "label": self.env._("Calls per outage"),
                    "value": round(calls / len(per_outage), 1) if per_outage else None,
                    "help": self.env._(
                        "Interactions of the period linked to an outage, divided by "
                        "the number of those outages."
                    ),
                },
            ],
            "tables": [
                {
                    "key": "outages",
                    "title": self.env._("Calls per outage"),
                    "columns": [self.env._("In the period"), self.env._("Since start")],
                    "rows": rows,
                }
            ],
        }

    @api.model
    def _count_where(self, domain, condition):
        """Return how many interactions match ``domain`` and the SQL that
        ``condition(alias)`` returns; a domain cannot compare two fields."""
        query = self.env["grid.interaction"]._search(domain)
        query.add_where(condition(query.table))
        [(count,)] = self.env.execute_query(query.select("count(*)"))
        return count
