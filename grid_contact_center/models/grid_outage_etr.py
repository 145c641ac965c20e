from odoo import fields, models


class GridOutageEtr(models.Model):
    """One value that an outage's estimated restoration time (ETR) took, so
    that dispatch and the contact center can see what callers were told and
    when the estimate moved."""

    _name = "grid.outage.etr"
    _description = "Estimated Restoration Time Change"
    _order = "create_date desc, id desc"

    outage_id = fields.Many2one(
        "grid.outage", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="outage_id.company_id", store=True)
    etr = fields.Datetime(string="New ETR")
    previous_etr = fields.Datetime(string="Previous ETR")
    reason = fields.Char()
    user_id = fields.Many2one(
        "res.users", string="Changed By", default=lambda self: self.env.user
    )
    create_date = fields.Datetime(string="Changed At", readonly=True)
