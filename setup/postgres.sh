# The PostgreSQL server: the one that the libpq variables (PGHOST, PGPORT,
# PGUSER, PGPASSWORD) point at, or else an embedded cluster of the project's
# own in var/postgres. Sourced after lib.sh.

PG_ROLE=odoo
PG_DATA="$VAR/postgres"
PG_EXTERNAL=0

pg_bin() {
    local name=$1 dir
    for dir in "${PG_BINDIR:-}" /usr/lib/postgresql/*/bin; do
        [ -n "$dir" ] && [ -x "$dir/$name" ] && { echo "$dir/$name"; return; }
    done
    command -v "$name" || die "PostgreSQL's $name not found; install the PostgreSQL \
server (Debian: postgresql) or set PGHOST to use a running server"
}

# PostgreSQL refuses to run as root: as root, the cluster runs as "postgres".
as_pg_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# A Unix socket path may not exceed 107 bytes, so a deep checkout gets its
# socket in a short folder under /tmp, named after the checkout.
pg_socket_dir() {
    local dir="$PG_DATA"
    if [ ${#dir} -gt 80 ]; then
        dir="/tmp/grid-cc-pg-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
    fi
    echo "$dir"
}

# As root, the cluster runs as the postgres user, who must reach the data
# folder. A checkout inside a private folder (mktemp -d) is out of its reach.
# The cluster then lives in /var/tmp, and var/postgres is a link to it.
prepare_pg_data() {
    mkdir -p "$VAR"
    if [ -e "$PG_DATA" ]; then
        PG_DATA=$(realpath "$PG_DATA")
        return
    fi
    if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$VAR"; then
        local outside
        outside="/var/tmp/grid-cc-postgres-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
        rm -rf "$outside"
        mkdir -p "$outside"
        chown postgres: "$outside"
        ln -s "$outside" "$PG_DATA"
    else
        mkdir -p "$PG_DATA"
        [ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DATA"
    fi
    # The server and its tools get the real path: the link's own path may lead
    # through the folder that the postgres user cannot enter.
    PG_DATA=$(realpath "$PG_DATA")
}

# Start the server if needed and export PGHOST/PGPORT/PGUSER for the callers.
ensure_postgres() {
    if [ -n "${PGHOST:-}" ]; then
        PG_EXTERNAL=1
        log "Using the PostgreSQL server at PGHOST=$PGHOST"
        psql_cmd -d "${PGDATABASE:-postgres}" -Atc "select 1" >/dev/null ||
            die "cannot connect to PostgreSQL at PGHOST=$PGHOST PGPORT=${PGPORT:-5432} \
as PGUSER=${PGUSER:-$(id -un)}; check these settings or unset PGHOST to use the \
embedded cluster"
        return
    fi
    prepare_pg_data
    local socket_dir
    socket_dir=$(pg_socket_dir)
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        log "Creating the embedded PostgreSQL cluster in $PG_DATA"
        as_pg_owner "$(pg_bin initdb)" --pgdata="$PG_DATA" --username=postgres \
            --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
        cat >>"$PG_DATA/postgresql.conf" <<CONF
# Embedded development cluster: Unix socket only, no TCP listener.
listen_addresses = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 256MB
CONF
    fi
    mkdir -p "$socket_dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$socket_dir"
    export PGHOST="$socket_dir" PGPORT=5432
    if ! as_pg_owner "$(pg_bin pg_ctl)" status --pgdata="$PG_DATA" >/dev/null 2>&1; then
        log "Starting the embedded PostgreSQL cluster"
        as_pg_owner "$(pg_bin pg_ctl)" start --pgdata="$PG_DATA" --wait \
            --options="-k $socket_dir" --log="$PG_DATA/server.log" >/dev/null ||
            die "the embedded PostgreSQL did not start; see $PG_DATA/server.log"
        PG_STARTED_HERE=1
    fi
    if ! psql_cmd -U postgres -d postgres -Atc \
        "select 1 from pg_roles where rolname = '$PG_ROLE'" | grep -q 1; then
        psql_cmd -U postgres -d postgres -qc "create role $PG_ROLE login superuser"
    fi
    export PGUSER=$PG_ROLE
}

# Stop the embedded cluster if this script started it. Silent, because it runs
# after the test summary, which must stay the last line printed.
stop_postgres() {
    if [ "$PG_EXTERNAL" -eq 0 ] && [ "${PG_STARTED_HERE:-0}" -eq 1 ]; then
        as_pg_owner "$(pg_bin pg_ctl)" stop --pgdata="$PG_DATA" --mode=fast \
            --wait >/dev/null || true
        PG_STARTED_HERE=0
    fi
}

psql_cmd() {
    PGOPTIONS="-c client_min_messages=warning" "$(pg_bin psql)" -X -v ON_ERROR_STOP=1 "$@"
}

database_exists() {
    psql_cmd -d postgres -Atc "select 1 from pg_database where datname = '$1'" | grep -q 1
}

# True when the suite's addons are all installed in the database.
addons_installed() {
    local count
    count=$(psql_cmd -d "$1" -Atc "select count(*) from ir_module_module
        where state = 'installed' and name = any(string_to_array('$ADDONS', ','))" \
        2>/dev/null) || return 1
    [ "$count" -eq "$(tr ',' '\n' <<<"$ADDONS" | wc -l)" ]
}
