from odoo import fields, models, tools

from .grid_call import DIRECTIONS, OUTCOMES


class GridCallReport(models.Model):
    """Call statistics for pivot and graph views: one row per ended call.

    The rates are 100 or 0 per call, so that their average over any group is
    a percentage; the answer and handle times are empty for calls nobody
    answered, so that averages count answered calls only.
    """

    _name = "grid.call.report"
    _description = "Call Statistics"
    _auto = False
    _order = "arrived_at desc"
    _depends = {
        "grid.call": [
            "company_id",
            "provider_id",
            "direction",
            "outcome",
            "queue",
            "agent_id",
            "arrived_at",
            "state",
            "wait_seconds",
            "talk_seconds",
        ],
        "res.company": ["grid_call_service_level_seconds", "resource_calendar_id"],
    }

    call_id = fields.Many2one("grid.call", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    provider_id = fields.Many2one("grid.telephony.provider", readonly=True)
    direction = fields.Selection(DIRECTIONS, readonly=True)
    outcome = fields.Selection(OUTCOMES, readonly=True)
    queue = fields.Char(readonly=True)
    agent_id = fields.Many2one("res.users", string="Agent", readonly=True)
    arrived_at = fields.Datetime(string="Arrival", readonly=True)
    arrival_hour = fields.Integer(
        string="Hour of Day",
        readonly=True,
        aggregator=None,
        help="The hour of the arrival in the company's time zone.",
    )
    call_count = fields.Integer(string="Calls", readonly=True)
    answered_count = fields.Integer(string="Answered", readonly=True)
    abandoned_count = fields.Integer(string="Abandoned", readonly=True)
    service_level_rate = fields.Float(
        string="Service Level (%)",
        readonly=True,
        aggregator="avg",
        help="Share of calls answered within the company's service level target.",
    )
    abandoned_rate = fields.Float(
        string="Abandoned Rate (%)", readonly=True, aggregator="avg"
    )
    answer_seconds = fields.Float(
        string="Average Speed of Answer (s)",
        readonly=True,
        aggregator="avg",
        help="Waiting time of answered calls.",
    )
    handle_seconds = fields.Float(
        string="Average Handle Time (s)",
        readonly=True,
        aggregator="avg",
        help="Talk time of answered calls.",
    )
    wait_seconds = fields.Float(
        string="Waiting Time (s)", readonly=True, aggregator="avg"
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                SELECT c.id,
                       c.id AS call_id,
                       c.company_id,
                       c.provider_id,
                       c.direction,
                       c.outcome,
                       c.queue,
                       c.agent_id,
                       c.arrived_at,
                       EXTRACT(HOUR FROM (c.arrived_at AT TIME ZONE 'UTC')
                           AT TIME ZONE COALESCE(rc.tz, p.tz, 'UTC'))::int
                           AS arrival_hour,
                       1 AS call_count,
                       (c.outcome = 'answered')::int AS answered_count,
                       (c.outcome = 'abandoned')::int AS abandoned_count,
                       CASE WHEN c.outcome = 'answered' AND c.wait_seconds
                                 <= company.grid_call_service_level_seconds
                            THEN 100.0 ELSE 0.0 END AS service_level_rate,
                       CASE WHEN c.outcome = 'abandoned' THEN 100.0 ELSE 0.0 END
                           AS abandoned_rate,
                       CASE WHEN c.outcome = 'answered' THEN c.wait_seconds END
                           AS answer_seconds,
                       CASE WHEN c.outcome = 'answered' THEN c.talk_seconds END
                           AS handle_seconds,
                       c.wait_seconds
                  FROM grid_call c
                  JOIN res_company company ON company.id = c.company_id
                  LEFT JOIN resource_calendar rc
                         ON rc.id = company.resource_calendar_id
                  LEFT JOIN res_partner p ON p.id = company.partner_id
                 WHERE c.state = 'ended'
            )
            """
        )
