from odoo import Command, fields, models


class GridDesk(models.TransientModel):
    """The desk opened from a call's card remembers the call, so that the
    interaction registered there is linked to it."""

    _inherit = "grid.desk"

    call_id = fields.Many2one(
        "grid.call",
        string="Call",
        readonly=True,
        ondelete="set null",
        help="The call that the desk was opened from. The interaction "
        "registered here is linked to it.",
    )

    def _prepare_interaction_values(self):
        values = super()._prepare_interaction_values()
        call = self.call_id
        # A call stays linked to the first interaction registered from it,
        # for instance when the operator goes back to the desk and registers
        # again.
        if not call or call.interaction_id:
            return values
        commands = [Command.link(call.id)]
        # The consumer that the operator chose among the matches, or
        # registered, becomes the call's consumer.
        call_values = {}
        if not call.partner_id and self.partner_id:
            call_values["partner_id"] = self.partner_id.id
        if not call.service_point_id and self.service_point_id:
            call_values["service_point_id"] = self.service_point_id.id
        if call_values:
            commands.append(Command.update(call.id, call_values))
        values["call_ids"] = commands
        return values
