from odoo import api, fields, models


class GridDesk(models.TransientModel):
    """The desk shows the operator the active outages at the caller's
    service points during the call, as the interaction form does."""

    _inherit = "grid.desk"

    outage_alert = fields.Text(
        compute="_compute_outage_alert",
        help="What the operator tells the caller about the active outages at "
        "the service point, or at any of the consumer's service points while "
        "none is chosen.",
    )

    @api.depends("service_point_id", "partner_id")
    def _compute_outage_alert(self):
        points_by_desk = {
            desk: desk.service_point_id or desk.partner_id.service_point_ids
            for desk in self
        }
        points = self.env["grid.service.point"].union(*points_by_desk.values())
        by_point = self.env["grid.outage"]._active_by_service_point(points)
        no_outage = self.env["grid.outage"]
        for desk in self:
            outages = no_outage.union(
                *(by_point.get(point.id, no_outage) for point in points_by_desk[desk])
            )
            desk.outage_alert = (
                "\n".join(outage._caller_summary() for outage in outages) or False
            )
