#!/usr/bin/env bash
# `make lint`: ruff, ruff format, prettier (XML) and pylint-odoo's mandatory
# checks. Exits non-zero on the first tool that finds a problem.
source "$(dirname "$0")/lib.sh"
source "$ROOT/setup/odoo.sh"
source "$ROOT/setup/venv.sh"
source "$ROOT/setup/node.sh"

ensure_odoo_src
ensure_venv
ensure_node_tools
cd "$ROOT"

log "ruff check"
"$VENV/bin/ruff" check --no-fix .
log "ruff format --check"
"$VENV/bin/ruff" format --check .
log "prettier --check (XML)"
git ls-files -z --cached --others --exclude-standard -- '*.xml' |
    xargs -0 --no-run-if-empty "$ROOT/node_modules/.bin/prettier" --check --log-level warn
log "addon README.md files match their readme/ fragments"
"$PYTHON" "$ROOT/setup/addon_readme.py" --check
log "pylint-odoo (mandatory checks)"
mapfile -t addons < <(find "$ROOT" -maxdepth 2 -name __manifest__.py -printf '%h\n' | sort)
"$VENV/bin/pylint" --rcfile="$ROOT/.pylintrc-mandatory" "${addons[@]}"
log "lint passed"
