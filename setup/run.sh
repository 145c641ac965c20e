#!/usr/bin/env bash
# `make run`: a demo instance with the suite and its demo data at
# http://localhost:8069 (log in as admin, password admin).
source "$(dirname "$0")/lib.sh"
source "$ROOT/setup/odoo.sh"
source "$ROOT/setup/venv.sh"
source "$ROOT/setup/postgres.sh"

DATABASE="${DATABASE:-grid_cc_demo}"
HTTP_PORT="${HTTP_PORT:-8069}"
CONF="$VAR/run/odoo.conf"

ensure_odoo_src
ensure_venv
trap stop_postgres EXIT
ensure_postgres
write_odoo_conf "$CONF" "$DATABASE" "$HTTP_PORT" "$VAR/run/data"

# The addons' source digest at the last install or update of the database.
addons_digest() {
    git -C "$ROOT" ls-files -z -- 'grid_contact_center*' |
        (cd "$ROOT" && xargs -0 cat 2>/dev/null) | sha256sum | cut -c1-16
}
DIGEST_FILE="$VAR/run/$DATABASE.digest"

if database_exists "$DATABASE" && ! addons_installed "$DATABASE"; then
    log "Database $DATABASE is incomplete (an earlier set-up stopped); recreating it"
    psql_cmd -d postgres -qc "drop database \"$DATABASE\""
fi
if ! database_exists "$DATABASE"; then
    log "Creating the demo database $DATABASE with demo data (several minutes)"
    odoo_bin -c "$CONF" -d "$DATABASE" -i "$ADDONS" --load-language=ru_RU \
        --stop-after-init --log-level=warn
    "$PYTHON" "$ROOT/setup/demo_settings.py" -c "$CONF" -d "$DATABASE"
    addons_digest >"$DIGEST_FILE"
elif [ "$(cat "$DIGEST_FILE" 2>/dev/null)" != "$(addons_digest)" ]; then
    log "The addons changed since the last run; updating them in $DATABASE"
    odoo_bin -c "$CONF" -d "$DATABASE" -u "$ADDONS" --stop-after-init --log-level=warn
    addons_digest >"$DIGEST_FILE"
fi

log "Serving Odoo at http://localhost:$HTTP_PORT (log in: admin / admin); Ctrl-C stops it"
# Odoo runs in the foreground and receives Ctrl-C; the trap then stops the
# embedded cluster.
odoo_bin -c "$CONF" -d "$DATABASE" || status=$?
exit "${status:-0}"
