from odoo import fields, models


# Each feature extends the service point in its own file.
# pylint: disable=consider-merging-classes-inherited
class GridServicePoint(models.Model):
    _inherit = "grid.service.point"

    meter_ids = fields.One2many("grid.meter", "service_point_id", string="Meters")
    meter_count = fields.Integer(compute="_compute_meter_count")
    meter_reading_ids = fields.One2many(
        "grid.meter.reading", "service_point_id", string="Meter Readings"
    )

    def _compute_meter_count(self):
        counts = dict(
            self.env["grid.meter"]._read_group(
                [("service_point_id", "in", self.ids)],
                ["service_point_id"],
                ["__count"],
            )
        )
        for point in self:
            point.meter_count = counts.get(point, 0)
