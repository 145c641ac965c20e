# Locate the Odoo 18.0 source tree. Sourced after lib.sh.

is_odoo_tree() {
    [ -f "$1/odoo-bin" ] && [ -f "$1/odoo/release.py" ] &&
        grep -q "version_info = (18, 0," "$1/odoo/release.py"
}

# Set ODOO_SRC to a usable Odoo 18.0 tree: the one given, the default location,
# or a shallow clone of the official branch when the network allows it.
ensure_odoo_src() {
    if is_odoo_tree "$ODOO_SRC"; then
        return
    fi
    if [ -e "$ODOO_SRC" ] && [ -n "$(ls -A "$ODOO_SRC" 2>/dev/null)" ]; then
        die "ODOO_SRC=$ODOO_SRC is not an Odoo 18.0 source tree (no odoo-bin or \
odoo/release.py of version 18.0). Point ODOO_SRC at one."
    fi
    log "Odoo 18.0 not found at $ODOO_SRC; cloning the $ODOO_BRANCH branch of $ODOO_REPOSITORY"
    mkdir -p "$(dirname "$ODOO_SRC")"
    if ! timeout 1800 git clone --quiet --depth 1 --branch "$ODOO_BRANCH" \
        "$ODOO_REPOSITORY" "$ODOO_SRC.partial"; then
        rm -rf "$ODOO_SRC.partial"
        die "Odoo 18.0 source not found and cloning $ODOO_REPOSITORY failed.
Provide the source in one of these ways, then run the command again:
  - set ODOO_SRC to an Odoo 18.0 Community tree (the folder with odoo-bin), or
  - unpack such a tree at $ODOO_SRC, or
  - allow access to github.com so that the branch can be cloned there."
    fi
    mv "$ODOO_SRC.partial" "$ODOO_SRC"
}

# Write an Odoo configuration file for one database of this checkout.
# Arguments: file, database, HTTP port, data folder.
write_odoo_conf() {
    local file=$1 database=$2 http_port=$3 data_dir=$4
    mkdir -p "$(dirname "$file")" "$data_dir"
    {
        echo "[options]"
        echo "addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$ROOT"
        echo "data_dir = $data_dir"
        # Empty connection settings leave libpq to read PGHOST, PGPORT, PGUSER
        # and PGPASSWORD, which ensure_postgres exported.
        echo "db_host = ${PGHOST:-}"
        echo "db_port = ${PGPORT:-}"
        echo "db_user = ${PGUSER:-}"
        echo "db_password = ${PGPASSWORD:-}"
        echo "db_name = $database"
        echo "dbfilter = ^$database\$"
        echo "list_db = False"
        echo "http_interface = ${HTTP_INTERFACE:-127.0.0.1}"
        echo "http_port = $http_port"
        echo "gevent_port = $((http_port + 3))"
        echo "workers = ${ODOO_WORKERS:-0}"
        echo "max_cron_threads = ${ODOO_CRON_THREADS:-1}"
        echo "limit_time_real = 600"
        echo "limit_time_cpu = 300"
        echo "server_wide_modules = base,web"
        echo "log_level = ${ODOO_LOG_LEVEL:-info}"
    } >"$file"
}

odoo_bin() {
    "$PYTHON" "$ODOO_SRC/odoo-bin" "$@"
}
