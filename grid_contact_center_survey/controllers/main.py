from odoo import http
from odoo.http import request

from odoo.addons.survey.controllers.main import Survey


class GridSurvey(Survey):
    """Public survey pages for contact center invitations."""

    @http.route(
        "/survey/i/<string:answer_token>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def grid_survey_invitation(self, answer_token, **kwargs):
        """Open the survey of a personal invitation. The link carries only the
        answer's token, which keeps an SMS short."""
        answer_sudo = (
            request.env["survey.user_input"]
            .sudo()
            .search(
                [("access_token", "=", answer_token), ("grid_channel", "!=", False)],
                limit=1,
            )
        )
        if not answer_sudo:
            return request.render(
                "survey.survey_access_error",
                {"survey": request.env["survey.survey"].sudo()},
                status=404,
            )
        return request.redirect(answer_sudo.get_start_url())

    def _check_validity(
        self, survey_token, answer_token, ensure_token=True, check_partner=True
    ):
        """Let an operator open the answer of a consumer whom the operator
        surveys by telephone; Odoo accepts only the consumer's own user."""
        validity = super()._check_validity(
            survey_token,
            answer_token,
            ensure_token=ensure_token,
            check_partner=check_partner,
        )
        if validity != "answer_wrong_user" or not answer_token:
            return validity
        _survey_sudo, answer_sudo = self._fetch_from_access_token(
            survey_token, answer_token
        )
        if answer_sudo.grid_channel == "call" and request.env.user.has_group(
            "grid_contact_center.group_operator"
        ):
            return True
        return validity
