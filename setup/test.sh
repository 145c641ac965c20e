#!/usr/bin/env bash
# `make test`: lint, then every test through pytest-odoo with Odoo's HTTP
# server on, so that HttpCase tests and tours in headless Chromium run.
# Extra arguments go to pytest, e.g. `make test PYTEST_ARGS="-k callback"`.
source "$(dirname "$0")/lib.sh"
source "$ROOT/setup/odoo.sh"
source "$ROOT/setup/venv.sh"
source "$ROOT/setup/postgres.sh"

DATABASE="${TEST_DATABASE:-grid_cc_test}"
CONF="$VAR/test/odoo.conf"

ensure_odoo_src
ensure_venv
ensure_system_packages $SYSTEM_PACKAGES_TEST
if [ "${SKIP_LINT:-0}" != 1 ]; then
    "$ROOT/setup/lint.sh"
fi
trap stop_postgres EXIT
ensure_postgres
write_odoo_conf "$CONF" "$DATABASE" "${TEST_HTTP_PORT:-8169}" "$VAR/test/data"

if [ "${REUSE_DATABASE:-0}" = 1 ] && addons_installed "$DATABASE"; then
    log "Reusing the test database $DATABASE"
else
    log "Creating the test database $DATABASE with the suite and its demo data"
    psql_cmd -d postgres -qc "drop database if exists \"$DATABASE\" with (force)"
    rm -rf "$VAR/test/data/filestore/$DATABASE"
    odoo_bin -c "$CONF" -d "$DATABASE" -i "$ADDONS" --stop-after-init \
        --log-level=warn
fi

log "Running the tests"
cd "$ROOT"
# PYTEST_ARGS is split like a shell command line, quotes included.
eval "pytest_args=(${PYTEST_ARGS:-})"
status=0
"$PYTHON" -m pytest --odoo-config="$CONF" --odoo-database="$DATABASE" \
    --odoo-http --odoo-log-level="${ODOO_TEST_LOG_LEVEL:-warn}" \
    "${pytest_args[@]}" "$@" || status=$?
exit $status
