from odoo import api, models


class GridDashboard(models.AbstractModel):
    """The telephony section of the contact center dashboard: the call
    center's KPIs over the inbound calls that ended in the period, and the
    callers waiting now."""

    _inherit = "grid.dashboard"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _dashboard_sections(self, context):
        sections = super()._dashboard_sections(context)
        sections.append(self._section_calls(context))
        return sections

    @api.model
    def _section_calls(self, context):
        inbound = [
            *self._period_domain(context, "arrived_at"),
            ("direction", "=", "inbound"),
        ]
        [(calls, answered, abandoned, service_level, answer, handle)] = self.env[
            "grid.call.report"
        ]._read_group(
            inbound,
            [],
            [
                "call_count:sum",
                "answered_count:sum",
                "abandoned_count:sum",
                "service_level_rate:avg",
                "answer_seconds:avg",
                "handle_seconds:avg",
            ],
        )
        ended = [*inbound, ("state", "=", "ended")]
        abandoned_domain = [*ended, ("outcome", "=", "abandoned")]
        waiting = [
            *self._company_domain(context),
            ("direction", "=", "inbound"),
            ("state", "in", ("queued", "ringing")),
        ]
        waiting_count = self.env["grid.call"].search_count(waiting)
        calls = calls or 0

        def rounded(value):
            return round(value, 1) if calls and value is not None else None

        return {
            "key": "calls",
            "title": self.env._("Calls"),
            "sequence": 50,
            "cards": [
                {
                    "key": "inbound",
                    "label": self.env._("Inbound calls"),
                    "value": calls,
                    "action": self._window_action(
                        "grid.call", self.env._("Inbound calls"), ended
                    ),
                },
                {
                    "key": "answered",
                    "label": self.env._("Answered"),
                    "value": answered or 0,
                },
                {
                    "key": "abandoned_rate",
                    "label": self.env._("Abandoned"),
                    "value": round(100.0 * abandoned / calls, 1) if calls else None,
                    "unit": "%",
                    "tone": "warning" if abandoned else None,
                    "help": self.env._(
                        "Share of inbound calls the caller hung up in the queue."
                    ),
                    "action": self._window_action(
                        "grid.call", self.env._("Abandoned calls"), abandoned_domain
                    ),
                },
                {
                    "key": "service_level",
                    "label": self.env._("Service level"),
                    "value": rounded(service_level),
                    "unit": "%",
                    "help": self.env._(
                        "Share of inbound calls answered within the company's "
                        "service level target of waiting time."
                    ),
                },
                {
                    "key": "answer_seconds",
                    "label": self.env._("Average speed of answer"),
                    "value": rounded(answer),
                    "unit": self.env._("sec"),
                },
                {
                    "key": "handle_seconds",
                    "label": self.env._("Average handle time"),
                    "value": rounded(handle),
                    "unit": self.env._("sec"),
                },
                {
                    "key": "waiting",
                    "label": self.env._("Waiting now"),
                    "value": waiting_count,
                    "tone": "danger" if waiting_count else None,
                    "action": self._window_action(
                        "grid.call", self.env._("Callers waiting"), waiting
                    ),
                },
            ],
            "tables": [],
        }
