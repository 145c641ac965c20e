#!/usr/bin/env bash
# `make i18n`: export each addon's translation template (.pot) from the test
# database and merge it into the addon's ru.po. New entries then have an empty
# msgstr, which tests/test_i18n.py reports until they are translated.
source "$(dirname "$0")/lib.sh"
source "$ROOT/setup/odoo.sh"
source "$ROOT/setup/venv.sh"
source "$ROOT/setup/postgres.sh"

DATABASE="${TEST_DATABASE:-grid_cc_test}"
CONF="$VAR/test/odoo.conf"

ensure_odoo_src
ensure_venv
trap stop_postgres EXIT
ensure_postgres
write_odoo_conf "$CONF" "$DATABASE" "${TEST_HTTP_PORT:-8169}" "$VAR/test/data"
if addons_installed "$DATABASE"; then
    odoo_bin -c "$CONF" -d "$DATABASE" -u "$ADDONS" --stop-after-init --log-level=warn
else
    psql_cmd -d postgres -qc "drop database if exists \"$DATABASE\" with (force)"
    odoo_bin -c "$CONF" -d "$DATABASE" -i "$ADDONS" --stop-after-init --log-level=warn
fi
for addon in ${ADDONS//,/ }; do
    pot="$ROOT/$addon/i18n/$addon.pot"
    po="$ROOT/$addon/i18n/ru.po"
    mkdir -p "$(dirname "$pot")"
    odoo_bin -c "$CONF" -d "$DATABASE" --modules="$addon" --i18n-export="$pot" \
        --log-level=warn
    if [ -f "$po" ]; then
        msgmerge --quiet --update --no-fuzzy-matching --backup=none "$po" "$pot"
    else
        msginit --no-translator --no-wrap --locale=ru_RU.UTF-8 --input="$pot" \
            --output-file="$po"
    fi
    log "$addon: $(msgattrib --untranslated "$po" | grep -c '^msgid ' || true) untranslated entries in ru.po"
done
