import logging
import uuid

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.grid_contact_center.tools.phone import normalize_phone

from ..tools.ami_client import AmiClient, AmiClientError

_logger = logging.getLogger(__name__)


class GridPhoneDialMixin(models.AbstractModel):
    """A phone button that dials the record's number through the PBX from the
    current user's extension. A model that inherits it returns its number and
    links in `_grid_dial_target`."""

    _name = "grid.phone.dial.mixin"
    _description = "Click to Dial"

    def _grid_dial_target(self):
        """Return {"number": ..., "partner": ..., "service_point": ...,
        "interaction": ...}; only the number is required."""
        raise NotImplementedError

    def action_grid_dial(self):
        self.ensure_one()
        self.check_access("read")
        target = self._grid_dial_target()
        number = self.env.context.get("grid_dial_number") or target.get("number")
        if not number:
            raise UserError(self.env._("There is no telephone number to dial."))
        call = self._grid_click_to_dial(
            number,
            partner=target.get("partner"),
            service_point=target.get("service_point"),
            interaction=target.get("interaction"),
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("Calling %(number)s", number=number),
                "message": self.env._(
                    "Your phone (extension %(extension)s) rings first: pick it up "
                    "to be connected.",
                    extension=call.agent_extension,
                ),
                "sticky": False,
            },
        }

    @api.model
    def _grid_click_to_dial(
        self, number, partner=None, service_point=None, interaction=None
    ):
        """Originate a call from the current user's phone to `number` through
        the company's Asterisk provider and log it."""
        user = self.env.user
        extension = user.grid_phone_extension
        if not extension:
            raise UserError(
                self.env._(
                    "Your user has no phone extension: ask a manager to set it in "
                    "your user's preferences."
                )
            )
        provider = (
            self.env["grid.telephony.provider"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.env.company.id),
                    ("kind", "=", "generic"),
                    ("ami_host", "!=", False),
                ],
                limit=1,
            )
        )
        if not provider:
            raise UserError(
                self.env._(
                    "No telephony provider of %(company)s has AMI settings for "
                    "click to dial.",
                    company=self.env.company.name,
                )
            )
        parsed = normalize_phone(number, provider._area_code())
        if parsed is None:
            raise UserError(
                self.env._("%(number)s is not a telephone number.", number=number)
            )
        dial = _dial_string(parsed, provider.dial_format)
        channel_id = f"grid-{uuid.uuid4().hex}"
        call = (
            self.env["grid.call"]
            .sudo()
            .with_company(provider.company_id)
            .create(
                {
                    "provider_id": provider.id,
                    "company_id": provider.company_id.id,
                    "external_call_id": channel_id,
                    "source": "click_to_dial",
                    "direction": "outbound",
                    "state": "started",
                    "arrived_at": fields.Datetime.now(),
                    "called_number": dial,
                    "called_e164": parsed.e164,
                    "contact_number_key": parsed.key,
                    "agent_id": user.id,
                    "agent_extension": extension,
                    "partner_id": partner.id if partner else False,
                    "service_point_id": service_point.id if service_point else False,
                    "interaction_id": interaction.id if interaction else False,
                }
            )
        )
        try:
            with AmiClient(provider.ami_host, provider.ami_port or 5038) as client:
                client.login(
                    provider.ami_username or "",
                    provider.ami_secret or "",
                    provider.ami_auth,
                )
                client.originate(
                    channel=provider.ami_channel_template.format(extension=extension),
                    context=provider.ami_context,
                    exten=dial,
                    caller_id=f"{partner.name if partner else dial} <{dial}>",
                    timeout_seconds=provider.ami_originate_timeout or 30,
                    channel_id=channel_id,
                    variables={"GRID_CALL_ID": channel_id},
                )
        except AmiClientError as error:
            _logger.warning(
                "Click to dial from %s to %s through provider %s failed: %s",
                extension,
                dial,
                provider.code,
                error,
            )
            raise UserError(
                self.env._("The call could not be started: %(error)s", error=error)
            ) from error
        _logger.info(
            "Click to dial: %s (user %s) calls %s, call %s",
            extension,
            user.login,
            dial,
            channel_id,
        )
        return call


def _dial_string(parsed, dial_format):
    """The number as the PBX dials it: Russian numbers in the provider's
    format, foreign ones with the 810 international prefix."""
    if parsed.key.startswith("+"):
        digits = parsed.key[1:]
        return "+" + digits if dial_format == "e164" else "810" + digits
    if dial_format == "e164":
        return "+7" + parsed.key
    if dial_format == "national_10":
        return parsed.key
    return "8" + parsed.key
