from odoo import fields, models

from .grid_topic import DEADLINE_UNITS


class GridTopicDeadline(models.Model):
    """A company's own answer term for a topic, where its contracts or local
    rules differ from the topic's default."""

    _name = "grid.topic.deadline"
    _description = "Answer Term of a Topic in a Company"

    topic_id = fields.Many2one(
        "grid.topic", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    deadline_amount = fields.Integer(string="Answer Within", required=True)
    deadline_unit = fields.Selection(DEADLINE_UNITS, required=True)

    _sql_constraints = [
        (
            "topic_company_unique",
            "unique (topic_id, company_id)",
            "This company already has its own answer term for this topic.",
        ),
        (
            "amount_not_negative",
            "check (deadline_amount >= 0)",
            "The answer term cannot be negative.",
        ),
    ]
