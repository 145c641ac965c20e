from odoo import fields, models


class GridApiKeyShow(models.TransientModel):
    """Shows a newly generated API key once. The dialog is never saved: the
    key reaches it through the action's context and is gone when it closes."""

    _name = "grid.api.key.show"
    _description = "Show a New API Key"

    api_key_id = fields.Many2one("grid.api.key", string="API Key", readonly=True)
    key = fields.Char(readonly=True)
