from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

ANSWER_CHANNELS = [
    ("phone", "Telephone"),
    ("sms", "SMS"),
    ("email", "E-mail"),
    ("letter", "Letter"),
    ("personal_account", "Personal Account on the Website"),
    ("office", "In the Service Office"),
]
# The answer channel a complaint defaults to, from the channel it came by.
DEFAULT_ANSWER_CHANNEL = {
    "phone_in": "phone",
    "phone_out": "phone",
    "office": "letter",
    "website": "personal_account",
    "email": "email",
    "letter": "letter",
    "messenger": "email",
}
JUSTIFICATIONS = [
    ("justified", "Justified"),
    ("partly", "Partly Justified"),
    ("unjustified", "Not Justified"),
]


class GridInteraction(models.Model):
    """Complaints (duty 9): a statement that the consumer's rights were
    violated, answered in writing or by the channel the consumer chose."""

    _inherit = "grid.interaction"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    complaint_demands = fields.Text(
        string="Demands", help="What the consumer demands from the grid company."
    )
    complaint_incident_at = fields.Datetime(
        string="Violation Time",
        help="When the violation that the consumer complains of happened, for "
        "instance the time of a voltage drop.",
    )
    complaint_answer_channel = fields.Selection(
        ANSWER_CHANNELS,
        string="Preferred Answer Channel",
        compute="_compute_complaint_answer_channel",
        store=True,
        readonly=False,
        tracking=True,
    )
    complaint_resolution = fields.Text(
        string="Resolution",
        tracking=True,
        help="What the grid company did about the complaint.",
    )
    complaint_justified = fields.Selection(
        JUSTIFICATIONS, string="Complaint Was", tracking=True
    )
    complaint_answer_date = fields.Date(
        string="Answer Date",
        tracking=True,
        help="Date the answer was sent to the consumer.",
    )

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("topic_kind", "channel")
    def _compute_complaint_answer_channel(self):
        for interaction in self:
            if interaction.topic_kind != "complaint":
                interaction.complaint_answer_channel = False
            elif not interaction.complaint_answer_channel:
                interaction.complaint_answer_channel = DEFAULT_ANSWER_CHANNEL.get(
                    interaction.channel
                )

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains(
        "state",
        "topic_id",
        "answer",
        "complaint_justified",
        "complaint_answer_date",
    )
    def _check_complaint_answered(self):
        for interaction in self:
            if interaction.topic_kind != "complaint" or interaction.state not in (
                "answered",
                "closed",
            ):
                continue
            missing = interaction._complaint_missing_fields()
            if missing:
                raise ValidationError(
                    self.env._(
                        "Complaint %(number)s cannot be answered or closed without "
                        "%(fields)s.",
                        number=interaction.name,
                        fields=", ".join(missing),
                    )
                )

    @api.constrains("complaint_answer_date", "received_at")
    def _check_complaint_answer_date(self):
        today = fields.Date.context_today(self)
        for interaction in self:
            answer_date = interaction.complaint_answer_date
            if not answer_date:
                continue
            if answer_date > today:
                raise ValidationError(
                    self.env._(
                        "The answer date of complaint %(number)s, %(date)s, is in "
                        "the future. Enter the date the answer was sent.",
                        number=interaction.name,
                        date=format_date(self.env, answer_date),
                    )
                )
            received = fields.Date.context_today(self, interaction.received_at)
            if answer_date < received:
                raise ValidationError(
                    self.env._(
                        "The answer date of complaint %(number)s, %(date)s, is "
                        "before the complaint was received on %(received)s.",
                        number=interaction.name,
                        date=format_date(self.env, answer_date),
                        received=format_date(self.env, received),
                    )
                )

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_answer(self):
        # The answer goes out when the operator marks the complaint answered,
        # unless an earlier date was recorded.
        for interaction in self:
            if (
                interaction.topic_kind == "complaint"
                and not interaction.complaint_answer_date
            ):
                interaction.complaint_answer_date = fields.Date.context_today(self)
        return super().action_answer()

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _complaint_missing_fields(self):
        """Return the labels of the fields that a complaint's answer needs and
        that are empty."""
        self.ensure_one()
        labels = {
            name: self._fields[name]._description_string(self.env)
            for name in ("answer", "complaint_justified", "complaint_answer_date")
        }
        return [label for name, label in labels.items() if not self[name]]
