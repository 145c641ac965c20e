from odoo import models


class GridServicePoint(models.Model):
    _name = "grid.service.point"
    _inherit = ["grid.service.point", "grid.phone.dial.mixin"]

    def _grid_dial_target(self):
        return {
            "number": self.phone or self.partner_id.mobile or self.partner_id.phone,
            "partner": self.partner_id,
            "service_point": self,
        }
