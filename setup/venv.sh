# The virtual environment with Odoo, its requirements and the suite's.
# Sourced after lib.sh and odoo.sh.

# Debian packages that the install or the tests need: headers for python-ldap
# (built from source for Odoo's pin), Chromium for tours.
SYSTEM_PACKAGES_BUILD="libldap2-dev libsasl2-dev libpq-dev"
SYSTEM_PACKAGES_TEST="chromium"

ensure_system_packages() {
    command -v dpkg-query >/dev/null || return 0
    local missing=() package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" ||
            missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        log "Installing Debian packages: ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -qq "${missing[@]}" >/dev/null; } ||
            die "apt-get could not install: ${missing[*]}"
    else
        die "missing system packages: ${missing[*]}. Install them, for example:
  sudo apt-get install ${missing[*]}"
    fi
}

find_python() {
    local candidate
    for candidate in ${PYTHON_FOR_VENV:-} python3.12 python3.11 python3.10 python3; do
        command -v "$candidate" >/dev/null || continue
        # A pyenv shim of a version not installed fails here, quietly.
        if "$candidate" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
    die "Odoo 18.0 needs Python 3.10, 3.11 or 3.12; none found (set PYTHON_FOR_VENV)"
}

# Create the environment once; reinstall only when a requirements file or the
# Odoo tree changed, so that a second run starts within seconds.
ensure_venv() {
    ensure_system_packages $SYSTEM_PACKAGES_BUILD
    local stamp_file="$VENV/.grid-contact-center-stamp" stamp
    stamp=$(cat "$ODOO_SRC/requirements.txt" "$ROOT/setup/requirements.txt" \
        "$ROOT/setup/build-constraints.txt" "$ROOT/pyproject.toml" |
        sha256sum | cut -c1-16)-$ODOO_SRC
    if [ -x "$PYTHON" ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ]; then
        return
    fi
    if [ ! -x "$PYTHON" ]; then
        log "Creating the virtual environment in $VENV"
        "$(find_python)" -m venv "$VENV"
    fi
    log "Installing Odoo's requirements and the suite's (a few minutes the first time)"
    export PIP_CONSTRAINT="$ROOT/setup/build-constraints.txt"
    export PIP_DISABLE_PIP_VERSION_CHECK=1
    # The setuptools that venv ships (65 with Python 3.11) cannot resolve
    # zope.interface for gevent's plugins, so Odoo's gevent worker (websockets
    # with ODOO_WORKERS > 0) dies at start; the constraint keeps it below 81.
    "$PYTHON" -m pip install --quiet --upgrade setuptools
    "$PYTHON" -m pip install --quiet -r "$ODOO_SRC/requirements.txt"
    # Compat mode puts a plain path entry for Odoo in site-packages: the default
    # editable finder is shadowed by the odoo/addons folder that OCA wheels add.
    "$PYTHON" -m pip install --quiet --no-deps -e "$ODOO_SRC" \
        --config-settings editable_mode=compat
    "$PYTHON" -m pip install --quiet -r "$ROOT/setup/requirements.txt"
    # The AMI bridge (grid_ami_bridge/, command grid-ami-bridge) from pyproject.toml.
    "$PYTHON" -m pip install --quiet --no-deps -e "$ROOT"
    echo "$stamp" >"$stamp_file"
}
