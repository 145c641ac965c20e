from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(
        self, success_pids, failure_reason=False, failure_type=None
    ):
        recipients = (
            self.env["grid.notice.recipient"]
            .sudo()
            .search([("mail_id", "in", self.ids)])
        )
        for mail in self:
            mail_recipients = recipients.filtered(
                lambda recipient, mail=mail: recipient.mail_id == mail
            )
            if not mail_recipients:
                continue
            if mail.state == "exception" or failure_type:
                mail_recipients._apply_delivery_state(
                    False, mail.failure_reason or failure_reason or failure_type
                )
            else:
                mail_recipients._apply_delivery_state(True)
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )
