from odoo import fields, models

SATISFACTION_CHANNELS = [
    ("auto", "E-mail or SMS, as Consented"),
    ("email", "E-mail"),
    ("sms", "SMS"),
    ("call", "Asked by the Operator"),
]


class GridTopic(models.Model):
    _inherit = "grid.topic"

    satisfaction_survey_id = fields.Many2one(
        "survey.survey",
        string="Satisfaction Survey",
        domain=[("access_mode", "=", "token")],
        ondelete="set null",
        help="Survey sent to the consumer when an interaction on this topic "
        "closes. Subtopics without a survey of their own use their parent's.",
    )
    satisfaction_channel = fields.Selection(
        SATISFACTION_CHANNELS,
        string="Satisfaction Survey Channel",
        default="auto",
        required=True,
        help="E-mail or SMS, as consented: by e-mail when the consumer consented "
        "to e-mail and has an address, else by SMS. Asked by the operator: "
        "nothing is sent, and the operator asks the questions before the "
        "call ends.",
    )

    def _satisfaction_rule(self):
        """Return ``(survey, channel)`` of the topic or of its nearest parent
        with a satisfaction survey; an empty survey when there is none."""
        self.ensure_one()
        topic = self
        while topic:
            if topic.satisfaction_survey_id:
                return topic.satisfaction_survey_id, topic.satisfaction_channel
            topic = topic.parent_id
        return self.env["survey.survey"], False
