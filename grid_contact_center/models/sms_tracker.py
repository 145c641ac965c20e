from odoo import fields, models


class SmsTracker(models.Model):
    _inherit = "sms.tracker"

    grid_notice_recipient_id = fields.Many2one(
        "grid.notice.recipient",
        string="Notice Recipient",
        index="btree_not_null",
        ondelete="cascade",
    )

    def _action_update_from_provider_error(self, provider_error):
        result = super()._action_update_from_provider_error(provider_error)
        _error_status, failure_type, failure_reason = result
        self.grid_notice_recipient_id._apply_delivery_state(
            False, failure_reason or failure_type
        )
        return result

    def _action_update_from_sms_state(
        self, sms_state, failure_type=False, failure_reason=False
    ):
        result = super()._action_update_from_sms_state(
            sms_state, failure_type=failure_type, failure_reason=failure_reason
        )
        recipients = self.grid_notice_recipient_id
        if recipients and sms_state == "sent":
            recipients._apply_delivery_state(True)
        elif recipients and sms_state in ("error", "canceled"):
            recipients._apply_delivery_state(False, failure_reason or failure_type)
        return result
