from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    grid_quality_question = fields.Boolean(
        string="Counts Toward the Quality Score",
        help="The answer on the rating scale enters the answer's quality score, "
        "from 0 % at the lowest to 100 % at the highest value of the scale.",
    )

    @api.constrains("grid_quality_question", "question_type")
    def _check_grid_quality_question(self):
        for question in self:
            if question.grid_quality_question and question.question_type != "scale":
                raise ValidationError(
                    self.env._(
                        "Only a question on a rating scale can count toward the "
                        "quality score; %(question)s is not one.",
                        question=question.title,
                    )
                )
