from odoo import fields, models


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "grid.phone.dial.mixin"]

    grid_call_ids = fields.One2many("grid.call", "partner_id", string="Calls")
    grid_call_count = fields.Integer(
        string="Number of Calls", compute="_compute_grid_call_count"
    )

    def _compute_grid_call_count(self):
        counts = dict(
            self.env["grid.call"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.grid_call_count = counts.get(partner, 0)

    def action_view_grid_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "grid_contact_center_telephony.grid_call_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {}
        return action

    def _grid_dial_target(self):
        field = self.env.context.get("grid_dial_field")
        number = (
            self[field] if field in ("phone", "mobile") else self.mobile or self.phone
        )
        return {"number": number, "partner": self}
