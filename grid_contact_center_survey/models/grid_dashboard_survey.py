from odoo import api, models

from .survey_user_input import SATISFIED_SCORE


class GridDashboard(models.AbstractModel):
    """The surveys' section of the contact center dashboard: the quality
    score and the share of satisfied consumers from the survey answers
    completed in the period, and the invitations sent."""

    _inherit = "grid.dashboard"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _dashboard_sections(self, context):
        sections = super()._dashboard_sections(context)
        sections.append(self._section_surveys(context))
        return sections

    @api.model
    def _section_surveys(self, context):
        answers = self.env["survey.user_input"]
        company = [("grid_company_id", "in", context["company_ids"])]
        completed = [
            *company,
            ("grid_channel", "!=", False),
            ("state", "=", "done"),
            ("test_entry", "=", False),
            ("end_datetime", ">=", context["date_from"]),
            ("end_datetime", "<", context["date_to"]),
        ]
        scored = [*completed, ("grid_scored", "=", True)]
        invited = [
            *company,
            ("grid_send_state", "=", "sent"),
            ("grid_invited_at", ">=", context["date_from"]),
            ("grid_invited_at", "<", context["date_to"]),
        ]
        [(count, score, satisfied)] = answers._read_group(
            scored, [], ["__count", "grid_quality_score:avg", "grid_satisfied:avg"]
        )
        completed_count = answers.search_count(completed)
        invited_count = answers.search_count(invited)
        return {
            "key": "surveys",
            "title": self.env._("Service-quality surveys"),
            "sequence": 60,
            "cards": [
                {
                    "key": "score",
                    "label": self.env._("Quality score"),
                    "value": round(score, 1) if count else None,
                    "unit": "%",
                    "help": self.env._(
                        "Mean quality score of the scored answers completed in "
                        "the period, from 0 % for the lowest to 100 % for the "
                        "highest rating."
                    ),
                    "action": self._window_action(
                        "survey.user_input", self.env._("Scored answers"), scored
                    ),
                },
                {
                    "key": "satisfied",
                    "label": self.env._("Satisfied consumers"),
                    "value": round(satisfied, 1) if count else None,
                    "unit": "%",
                    "help": self.env._(
                        "Share of the scored answers with a quality score of at "
                        "least %(score)s %%.",
                        score=SATISFIED_SCORE,
                    ),
                },
                {
                    "key": "completed",
                    "label": self.env._("Answers completed"),
                    "value": completed_count,
                    "action": self._window_action(
                        "survey.user_input", self.env._("Answers completed"), completed
                    ),
                },
                {
                    "key": "invited",
                    "label": self.env._("Invitations sent"),
                    "value": invited_count,
                    "action": self._window_action(
                        "survey.user_input", self.env._("Invitations sent"), invited
                    ),
                },
            ],
            "tables": [],
        }
