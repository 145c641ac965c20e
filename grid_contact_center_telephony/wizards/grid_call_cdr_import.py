import base64
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.grid_call import number_values
from ..tools.cdr import CdrLayoutError, read_cdr, translate_message

_logger = logging.getLogger(__name__)


class GridCallCdrImport(models.TransientModel):
    """Import an Asterisk CDR file into the call log of a provider."""

    _name = "grid.call.cdr.import"
    _description = "Import CDR File"

    provider_id = fields.Many2one(
        "grid.telephony.provider",
        required=True,
        default=lambda self: self.env["grid.telephony.provider"].search([], limit=1),
    )
    cdr_file = fields.Binary(string="CDR File", required=True)
    filename = fields.Char()
    ignore_zone_mismatch = fields.Boolean(
        string="Import Despite Time Zone Check",
        help="Import the file even when its channel ids show another UTC offset "
        "than the provider's PBX time zone. Use it only when the PBX clock was set "
        "wrong, because the times are read in the provider's zone.",
    )
    result = fields.Text(readonly=True)
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")

    def action_import(self):
        self.ensure_one()
        self.env["grid.call"].check_access("create")
        data = base64.b64decode(self.cdr_file or b"")
        summary = self.sudo()._import_file(
            self.provider_id, data, ignore_zone_mismatch=self.ignore_zone_mismatch
        )
        self.write(
            {"result": _summary_text(self.env, summary, self.filename), "state": "done"}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    @api.model
    def _import_file(self, provider, data, ignore_zone_mismatch=False):
        """Merge the calls of a CDR file into the provider's call log.

        A call is keyed by its linkedid, like the live events: importing the
        same file twice, or a file of calls already logged live, creates no
        duplicate and overwrites nothing that is set. A later import therefore
        cannot move calls stored at wrong times, so a file whose uniqueids show
        another UTC offset than the provider's zone raises a UserError unless
        ``ignore_zone_mismatch`` is set. Returns counts, the layout, warnings
        and the skipped lines.
        """
        try:
            parsed = read_cdr(
                data,
                provider.pbx_timezone,
                provider.cdr_layout or None,
                provider.cdr_fallback_encoding or "cp1251",
                provider.extension_pattern or r"\d{2,4}",
                provider._inbound_context_set(),
            )
        except CdrLayoutError as error:
            raise UserError(
                self.env._(
                    "The CDR file cannot be read: %(error)s",
                    error=translate_message(self.env, error),
                )
            ) from error
        warnings = []
        mismatch = parsed.zone_mismatch
        if mismatch and not ignore_zone_mismatch:
            raise UserError(_zone_mismatch_error(self.env, mismatch, provider))
        if mismatch:
            _logger.warning(
                "CDR import for %s: times written in UTC%s are read in %s (UTC%s) "
                "because the time zone check is off",
                provider.code,
                mismatch.file_offset_text,
                mismatch.zone_name,
                mismatch.read_offset_text,
            )
            warnings.append(_zone_mismatch_warning(self.env, mismatch))
        for error in parsed.errors:
            _logger.warning(
                "CDR import for %s: line %s skipped: %s",
                provider.code,
                error.line,
                error.message,
            )
        calls = self.env["grid.call"].with_company(provider.company_id)
        existing = {}
        ids = [call.call_id for call in parsed.calls]
        for start in range(0, len(ids), 1000):
            found = calls.search(
                [
                    ("provider_id", "=", provider.id),
                    ("external_call_id", "in", ids[start : start + 1000]),
                ]
            )
            existing.update({call.external_call_id: call for call in found})
        to_create, updated, unchanged = [], 0, 0
        agents = self._agents_by_extension(
            {c.agent_extension for c in parsed.calls if c.agent_extension},
            provider.company_id,
        )
        for cdr_call in parsed.calls:
            values = _cdr_values(cdr_call, agents)
            call = existing.get(cdr_call.call_id)
            if call is None:
                to_create.append(
                    {
                        **values,
                        "provider_id": provider.id,
                        "company_id": provider.company_id.id,
                        "external_call_id": cdr_call.call_id,
                        "source": "cdr",
                        "state": "ended",
                    }
                )
                continue
            changes = {
                name: value
                for name, value in values.items()
                if value not in (False, None, "") and not call[name]
            }
            if call.state != "ended":
                changes["state"] = "ended"
            if changes:
                call.write(changes)
                updated += 1
            else:
                unchanged += 1
        self._add_identification(to_create, provider)
        created = calls.create(to_create) if to_create else calls.browse()
        _logger.info(
            "CDR import for %s: %s rows, %s calls (%s new, %s completed, "
            "%s unchanged), %s lines skipped",
            provider.code,
            parsed.rows,
            len(parsed.calls),
            len(created),
            updated,
            unchanged,
            len(parsed.errors),
        )
        return {
            "rows": parsed.rows,
            "layout": _layout_text(self.env, parsed),
            "calls": len(parsed.calls),
            "created": len(created),
            "updated": updated,
            "unchanged": unchanged,
            "warnings": warnings,
            "errors": parsed.errors,
        }

    @api.model
    def _add_identification(self, vals_list, provider):
        """Add caller identification to the values of new calls, with one
        query on the phone index for all of them."""
        area = provider._area_code()
        for vals in vals_list:
            vals.update(number_values(vals, area))
        calls = self.env["grid.call"]
        found = calls._grid_match_keys(
            {vals["contact_number_key"] for vals in vals_list} - {False},
            provider.company_id,
        )
        for vals in vals_list:
            matches = found.get(vals["contact_number_key"], [])
            vals.update(calls._grid_values_for_matches(matches))

    @api.model
    def _agents_by_extension(self, extensions, company):
        if not extensions:
            return {}
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("grid_phone_extension", "in", list(extensions)),
                    ("company_ids", "in", company.ids),
                ]
            )
        )
        return {user.grid_phone_extension: user for user in users}


