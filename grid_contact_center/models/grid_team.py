from odoo import fields, models


class GridTeam(models.Model):
    """A group of operators, such as a shift or the team of a grid district."""

    _name = "grid.team"
    _description = "Contact Center Team"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    user_ids = fields.Many2many(
        "res.users",
        string="Members",
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("grid_contact_center.group_operator").id)
        ],
    )
    supervisor_id = fields.Many2one("res.users")
    active = fields.Boolean(default=True)
