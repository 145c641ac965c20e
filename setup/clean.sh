#!/usr/bin/env bash
# `make clean`: stop the embedded cluster and remove everything the set-up
# made inside the checkout (the Odoo source outside it stays).
source "$(dirname "$0")/lib.sh"
source "$ROOT/setup/postgres.sh"

if [ -f "$PG_DATA/PG_VERSION" ]; then
    as_pg_owner "$(pg_bin pg_ctl)" stop --pgdata="$PG_DATA" --mode=fast --wait \
        >/dev/null 2>&1 || true
    outside=$(realpath "$PG_DATA")
    [ "$outside" != "$PG_DATA" ] && rm -rf "$outside"
fi
rm -rf "$VAR" "$VENV" "$ROOT/node_modules"
log "Removed var/, .venv/ and node_modules/"
