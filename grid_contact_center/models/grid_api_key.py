import hashlib
import secrets

from odoo import api, fields, models

KEY_PREFIX = "gcc_"
# Characters of a key shown in lists, so that staff can tell keys apart.
HINT_LENGTH = 8
API_KEY_SOURCES = [
    ("ivr", "IVR"),
    ("website", "Website"),
    ("api", "API"),
]


def hash_key(key):
    """Return the stored form of a key.

    A key holds 256 random bits, so one round of SHA-256 is enough: the slow
    hashes made for passwords guard against guessing, which is hopeless here.
    """
    return hashlib.sha256(key.encode()).hexdigest()


class GridApiKey(models.Model):
    """A key with which an outside system (IVR, website) calls the contact
    center's endpoints for one company. Only its hash is stored; the key is
    shown once, when it is generated."""

    _name = "grid.api.key"
    _description = "API Key"
    _order = "company_id, name"
    _check_company_auto = True

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    name = fields.Char(
        required=True, help="The system that uses the key, e.g. IVR of the hotline."
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The key registers readings of this company's meters only.",
    )
    source = fields.Selection(
        API_KEY_SOURCES,
        required=True,
        default="api",
        help="Source recorded on the readings received with this key.",
    )
    key_hint = fields.Char(
        readonly=True, copy=False, help="Start of the key, to tell keys apart."
    )
    key_hash = fields.Char(
        readonly=True, copy=False, index=True, groups="base.group_system"
    )
    has_key = fields.Boolean(compute="_compute_has_key")
    generated_at = fields.Datetime(readonly=True, copy=False)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("key_hash_unique", "unique (key_hash)", "This key is already in use."),
    ]

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("key_hint")
    def _compute_has_key(self):
        for api_key in self:
            api_key.has_key = bool(api_key.key_hint)

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_generate_key(self):
        """Generate a new key, replacing the previous one, and show it once."""
        self.ensure_one()
        self.check_access("write")
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        self.sudo().write(
            {
                "key_hash": hash_key(key),
                "key_hint": key[: len(KEY_PREFIX) + HINT_LENGTH],
                "generated_at": fields.Datetime.now(),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("API Key Generated"),
            "res_model": "grid.api.key.show",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_key": key, "default_api_key_id": self.id},
        }

    def action_revoke_key(self):
        self.sudo().write({"key_hash": False, "key_hint": False, "generated_at": False})

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    @api.model
    def _grid_authenticate(self, key):
        """Return the active key record matching ``key``, or an empty
        recordset."""
        if not key or not key.startswith(KEY_PREFIX):
            return self.browse()
        return self.sudo().search([("key_hash", "=", hash_key(key))], limit=1)
