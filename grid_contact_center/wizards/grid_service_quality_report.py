from collections import defaultdict
from datetime import datetime

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import formatLang

from ..models.grid_interaction import CHANNELS, OUTBOUND_CHANNELS
from ..tools.xlsx_service_quality import write_service_quality_workbook

# Channel of an interaction -> column of the report's form. Channels not
# listed here (those that later addons add) go to the column "other".
CHANNEL_FORM_COLUMN = {
    "office": "in_person",
    "phone_in": "telephone",
    "website": "internet",
    "email": "internet",
    "messenger": "internet",
    "letter": "post",
}
# Table 4.1 counts the requests of consumers, so the report leaves out the
# calls that the company makes (outage notices, surveys, calls back). It also
# leaves out interactions on the topics of those calls, whatever the channel.
OUTBOUND_TOPIC_KINDS = ("outbound_notice", "survey")
FORM_COLUMN_KEYS = ("in_person", "telephone", "internet", "post", "other")
FORM_ROW_KEYS = ("all", "complaint", "service_request", "contract", "resolved")
# States of a complaint whose answer went to the consumer.
RESOLVED_STATES = ("answered", "closed")


class GridServiceQualityReport(models.TransientModel):
    """The yearly report on the quality of service to consumers (Order of the
    Ministry of Energy of Russia No. 186 of 15.04.2014, appendix 7, table
    4.1): interactions by row and by the form's channel columns, for the
    chosen year and the year before, with the change in percent."""

    _name = "grid.service.quality.report"
    _description = "Service-Quality Report"

    # ------------------------------------------------------------
    # Defaults
    # ------------------------------------------------------------

    def _default_year(self):
        return fields.Date.context_today(self).year - 1

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    year = fields.Integer(
        required=True,
        default=lambda self: self._default_year(),
        help="Calendar year of the report; the year before it is shown beside it.",
    )
    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
        help="Each company gets a table of its own, and a sheet of its own in "
        "the XLSX file.",
    )
    report_html = fields.Html(
        string="Report", compute="_compute_report_html", sanitize=False
    )

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("year", "company_ids")
    def _compute_report_html(self):
        for report in self:
            if not report.company_ids or not report._year_is_valid():
                report.report_html = False
                continue
            report.report_html = self.env["ir.qweb"]._render(
                "grid_contact_center.service_quality_report_table",
                report._report_values(),
            )

    @api.depends("year")
    def _compute_display_name(self):
        for report in self:
            report.display_name = self.env._(
                "Service-Quality Report %(year)s", year=report.year
            )

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("year")
    def _check_year(self):
        for report in self:
            if not report._year_is_valid():
                raise ValidationError(
                    self.env._(
                        "The year %(year)s is out of range; choose a year from "
                        "2000 to 2100.",
                        year=report.year,
                    )
                )

    def _year_is_valid(self):
        return 2000 <= self.year <= 2100

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_export_xlsx(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/grid_contact_center/service_quality/{self.id}/xlsx",
            "target": "download",
        }

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _form_columns(self):
        """Return the form's channel columns as (key, label) pairs."""
        return [
            ("in_person", self.env._("In Person")),
            ("telephone", self.env._("Remote by Telephone")),
            ("internet", self.env._("Electronic via the Internet")),
            ("post", self.env._("Written by Post")),
            ("other", self.env._("Other")),
        ]

    def _form_rows(self):
        """Return the form's rows as (number, key, label) triples."""
        return [
            ("1", "all", self.env._("Interactions of consumers, total")),
            ("2", "complaint", self.env._("Interactions containing a complaint")),
            (
                "3",
                "service_request",
                self.env._("Interactions containing a service request"),
            ),
            (
                "4",
                "contract",
                self.env._(
                    "Interactions that led to a grid-connection or transmission "
                    "contract"
                ),
            ),
            ("5", "resolved", self.env._("Complaints resolved")),
        ]

    def _channel_form_column(self, channel):
        return CHANNEL_FORM_COLUMN.get(channel, "other")

    def _definitions(self):
        """Return the notes that state how the register's records are
        counted: which channels go to which column and what each row counts."""
        channel_labels = dict(
            self.env["grid.interaction"]
            ._fields["channel"]
            ._description_selection(self.env)
        )
        by_column = defaultdict(list)
        for channel, _label in CHANNELS:
            if channel in OUTBOUND_CHANNELS:
                continue
            by_column[self._channel_form_column(channel)].append(
                channel_labels.get(channel, channel)
            )
        columns = []
        for key, label in self._form_columns():
            if key == "other":
                listed = self.env._("every channel not listed above")
            else:
                listed = ", ".join(by_column[key])
            columns.append(f"{label}: {listed}")
        rows = [
            self.env._(
                "Row 1 counts every interaction received in the year (by the "
                "date of receipt in the company's time zone), cancelled ones "
                "excluded."
            ),
            self.env._(
                "No row counts the calls that the company makes itself "
                "(channel %(channel)s) or the interactions whose topic is of the "
                "kind Outbound Notice or Survey, because they are not requests "
                "of consumers.",
                channel=", ".join(
                    channel_labels.get(channel, channel)
                    for channel in OUTBOUND_CHANNELS
                ),
            ),
            self.env._(
                "Row 2 counts the interactions whose topic is of the kind "
                "Complaint; row 3 those whose topic is of the kind Service Request."
            ),
            self.env._(
                "Row 4 counts the interactions marked by the operator as having "
                "led to a grid-connection or transmission contract (field Led to "
                "Contract)."
            ),
            self.env._(
                "Row 5 counts the complaints of row 2 that are resolved when the "
                "report is made: answered or closed, with the verdict and the "
                "answer date recorded, whatever the verdict (justified, partly "
                "justified or not justified)."
            ),
            self.env._(
                "Change, % = (current year - previous year) / previous year x 100, "
                "rounded to two decimals. It is 0 when both years are 0, and a "
                "dash when only the previous year is 0, because the change from "
                "zero is not defined."
            ),
        ]
        return {"columns": columns, "rows": rows}

    def _period_bounds(self, timezone):
        """Return the naive UTC start of the previous year and the end of the
        report's year, at local midnight of ``timezone``."""
        start = timezone.localize(datetime(self.year - 1, 1, 1))
        end = timezone.localize(datetime(self.year + 1, 1, 1))
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            end.astimezone(pytz.utc).replace(tzinfo=None),
        )

    def _figure_groupby(self):
        """Return the interaction fields whose combinations decide the rows
        an interaction counts in; extensions add their own."""
        return [
            "channel",
            "topic_kind",
            "contract_outcome",
            "state",
            "complaint_justified",
            "complaint_answer_date:year",
        ]

    def _row_keys_of(self, group):
        """Return the keys of the rows that interactions with the values
        ``group`` (a dict of the fields of :meth:`_figure_groupby`) count in."""
        keys = ["all"]
        if group["topic_kind"] == "complaint":
            keys.append("complaint")
            if (
                group["state"] in RESOLVED_STATES
                and group["complaint_justified"]
                and group["complaint_answer_date:year"]
            ):
                keys.append("resolved")
        if group["topic_kind"] == "service_request":
            keys.append("service_request")
        if group["contract_outcome"]:
            keys.append("contract")
        return keys

    def _compute_figures(self):
        """Count the interactions of each company, row, column and year.

        Returns ``{company_id: {row_key: {column_key: [previous, current]}}}``.
        One grouped query per time zone of the companies.
        """
        self.ensure_one()
        figures = {
            company.id: {
                row: {column: [0, 0] for column in FORM_COLUMN_KEYS}
                for row in FORM_ROW_KEYS
            }
            for company in self.company_ids
        }
        by_timezone = defaultdict(lambda: self.env["res.company"])
        for company in self.company_ids:
            by_timezone[company._grid_timezone().zone] |= company
        groupby = self._figure_groupby()
        interactions = self.env["grid.interaction"]
        for zone, companies in by_timezone.items():
            start, end = self._period_bounds(pytz.timezone(zone))
            groups = interactions.with_context(tz=zone)._read_group(
                [
                    ("company_id", "in", companies.ids),
                    ("received_at", ">=", start),
                    ("received_at", "<", end),
                    ("state", "!=", "cancelled"),
                    ("channel", "not in", OUTBOUND_CHANNELS),
                    ("topic_kind", "not in", OUTBOUND_TOPIC_KINDS),
                ],
                ["company_id", "received_at:year", *groupby],
                ["__count"],
            )
            for company, year_start, *values, count in groups:
                group = dict(zip(groupby, values, strict=True))
                for field_name in groupby:
                    if isinstance(group[field_name], models.BaseModel):
                        group[field_name] = group[field_name].id
                index = 1 if year_start.year == self.year else 0
                column = self._channel_form_column(group["channel"])
                for row in self._row_keys_of(group):
                    figures[company.id][row][column][index] += count
        return figures

    @api.model
    def _change_percent(self, previous, current):
        """Return the change from ``previous`` to ``current`` in percent,
        rounded to two decimals, or None when it is not defined."""
        if not previous:
            return 0.0 if not current else None
        return round((current - previous) * 100.0 / previous, 2)

    def _report_values(self):
        """Return what the screen, the XLSX file and the e-mail show: per
        company, the rows with their cells and the notes."""
        self.ensure_one()
        figures = self._compute_figures()
        columns = self._form_columns()
        companies = []
        for company in self.company_ids:
            rows = []
            for number, key, label in self._form_rows():
                cells = []
                for column, _column_label in columns:
                    previous, current = figures[company.id][key][column]
                    change = self._change_percent(previous, current)
                    cells.append(
                        {
                            "previous": previous,
                            "current": current,
                            "change": change,
                            "change_text": self._format_change(change),
                        }
                    )
                rows.append(
                    {"number": number, "key": key, "label": label, "cells": cells}
                )
            companies.append({"company": company, "name": company.name, "rows": rows})
        return {
            "title": self.env._(
                "Quality of Service to Consumers: Interactions by Form of Service"
            ),
            "year": self.year,
            "previous_year": self.year - 1,
            "columns": [label for _key, label in columns],
            "companies": companies,
            "definitions": self._definitions(),
            "labels": {
                "number": self.env._("No."),
                "indicator": self.env._("Indicator"),
                "change": self.env._("Change, %"),
                "company": self.env._("Company"),
                "year": self.env._("Year"),
                "columns_note": self.env._("Columns: forms of service"),
                "rows_note": self.env._("What the rows count"),
            },
        }

    def _format_change(self, change):
        if change is None:
            return "—"
        return formatLang(self.env, change, digits=2)

    def _render_xlsx(self):
        """Return the report as the bytes of an XLSX file laid out like the
        official form: a sheet per company, then the notes."""
        self.ensure_one()
        return write_service_quality_workbook(self._report_values())

    def _xlsx_filename(self):
        self.ensure_one()
        return self.env._(
            "service-quality-report-%(year)s.xlsx", year=self.year
        ).replace("/", "-")