def _layout_text(env, parsed):
    width = len(parsed.layout)
    labels = {
        "configured": env._("configured, %(width)s columns", width=width),
        "header": env._("header line, %(width)s columns", width=width),
        "cdr_csv": env._("cdr_csv, %(width)s columns", width=width),
        "detected": env._("detected, %(width)s columns", width=width),
    }
    return labels.get(parsed.layout_source, parsed.layout_source)


def _zone_mismatch_error(env, mismatch, provider):
    return env._(
        "The channel ids of this file show that its times are in UTC%(file_offset)s, "
        "but the provider %(provider)s reads them in its PBX time zone %(zone)s "
        "(UTC%(read_offset)s), so every call would be stored at a wrong time. "
        "Nothing was imported. Set the provider's PBX time zone to the zone of the "
        "PBX that wrote the file (UTC%(file_offset)s) and import the file again.",
        file_offset=mismatch.file_offset_text,
        provider=provider.display_name,
        zone=mismatch.zone_name,
        read_offset=mismatch.read_offset_text,
    )


def _zone_mismatch_warning(env, mismatch):
    return env._(
        "The channel ids show that the file's times are in UTC%(file_offset)s, but "
        "they were read in %(zone)s (UTC%(read_offset)s) because the time zone "
        "check was off.",
        file_offset=mismatch.file_offset_text,
        zone=mismatch.zone_name,
        read_offset=mismatch.read_offset_text,
    )


def _summary_text(env, summary, filename):
    lines = [
        env._(
            "%(file)s: %(rows)s rows read (layout: %(layout)s), %(calls)s calls: "
            "%(created)s new, %(updated)s completed, %(unchanged)s unchanged.",
            file=filename or env._("CDR file"),
            rows=summary["rows"],
            layout=summary["layout"],
            calls=summary["calls"],
            created=summary["created"],
            updated=summary["updated"],
            unchanged=summary["unchanged"],
        )
    ]
    lines += summary["warnings"]
    if summary["errors"]:
        lines.append(env._("%(count)s lines skipped:", count=len(summary["errors"])))
        lines += [
            env._(
                "line %(line)s: %(message)s: %(text)s",
                line=e.line,
                message=translate_message(env, e),
                text=e.text,
            )
            for e in summary["errors"]
        ]
    return "\n".join(lines)


def _cdr_values(cdr_call, agents):
    agent = agents.get(cdr_call.agent_extension)
    values = {
        "direction": cdr_call.direction,
        "caller_number": cdr_call.caller_number or False,
        "caller_name": cdr_call.caller_name or False,
        "called_number": cdr_call.called_number or False,
        "arrived_at": cdr_call.arrived_at.replace(tzinfo=None),
        "answered_at": cdr_call.answered_at.replace(tzinfo=None)
        if cdr_call.answered_at
        else False,
        "ended_at": cdr_call.ended_at.replace(tzinfo=None),
        "outcome": cdr_call.outcome,
        "agent_extension": cdr_call.agent_extension or False,
        "wait_seconds": cdr_call.wait_seconds,
        "talk_seconds": cdr_call.talk_seconds,
    }
    if agent:
        values["agent_id"] = agent.id
    return values
