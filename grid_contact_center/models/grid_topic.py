from odoo import api, fields, models
from odoo.exceptions import ValidationError

TOPIC_KINDS = [
    ("information", "Information"),
    ("consultation", "Consultation"),
    ("service_request", "Service Request"),
    ("report", "Report"),
    ("complaint", "Complaint"),
    ("outbound_notice", "Outbound Notice"),
    ("survey", "Survey"),
]
DEADLINE_UNITS = [
    ("hours", "Hours"),
    ("calendar_days", "Calendar Days"),
    ("working_days", "Working Days"),
]
# Kinds of questions that the consumer expects an answer to over the
# telephone; reports go to dispatch or inspection, which act on them instead.
CALLBACK_KINDS = ("information", "consultation", "service_request")
ROUTINGS = [
    ("none", "Contact Center"),
    ("dispatch", "Dispatch"),
    ("inspection", "Inspection"),
]


class GridTopic(models.Model):
    """A subject of interactions, with the answer deadline and the routing
    that interactions on it get. Topics form a tree whose first level follows
    the duties of the unified service standards for grid companies."""

    _name = "grid.topic"
    _description = "Interaction Topic"
    _parent_store = True
    _order = "sequence, code, id"
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        help="Number of the duty in the unified service standards, such as 4.2, "
        "or a code of the company's own.",
    )
    sequence = fields.Integer(default=10)
    parent_id = fields.Many2one(
        "grid.topic", string="Parent Topic", index=True, ondelete="restrict"
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("grid.topic", "parent_id", string="Subtopics")
    kind = fields.Selection(TOPIC_KINDS, required=True, default="information")
    deadline_amount = fields.Integer(
        string="Answer Within",
        help="Length of the answer term. 0 means the answer is due during the "
        "contact itself; a question left open is then due within the term of the "
        "Callback topic.",
    )
    deadline_unit = fields.Selection(DEADLINE_UNITS, default="calendar_days")
    routing = fields.Selection(
        ROUTINGS,
        required=True,
        default="none",
        help="Who handles reports on this topic after the contact center registers "
        "them.",
    )
    callback_when_unanswered = fields.Boolean(
        string="Call Back If Not Answered",
        compute="_compute_callback_when_unanswered",
        store=True,
        readonly=False,
        help="An incoming call on this topic that is not answered during the call "
        "makes a callback due within the answer term of the Callback topic (8).",
    )
    answer_script = fields.Html(
        translate=True,
        sanitize_style=True,
        help="What the operator tells the caller, shown while registering.",
    )
    company_deadline_ids = fields.One2many(
        "grid.topic.deadline",
        "topic_id",
        string="Answer Terms per Company",
        help="Companies whose answer term on this topic differs from the default.",
    )
    active = fields.Boolean(default=True)

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("name", "code")
    def _compute_display_name(self):
        for topic in self:
            topic.display_name = (
                f"{topic.code} {topic.name}" if topic.code else topic.name
            )

    @api.depends("kind")
    def _compute_callback_when_unanswered(self):
        for topic in self:
            topic.callback_when_unanswered = topic.kind in CALLBACK_KINDS

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A topic cannot be its own parent topic."))

    @api.constrains("deadline_amount", "deadline_unit")
    def _check_deadline(self):
        for topic in self:
            if topic.deadline_amount < 0:
                raise ValidationError(
                    self.env._(
                        "The answer term of topic %(topic)s cannot be negative.",
                        topic=topic.display_name,
                    )
                )
            if topic.deadline_amount and not topic.deadline_unit:
                raise ValidationError(
                    self.env._(
                        "Choose the unit of the answer term of topic %(topic)s.",
                        topic=topic.display_name,
                    )
                )

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _deadline_rule(self, company):
        """Return the answer term ``(amount, unit)`` of the topic in a company:
        the company's own term if it has one, else the topic's default."""
        self.ensure_one()
        own = self.company_deadline_ids.filtered(
            lambda rule: rule.company_id == company
        )
        if own:
            return own[0].deadline_amount, own[0].deadline_unit
        return self.deadline_amount, self.deadline_unit
