from odoo import api, fields, models

METER_READING_TOPIC = "grid_contact_center.topic_3"


# Each feature extends the interaction in its own file.
# pylint: disable=consider-merging-classes-inherited
class GridInteraction(models.Model):
    _inherit = "grid.interaction"

    meter_reading_ids = fields.One2many(
        "grid.meter.reading", "interaction_id", string="Meter Readings"
    )
    is_meter_reading_topic = fields.Boolean(compute="_compute_is_meter_reading_topic")
    meter_reading_window = fields.Char(
        string="Reading Window", compute="_compute_meter_reading_window"
    )

    @api.depends("topic_id")
    def _compute_is_meter_reading_topic(self):
        topic = self.env.ref(METER_READING_TOPIC, raise_if_not_found=False)
        for interaction in self:
            # The topic or one of its subtopics.
            interaction.is_meter_reading_topic = bool(
                topic
                and interaction.topic_id.parent_path
                and interaction.topic_id.parent_path.startswith(topic.parent_path)
            )

    @api.depends("company_id", "partner_id.consumer_category")
    def _compute_meter_reading_window(self):
        windows = self.env["grid.meter.reading.window"]._grid_for(self.company_id)
        for interaction in self:
            window = windows.get(
                (interaction.company_id.id, interaction.partner_id.consumer_category)
            )
            interaction.meter_reading_window = (
                window._grid_describe() if window else False
            )
