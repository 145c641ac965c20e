from odoo import models
from odoo.exceptions import UserError


class GridPhoneDialMixin(models.AbstractModel):
    """A phone button that dials the record's number through the PBX from the
    current user's extension. A model that inherits it returns its number and
    links in `_grid_dial_target`."""

    _name = "grid.phone.dial.mixin"
    _description = "Click to Dial"

    def _grid_dial_target(self):
        """Return {"number": ..., "partner": ..., "service_point": ...,
        "interaction": ...}; only the number is required."""
        raise NotImplementedError

    def action_grid_dial(self):
        self.ensure_one()
        self.check_access("read")
        target = self._grid_dial_target()
        number = self.env.context.get("grid_dial_number") or target.get("number")
        if not number:
            raise UserError(self.env._("There is no telephone number to dial."))
        call = self.env["grid.call"]._grid_click_to_dial(
            number,
            partner=target.get("partner"),
            service_point=target.get("service_point"),
            interaction=target.get("interaction"),
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("Calling %(number)s", number=number),
                "message": self.env._(
                    "Your phone (extension %(extension)s) rings first: pick it up "
                    "to be connected.",
                    extension=call.agent_extension,
                ),
                "sticky": False,
            },
        }
