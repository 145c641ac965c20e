"""Make a new demo database look like a Russian grid company's: Russian for
the administrator, the Moscow time zone, the company in Russia with roubles.

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
        env.ref("base.main_company").write(
            {"country_id": env.ref("base.ru").id, "currency_id": rouble.id}
        )
        env.ref("base.user_admin").write({"lang": "ru_RU", "tz": "Europe/Moscow"})


if __name__ == "__main__":
    main(sys.argv[1:])
