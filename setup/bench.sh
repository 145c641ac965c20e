#!/usr/bin/env bash
# `make bench`: the benchmarks of tests/benchmarks on a database of their own
# (grid_cc_bench, without demo data). They print their figures; the record of
# past runs is docs/benchmarks.md. Extra pytest arguments: PYTEST_ARGS.
source "$(dirname "$0")/lib.sh"
source "$ROOT/setup/odoo.sh"
source "$ROOT/setup/venv.sh"
source "$ROOT/setup/postgres.sh"

DATABASE="${BENCH_DATABASE:-grid_cc_bench}"
CONF="$VAR/bench/odoo.conf"

ensure_odoo_src
ensure_venv
trap stop_postgres EXIT
ensure_postgres
write_odoo_conf "$CONF" "$DATABASE" "${BENCH_HTTP_PORT:-8269}" "$VAR/bench/data"
if addons_installed "$DATABASE"; then
    odoo_bin -c "$CONF" -d "$DATABASE" -u "$ADDONS" --stop-after-init --log-level=warn
else
    log "Creating the benchmark database $DATABASE (no demo data)"
    psql_cmd -d postgres -qc "drop database if exists \"$DATABASE\" with (force)"
    odoo_bin -c "$CONF" -d "$DATABASE" -i "$ADDONS" --without-demo=all \
        --stop-after-init --log-level=warn
fi
cd "$ROOT"
# PYTEST_ARGS is split like a shell command line, quotes included.
eval "pytest_args=(${PYTEST_ARGS:-})"
status=0
"$PYTHON" -m pytest tests/benchmarks --odoo-config="$CONF" --odoo-database="$DATABASE" \
    --odoo-http --odoo-log-level=warn -p no:cacheprovider -s \
    -o testpaths=tests/benchmarks -o norecursedirs=.venv "${pytest_args[@]}" "$@" ||
    status=$?
exit $status
