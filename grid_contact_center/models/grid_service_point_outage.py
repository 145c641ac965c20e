from odoo import api, fields, models


# Each feature extends the service point in its own file.
# pylint: disable=consider-merging-classes-inherited
class GridServicePoint(models.Model):
    _inherit = "grid.service.point"

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    grid_element_id = fields.Many2one(
        "grid.element",
        string="Grid Element",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="The transformer substation, feeder or line that supplies the "
        "service point. Outages of this element or of any element above it "
        "interrupt the service point.",
    )
    grid_element_path = fields.Char(
        related="grid_element_id.complete_name", string="Place in the Grid"
    )
    active_outage_ids = fields.Many2many(
        "grid.outage",
        string="Active Outages",
        compute="_compute_active_outage_ids",
        help="Outages in progress that interrupt this service point.",
    )
    interruption_hours_year = fields.Float(
        string="Interruptions This Year (h)",
        compute="_compute_interruption_hours_year",
        help="Hours of confirmed and restored outages this calendar year that "
        "interrupted this service point, the current outage included.",
    )

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("grid_element_id")
    def _compute_active_outage_ids(self):
        outages_by_point = self.env["grid.outage"]._active_by_service_point(self)
        for point in self:
            point.active_outage_ids = outages_by_point.get(
                point.id, self.env["grid.outage"]
            )

    @api.depends("grid_element_id")
    def _compute_interruption_hours_year(self):
        outages = self.env["grid.outage"]
        hours_by_element = {}
        for company in self.company_id:
            elements = self.filtered(
                lambda point, company=company: point.company_id == company
            ).grid_element_id
            hours_by_element.update(
                outages._yearly_interruption_hours(elements, company)
            )
        for point in self:
            point.interruption_hours_year = hours_by_element.get(
                point.grid_element_id.id, 0.0
            )
