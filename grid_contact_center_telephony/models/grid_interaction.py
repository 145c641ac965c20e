from odoo import fields, models


class GridInteraction(models.Model):
    _name = "grid.interaction"
    _inherit = ["grid.interaction", "grid.phone.dial.mixin"]

    call_ids = fields.One2many("grid.call", "interaction_id", string="Calls")
    call_count = fields.Integer(compute="_compute_call_count")

    def _compute_call_count(self):
        if not self.env["grid.call"].has_access("read"):
            # Dispatchers and inspectors open interactions but not calls.
            self.call_count = 0
            return
        counts = dict(
            self.env["grid.call"]._read_group(
                [("interaction_id", "in", self.ids)], ["interaction_id"], ["__count"]
            )
        )
        for interaction in self:
            interaction.call_count = counts.get(interaction, 0)

    def action_view_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "grid_contact_center_telephony.grid_call_action"
        )
        action["domain"] = [("interaction_id", "=", self.id)]
        action["context"] = {}
        return action

    def _grid_dial_target(self):
        return {
            "number": self.caller_phone,
            "partner": self.partner_id,
            "service_point": self.service_point_id,
            "interaction": self,
        }
