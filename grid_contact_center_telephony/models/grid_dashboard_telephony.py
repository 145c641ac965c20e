import logging
from datetime import timedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

# Minutes after its arrival during which a queued or ringing call counts as
# waiting. It equals the default max_call_seconds of the AMI bridge (6 hours),
# after which the bridge ends a silent call itself. Other senders have no such
# limit, and no scheduled job ends their calls, so without this bound a call
# whose end event was lost would count as waiting forever.
DEFAULT_WAITING_MAX_MINUTES = 6 * 60


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
    def _waiting_since(self):
        """Return the earliest arrival time of a call that counts as waiting."""
        parameter = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(
                "grid_telephony.waiting_max_minutes", DEFAULT_WAITING_MAX_MINUTES
            )
        )
        try:
            minutes = int(parameter)
        except ValueError:
            _logger.warning(
                "System parameter grid_telephony.waiting_max_minutes is not a "
                "number (%r); using %s",
                parameter,
                DEFAULT_WAITING_MAX_MINUTES,
            )
            minutes = DEFAULT_WAITING_MAX_MINUTES
        return fields.Datetime.now() - timedelta(minutes=minutes)

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
            ("arrived_at", ">", self._waiting_since()),
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
