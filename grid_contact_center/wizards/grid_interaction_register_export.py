import logging
import time
from datetime import datetime, timedelta
from datetime import time as day_time

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import get_lang
from odoo.tools.safe_eval import safe_eval

from ..models.grid_interaction import OPEN_STATES
from ..tools.xlsx_register import MAX_DATA_ROWS, write_register_workbook

_logger = logging.getLogger(__name__)

# Rows read from PostgreSQL per query: large enough that the query overhead
# is small, small enough that a chunk takes a few megabytes.
CHUNK_SIZE = 10000
# Excel counts days from 1899-12-30; 25569 days separate it from 1970-01-01.
EXCEL_EPOCH_OFFSET_DAYS = 25569


class GridInteractionRegisterExport(models.TransientModel):
    """The register of interactions as an XLSX file for a period and any
    filter: registration number, dates, consumer, channel, topic, deadline,
    answer date and whether the answer was late. The file is written row by
    row to disk, with rows read in chunks, so that a million rows export in
    bounded memory."""

    _name = "grid.interaction.register.export"
    _description = "Register of Interactions Export"

    # ------------------------------------------------------------
    # Defaults
    # ------------------------------------------------------------

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        # Opened from the list of interactions: export what the list shows.
        context = self.env.context
        if "domain" in fields_list and context.get("active_model") == (
            "grid.interaction"
        ):
            if context.get("active_domain"):
                values["domain"] = repr(context["active_domain"])
            elif context.get("active_ids"):
                values["domain"] = repr([("id", "in", context["active_ids"])])
        return values

    def _default_date_from(self):
        return fields.Date.context_today(self).replace(day=1)

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    date_from = fields.Date(
        string="Received From",
        default=lambda self: self._default_date_from(),
        help="First day of the period, in your time zone; empty for no limit.",
    )
    date_to = fields.Date(
        string="Received To",
        default=fields.Date.context_today,
        help="Last day of the period, included, in your time zone; empty for no limit.",
    )
    domain = fields.Char(
        string="Filter",
        default="[]",
        help="Any further condition on the interactions, such as a channel, "
        "topic, consumer, state or company.",
    )
    row_count = fields.Integer(
        string="Interactions", compute="_compute_row_count", readonly=True
    )

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("date_from", "date_to", "domain")
    def _compute_row_count(self):
        interactions = self.env["grid.interaction"]
        for export in self:
            try:
                domain = export._export_domain()
            except UserError:
                export.row_count = 0
                continue
            export.row_count = interactions.search_count(domain)

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for export in self:
            if (
                export.date_from
                and export.date_to
                and export.date_from > export.date_to
            ):
                raise UserError(
                    self.env._(
                        "The period starts on %(start)s, after its end on %(end)s; "
                        "swap the dates.",
                        start=export.date_from,
                        end=export.date_to,
                    )
                )

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_export(self):
        self.ensure_one()
        # The count on the form shows 0 for an invalid filter, so the filter is
        # checked again here to report it as invalid rather than as empty.
        count = self.env["grid.interaction"].search_count(self._export_domain())
        if not count:
            raise UserError(self.env._("No interaction matches the period and filter."))
        if count > MAX_DATA_ROWS:
            raise UserError(
                self.env._(
                    "%(count)s interactions match, more than the %(limit)s rows of an "
                    "Excel sheet; choose a shorter period or a narrower filter.",
                    count=count,
                    limit=MAX_DATA_ROWS,
                )
            )
        return {
            "type": "ir.actions.act_url",
            "url": f"/grid_contact_center/register/{self.id}/xlsx",
            "target": "download",
        }

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _timezone(self):
        return pytz.timezone(self.env.user.tz or "UTC")

    def _export_domain(self):
        """Return the search domain of the export: the period in the user's
        time zone and the filter. Raises UserError on a filter that is not a
        valid domain."""
        self.ensure_one()
        try:
            domain = safe_eval(self.domain or "[]")
        except Exception as error:
            raise UserError(
                self.env._(
                    "The filter %(filter)s is not a valid domain: %(error)s",
                    filter=self.domain,
                    error=error,
                )
            ) from error
        if not isinstance(domain, list | tuple):
            raise UserError(
                self.env._(
                    "The filter %(filter)s is not a valid domain: a list of "
                    "conditions is expected.",
                    filter=self.domain,
                )
            )
        domain = list(domain)
        try:
            # Builds the query without running it, which checks the field
            # names and operators of the filter.
            self.env["grid.interaction"]._search(domain)
        except ValueError as error:
            raise UserError(
                self.env._(
                    "The filter %(filter)s is not a valid domain: %(error)s",
                    filter=self.domain,
                    error=error,
                )
            ) from error
        timezone = self._timezone()
        if self.date_from:
            start = timezone.localize(datetime.combine(self.date_from, day_time.min))
            domain.append(("received_at", ">=", _naive_utc(start)))
        if self.date_to:
            end = timezone.localize(
                datetime.combine(self.date_to + timedelta(days=1), day_time.min)
            )
            domain.append(("received_at", "<", _naive_utc(end)))
        return domain

    def _register_columns(self):
        """Return the register's columns as (label, kind) pairs, in the order
        of the values that :meth:`_register_rows` yields."""
        return [
            (self.env._("Registration Number"), "text"),
            (self.env._("Received"), "datetime"),
            (self.env._("Channel"), "text"),
            (self.env._("Consumer"), "text"),
            (self.env._("Account Number"), "text"),
            (self.env._("Caller Phone"), "text"),
            (self.env._("Topic"), "text"),
            (self.env._("State"), "text"),
            (self.env._("Operator"), "text"),
            (self.env._("Deadline"), "datetime"),
            (self.env._("Answered"), "datetime"),
            (
                self.env._("Overdue (answered late or open past the deadline)"),
                "boolean",
            ),
        ]

    def _register_rows(self):
        """Yield the register's rows, oldest first, in chunks of
        :data:`CHUNK_SIZE` read by keyset pagination on (received_at, id).

        Record rules apply through ``_search``. Dates are converted to the
        user's time zone and to Excel serial days in SQL, and labels of
        selections are looked up in Python, so that a row costs no ORM
        overhead.
        """
        self.ensure_one()
        interactions = self.env["grid.interaction"]
        channel_labels = dict(
            interactions._fields["channel"]._description_selection(self.env)
        )
        state_labels = dict(
            interactions._fields["state"]._description_selection(self.env)
        )
        lang = get_lang(self.env).code
        zone = self._timezone().zone
        now = fields.Datetime.now()
        domain = self._export_domain()
        last_received_at = last_id = None
        while True:
            query = interactions._search(domain)
            alias = query.table
            partner = query.left_join(
                alias, "partner_id", "res_partner", "id", "partner_id"
            )
            topic = query.left_join(alias, "topic_id", "grid_topic", "id", "topic_id")
            user = query.left_join(alias, "user_id", "res_users", "id", "user_id")
            operator = query.left_join(
                user, "partner_id", "res_partner", "id", "partner_id"
            )
            if last_id is not None:
                # The first condition alone bounds the index scan on
                # received_at; with only the OR, every chunk would scan the
                # index from its start.
                query.add_where(
                    SQL(
                        "%(received)s >= %(last_received)s AND (%(received)s > "
                        "%(last_received)s OR %(id)s > %(last_id)s)",
                        received=SQL.identifier(alias, "received_at"),
                        id=SQL.identifier(alias, "id"),
                        last_received=last_received_at,
                        last_id=last_id,
                    )
                )
            query.order = SQL(
                "%s, %s",
                SQL.identifier(alias, "received_at"),
                SQL.identifier(alias, "id"),
            )
            query.limit = CHUNK_SIZE
            self.env.cr.execute(
                query.select(
                    SQL.identifier(alias, "id"),
                    SQL.identifier(alias, "received_at"),
                    SQL.identifier(alias, "name"),
                    self._excel_day(SQL.identifier(alias, "received_at"), zone),
                    SQL.identifier(alias, "channel"),
                    SQL.identifier(partner, "name"),
                    SQL.identifier(partner, "account_number"),
                    SQL.identifier(alias, "caller_phone"),
                    SQL(
                        "concat_ws(' ', %s, COALESCE(%s->>%s, %s->>'en_US'))",
                        SQL.identifier(topic, "code"),
                        SQL.identifier(topic, "name"),
                        lang,
                        SQL.identifier(topic, "name"),
                    ),
                    SQL.identifier(alias, "state"),
                    SQL.identifier(operator, "name"),
                    self._excel_day(SQL.identifier(alias, "deadline"), zone),
                    self._excel_day(SQL.identifier(alias, "answered_at"), zone),
                    self._overdue_sql(alias, now),
                )
            )
            chunk = self.env.cr.fetchall()
            for row in chunk:
                yield (
                    row[2],
                    row[3],
                    channel_labels.get(row[4], row[4]),
                    row[5],
                    row[6],
                    row[7],
                    row[8] or None,
                    state_labels.get(row[9], row[9]),
                    row[10],
                    row[11],
                    row[12],
                    row[13],
                )
            if len(chunk) < CHUNK_SIZE:
                return
            last_id, last_received_at = chunk[-1][0], chunk[-1][1]

    @api.model
    def _excel_day(self, column, zone):
        """Return SQL for a naive UTC datetime column as an Excel serial day
        in local time of ``zone``, or NULL."""
        return SQL(
            "EXTRACT(EPOCH FROM timezone(%s, timezone('UTC', %s))) / 86400.0 + %s",
            zone,
            column,
            EXCEL_EPOCH_OFFSET_DAYS,
        )

    @api.model
    def _overdue_sql(self, alias, now):
        """Return SQL that is true when the answer came after the deadline,
        or when the interaction is still open and the deadline has passed."""
        return SQL(
            "CASE WHEN %(deadline)s IS NULL OR %(state)s = 'cancelled' THEN FALSE "
            "WHEN %(answered)s IS NOT NULL THEN %(answered)s > %(deadline)s "
            "WHEN %(state)s IN %(open)s THEN %(deadline)s < %(now)s "
            "ELSE FALSE END",
            deadline=SQL.identifier(alias, "deadline"),
            answered=SQL.identifier(alias, "answered_at"),
            state=SQL.identifier(alias, "state"),
            open=OPEN_STATES,
            now=now,
        )

    def _write_xlsx(self, path):
        """Write the register to the XLSX file ``path``; return the number
        of rows written."""
        self.ensure_one()
        started = time.monotonic()
        count = write_register_workbook(
            path,
            self.env._("Interaction Register"),
            self._register_columns(),
            self._register_rows(),
            (self.env._("Yes"), self.env._("No")),
        )
        _logger.info(
            "Register of interactions exported by user %s: %s rows in %.1f s",
            self.env.uid,
            count,
            time.monotonic() - started,
        )
        return count

    def _xlsx_filename(self):
        self.ensure_one()
        parts = [self.env._("register")]
        if self.date_from:
            parts.append(self.date_from.isoformat())
        if self.date_to:
            parts.append(self.date_to.isoformat())
        return "-".join(parts) + ".xlsx"


def _naive_utc(moment):
    return moment.astimezone(pytz.utc).replace(tzinfo=None)
