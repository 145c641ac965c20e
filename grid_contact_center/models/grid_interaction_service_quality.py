from odoo import fields, models

CONTRACT_OUTCOMES = [
    ("grid_connection", "Grid Connection Contract"),
    ("transmission", "Transmission Contract"),
]


class GridInteraction(models.Model):
    """The outcome of an interaction that the service-quality report counts
    and the register does not otherwise record: whether the contact led the
    consumer to sign a grid-connection or transmission contract."""

    _inherit = "grid.interaction"  # pylint: disable=consider-merging-classes-inherited

    contract_outcome = fields.Selection(
        CONTRACT_OUTCOMES,
        string="Led to Contract",
        tracking=True,
        copy=False,
        index="btree_not_null",
        help="Set when the consumer signed a grid-connection or transmission "
        "contract as a result of this interaction. The yearly service-quality "
        "report counts these interactions in its own row.",
    )
    contract_reference = fields.Char(
        string="Contract Number",
        tracking=True,
        copy=False,
        help="Number of the contract that the interaction led to, for the "
        "auditor who checks the service-quality report.",
    )
