from odoo import models


class GridNoticeRecipient(models.Model):
    """Call tasks of notices are dialled through the PBX from the task."""

    _name = "grid.notice.recipient"
    _inherit = ["grid.notice.recipient", "grid.phone.dial.mixin"]

    def _grid_dial_target(self):
        return {
            "number": self.phone,
            "partner": self.partner_id,
            "service_point": self.service_point_id,
        }
