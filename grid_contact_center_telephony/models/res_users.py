from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResUsers(models.Model):
    _inherit = "res.users"

    grid_phone_extension = fields.Char(
        string="Phone Extension",
        index="btree_not_null",
        copy=False,
        help="The user's extension on the company's PBX: calls ringing there "
        "show the caller's card to this user, and click to dial rings it first.",
    )

    @api.constrains("grid_phone_extension", "company_ids")
    def _check_grid_phone_extension_unique(self):
        users = self.filtered("grid_phone_extension")
        if not users:
            return
        others = self.sudo().search(
            [
                ("grid_phone_extension", "in", users.mapped("grid_phone_extension")),
                ("id", "not in", users.ids),
            ]
        )
        for user in users:
            for other in others:
                if (
                    other.grid_phone_extension == user.grid_phone_extension
                    and other.company_ids & user.company_ids
                ):
                    raise ValidationError(
                        self.env._(
                            "The extension %(extension)s already belongs to "
                            "%(user)s in the same company.",
                            extension=user.grid_phone_extension,
                            user=other.name,
                        )
                    )
