import base64

from odoo import fields, models


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
    result = fields.Text(readonly=True)
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")

    def action_import(self):
        self.ensure_one()
        self.env["grid.call"].check_access("create")
        data = base64.b64decode(self.cdr_file or b"")
        summary = self.env["grid.call"].sudo()._grid_import_cdr(self.provider_id, data)
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
                message=e.message,
                text=e.text,
            )
            for e in summary["errors"]
        ]
    return "\n".join(lines)
