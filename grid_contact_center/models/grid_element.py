from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

ELEMENT_KINDS = [
    ("substation", "Substation"),
    ("feeder", "Feeder"),
    ("transformer_substation", "Transformer Substation"),
    ("line", "Line"),
]
# Kinds at which reports from consumers are grouped into one suspected
# outage: the transformer substation or feeder that supplies the caller.
GROUPING_KINDS = ("transformer_substation", "feeder")


class GridElement(models.Model):
    """A node of the grid: a substation, a feeder, a transformer substation or
    a line, under the element that supplies it. Service points hang from the
    transformer substation, feeder or line they take power from, so the
    service points that an element supplies are those under it in the tree.
    """

    _name = "grid.element"
    _description = "Grid Element"
    _parent_store = True
    _order = "complete_name, id"
    _rec_names_search = ["name", "code"]
    _check_company_auto = True

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    name = fields.Char(required=True, index="trigram")
    code = fields.Char(
        required=True,
        index=True,
        help="Dispatch name of the element, unique within a company, such as "
        "PS-12, F-12-01 or TP-101. Topology files refer to elements by code.",
    )
    kind = fields.Selection(
        ELEMENT_KINDS, required=True, default="transformer_substation"
    )
    parent_id = fields.Many2one(
        "grid.element",
        string="Supplied From",
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("grid.element", "parent_id", string="Supplies")
    complete_name = fields.Char(
        compute="_compute_complete_name", store=True, recursive=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    settlement_id = fields.Many2one("grid.settlement")
    location = fields.Char(help="Address or place of the element.")
    service_point_ids = fields.One2many(
        "grid.service.point",
        "grid_element_id",
        string="Directly Attached Service Points",
    )
    service_point_count = fields.Integer(
        string="Service Points Supplied",
        compute="_compute_service_point_count",
        help="Service points attached to this element or to any element under it.",
    )
    outage_ids = fields.Many2many(
        "grid.outage",
        "grid_outage_element_rel",
        "element_id",
        "outage_id",
        string="Outages",
        readonly=True,
    )
    last_report_at = fields.Datetime(
        string="Last Consumer Report",
        readonly=True,
        copy=False,
        help="When a consumer last reported an interruption grouped at this "
        "element. Writing it also serialises the grouping of concurrent reports.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "code_company_unique",
            "unique (code, company_id)",
            "A grid element with this code already exists in this company.",
        ),
    ]

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for element in self:
            if element.parent_id:
                element.complete_name = (
                    f"{element.parent_id.complete_name} / {element.name}"
                )
            else:
                element.complete_name = element.name

    @api.depends("name", "code")
    def _compute_display_name(self):
        for element in self:
            if element.code and element.code != element.name:
                element.display_name = f"{element.name} [{element.code}]"
            else:
                element.display_name = element.name

    def _compute_service_point_count(self):
        counts = self._service_point_counts()
        for element in self:
            element.service_point_count = counts.get(element.id, 0)

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(
                self.env._("A grid element cannot be supplied from itself.")
            )

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_view_service_points(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "grid_contact_center.grid_service_point_action"
        )
        action["domain"] = [("grid_element_id", "child_of", self.id)]
        action["context"] = {"default_grid_element_id": self.id}
        return action

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _service_point_counts(self):
        """Return ``{element id: number of active service points under it}``
        for the elements of ``self``, in one query."""
        if not self.ids:
            return {}
        self.flush_model(["parent_path"])
        self.env["grid.service.point"].flush_model(["grid_element_id", "active"])
        self.env.cr.execute(
            SQL(
                """
                SELECT top.id, COUNT(point.id)
                  FROM grid_element top
                  JOIN grid_element below
                    ON starts_with(below.parent_path, top.parent_path)
                  JOIN grid_service_point point
                    ON point.grid_element_id = below.id AND point.active
                 WHERE top.id IN %s
                 GROUP BY top.id
                """,
                tuple(self.ids),
            )
        )
        return dict(self.env.cr.fetchall())

    def _ancestor_ids(self):
        """Return the ids of the elements of ``self`` and of every element
        above them, read from their parent paths without a query."""
        return {
            int(part)
            for path in self.mapped("parent_path")
            if path
            for part in path.rstrip("/").split("/")
        }

    def _grouping_element(self):
        """Return the element at which reports from service points attached
        to ``self`` are grouped: the nearest transformer substation or feeder
        at or above ``self``, else ``self``."""
        self.ensure_one()
        path_ids = [int(part) for part in self.parent_path.rstrip("/").split("/")]
        kinds = dict(
            self.browse(path_ids)
            .with_context(active_test=False)
            .mapped(lambda element: (element.id, element.kind))
        )
        for element_id in reversed(path_ids):
            if kinds.get(element_id) in GROUPING_KINDS:
                return self.browse(element_id)
        return self
