"""Make a new demo database look like a Russian grid company's: Russian for
the staff and the company, the Moscow time zone, the company in Russia
with roubles. The demo's notice campaigns and callback activities, written
while the addons were installed in English, get their texts again in
Russian. The sample surveys of Odoo's survey addon are archived, so that only
the grid company's remain.

Usage: python setup/demo_settings.py -c ODOO_CONF -d DATABASE
"""

import sys

import odoo
from odoo.tools import config


def main(argv):
    config.parse_config(argv)
    registry = odoo.modules.registry.Registry(config["db_name"])
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env["res.lang"]._activate_lang("ru_RU")
        rouble = env.ref("base.RUB")
        rouble.active = True
        company = env.ref("base.main_company")
        company.write({"country_id": env.ref("base.ru").id, "currency_id": rouble.id})
        company.partner_id.lang = "ru_RU"
        env.ref("base.user_admin").write({"lang": "ru_RU", "tz": "Europe/Moscow"})
        staff = env["res.users"].search([("share", "=", False)])
        staff.write({"lang": "ru_RU"})
        callbacks = env["mail.activity"].search(
            [
                ("res_model", "=", "grid.interaction"),
                (
                    "activity_type_id",
                    "=",
                    env.ref("grid_contact_center.mail_activity_type_callback").id,
                ),
            ]
        )
        for activity in callbacks:
            interaction = env["grid.interaction"].browse(activity.res_id)
            activity.summary = interaction._callback_summary(activity.user_id)
        for campaign in env["grid.notice.campaign"].search(
            [("outage_id", "!=", False)]
        ):
            campaign.write(
                {
                    "message": campaign._default_message(),
                    "email_subject": campaign._default_email_subject(),
                }
            )
        if "survey.survey" in env:
            odoo_samples = env["ir.model.data"].search(
                [("module", "=", "survey"), ("model", "=", "survey.survey")]
            )
            surveys = env["survey.survey"].browse(odoo_samples.mapped("res_id"))
            surveys.exists().write({"active": False})


if __name__ == "__main__":
    main(sys.argv[1:])
