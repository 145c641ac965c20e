import re
import secrets

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.base.models.res_partner import _tz_get

from ..tools.cdr import CdrLayoutError, parse_layout, translate_message

PROVIDER_KINDS = [
    ("generic", "Asterisk Bridge or Generic"),
    ("mango", "Mango Office"),
    ("zadarma", "Zadarma"),
]
DIAL_FORMATS = [
    ("national_8", "8 and ten digits (89161234567)"),
    ("e164", "International (+79161234567)"),
    ("national_10", "Ten digits (9161234567)"),
]
_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


class GridTelephonyProvider(models.Model):
    """A PBX or telephony service connected to the contact center: how its
    call events are authenticated, how Odoo dials through it, and how its CDR
    files are read."""

    _name = "grid.telephony.provider"
    _description = "Telephony Provider"
    _order = "sequence, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------

    name = fields.Char(required=True)
    code = fields.Char(
        required=True,
        copy=False,
        help="Names the provider in its webhook address: lower-case letters, "
        "digits, - and _.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(PROVIDER_KINDS, required=True, default="generic")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    webhook_secret = fields.Char(
        copy=False,
        groups="grid_contact_center.group_manager",
        default=lambda self: secrets.token_urlsafe(32),
        help="Key of the HMAC-SHA256 signature of the call events that the "
        "AMI bridge or another integration posts.",
    )
    mango_api_key = fields.Char(
        string="Mango API Key", copy=False, groups="grid_contact_center.group_manager"
    )
    mango_api_salt = fields.Char(
        string="Mango API Salt", copy=False, groups="grid_contact_center.group_manager"
    )
    zadarma_api_secret = fields.Char(
        string="Zadarma API Secret",
        copy=False,
        groups="grid_contact_center.group_manager",
    )
    webhook_url = fields.Char(string="Webhook Address", compute="_compute_webhook_url")
    default_area_code = fields.Char(
        help="Completes six- and seven-digit city numbers of this PBX. Empty: the "
        "company's default area code."
    )
    area_code = fields.Char(
        string="Area Code in Use",
        compute="_compute_area_code",
        store=True,
        help="The area code that completes this PBX's short city numbers: the "
        "provider's default area code, else the company's.",
    )
    pbx_timezone = fields.Selection(
        _tz_get,
        string="PBX Time Zone",
        default="UTC",
        required=True,
        help="The zone of the times in CDR files and of Zadarma's call_start "
        "values, which carry no zone of their own.",
    )
    cdr_layout = fields.Char(
        string="CDR Layout",
        help="Column names of this PBX's CDR files in their order, separated "
        "by commas (for example start,src,dst,disposition,linkedid; - skips a "
        "column). Empty: read from a header line, the cdr_csv order or the values.",
    )
    cdr_fallback_encoding = fields.Char(
        string="CDR Fallback Encoding",
        default="cp1251",
        required=True,
        help="Encoding of CDR text that is not UTF-8, such as caller names.",
    )
    extension_pattern = fields.Char(
        default=r"\d{2,4}",
        required=True,
        help="Regular expression that the agents' extensions match as a whole. "
        "Longer numbers are outside lines.",
    )
    inbound_contexts = fields.Char(
        default="from-trunk,from-pstn,from-external,from-did,incoming,inbound",
        help="Dialplan contexts where calls from the trunks start, separated by "
        "commas; CDR rows in them are inbound calls.",
    )
    ami_host = fields.Char(string="AMI Host")
    ami_port = fields.Integer(string="AMI Port", default=5038)
    ami_username = fields.Char(string="AMI User")
    ami_secret = fields.Char(
        string="AMI Secret", copy=False, groups="grid_contact_center.group_manager"
    )
    ami_auth = fields.Selection(
        [("md5", "MD5 Challenge"), ("plain", "Plain")],
        string="AMI Login",
        default="md5",
        required=True,
    )
    ami_channel_template = fields.Char(
        string="Agent Channel",
        default="PJSIP/{extension}",
        required=True,
        help="The channel that rings the agent's phone first; {extension} is "
        "the agent's extension (for example SIP/{extension}).",
    )
    ami_context = fields.Char(
        string="Dial Context",
        default="from-internal",
        required=True,
        help="Dialplan context in which the consumer's number is dialled.",
    )
    ami_originate_timeout = fields.Integer(
        string="Ring Time (s)",
        default=30,
        help="How long the agent's phone rings before the call is given up.",
    )
    dial_format = fields.Selection(
        DIAL_FORMATS,
        default="national_8",
        required=True,
        help="How Russian numbers are passed to the PBX for dialling.",
    )
    call_count = fields.Integer(compute="_compute_call_count")

    _sql_constraints = [
        ("code_unique", "unique (code)", "Another provider has this code."),
    ]

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------

    @api.depends("code", "kind")
    def _compute_webhook_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for provider in self:
            if not provider.code:
                provider.webhook_url = False
                continue
            path = f"{base.rstrip('/')}/grid_telephony/{provider.code}"
            provider.webhook_url = (
                path if provider.kind == "mango" else path + "/events"
            )

    @api.depends("default_area_code", "company_id.grid_default_area_code")
    def _compute_area_code(self):
        for provider in self:
            provider.area_code = (
                provider.default_area_code
                or provider.company_id.grid_default_area_code
                or False
            )

    def _compute_call_count(self):
        counts = dict(
            self.env["grid.call"]._read_group(
                [("provider_id", "in", self.ids)], ["provider_id"], ["__count"]
            )
        )
        for provider in self:
            provider.call_count = counts.get(provider, 0)

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------

    @api.constrains("code")
    def _check_code(self):
        for provider in self:
            if not _CODE.fullmatch(provider.code or ""):
                raise ValidationError(
                    self.env._(
                        "The code %(code)s is invalid: use lower-case letters, "
                        "digits, - and _, starting with a letter or digit.",
                        code=provider.code,
                    )
                )

    @api.constrains("extension_pattern")
    def _check_extension_pattern(self):
        for provider in self:
            try:
                re.compile(provider.extension_pattern or "")
            except re.error as error:
                raise ValidationError(
                    self.env._(
                        "The extension pattern is not a valid regular expression: "
                        "%(error)s",
                        error=error,
                    )
                ) from error

    @api.constrains("cdr_layout")
    def _check_cdr_layout(self):
        for provider in self.filtered("cdr_layout"):
            try:
                parse_layout(provider.cdr_layout)
            except CdrLayoutError as error:
                raise ValidationError(
                    self.env._(
                        "The CDR layout is invalid: %(error)s",
                        error=translate_message(self.env, error),
                    )
                ) from error

    @api.constrains("ami_channel_template")
    def _check_channel_template(self):
        for provider in self:
            if "{extension}" not in (provider.ami_channel_template or ""):
                raise ValidationError(
                    self.env._("The agent channel must contain {extension}.")
                )

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------

    def action_generate_webhook_secret(self):
        self.ensure_one()
        self.webhook_secret = secrets.token_urlsafe(32)

    def action_view_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "grid_contact_center_telephony.grid_call_action"
        )
        action["domain"] = [("provider_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------

    def _area_code(self):
        self.ensure_one()
        return self.area_code or ""

    def _inbound_context_set(self):
        self.ensure_one()
        return frozenset(
            c.strip().lower()
            for c in (self.inbound_contexts or "").split(",")
            if c.strip()
        )
