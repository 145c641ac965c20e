from odoo import models

from odoo.addons.grid_contact_center.tools.phone import is_mobile, normalize_phone

# Reasons for which a consumer got no invitation to a survey.
SKIP_REASONS = [
    ("no_consent", "No Consent to the Channel"),
    ("no_contact", "No Contact Details for the Channel"),
    ("recently_surveyed", "Surveyed Recently"),
    ("cancelled", "Campaign Cancelled"),
]
CONSENT_FIELDS = {"email": "notify_email", "sms": "notify_sms", "call": "notify_call"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _grid_survey_mobile(self):
        """Return the E.164 mobile number that an SMS can reach, or False.

        The mobile field comes first; a landline in either field is skipped.
        """
        self.ensure_one()
        area_code = self.company_id.grid_default_area_code or (
            self.env.company.grid_default_area_code
        )
        for raw in (self.mobile, self.phone):
            number = normalize_phone(raw, area_code)
            if number and number.is_valid and is_mobile(number.e164):
                return number.e164
        return False

    def _grid_survey_address(self, channel):
        """Return where an invitation on ``channel`` reaches the consumer: an
        e-mail address, an E.164 mobile number, a telephone number, or False."""
        self.ensure_one()
        if channel == "email":
            return self.email_normalized or False
        if channel == "sms":
            return self._grid_survey_mobile()
        return self.mobile or self.phone or False

    def _grid_survey_skip_reason(self, channel, recently_surveyed):
        """Return why the consumer may not be invited on ``channel``, as a key
        of SKIP_REASONS, or False. ``recently_surveyed`` is a set of partner
        ids from :meth:`_grid_recently_surveyed`."""
        self.ensure_one()
        if not self[CONSENT_FIELDS[channel]]:
            return "no_consent"
        if not self._grid_survey_address(channel):
            return "no_contact"
        if self.id in recently_surveyed:
            return "recently_surveyed"
        return False

    def _grid_preferred_survey_channel(self):
        """Return the electronic channel the consumer consented to and can be
        reached on, e-mail before SMS, or False."""
        self.ensure_one()
        for channel in ("email", "sms"):
            if self[CONSENT_FIELDS[channel]] and self._grid_survey_address(channel):
                return channel
        return False

    def _grid_recently_surveyed(self, company):
        """Return the ids of these consumers invited to a survey during the
        company's period between surveys, in one query."""
        if not self or not company.grid_survey_quiet_days:
            return set()
        since = company._grid_survey_quiet_since()
        groups = (
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", self.ids),
                    ("grid_invited_at", ">=", since),
                    ("test_entry", "=", False),
                ],
                ["partner_id"],
            )
        )
        return {partner.id for (partner,) in groups}
