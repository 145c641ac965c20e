#!/usr/bin/env bash
# `make format`: rewrite Python with ruff (fixes, import order, format) and XML
# with prettier, the same tools that `make lint` checks with.
source "$(dirname "$0")/lib.sh"
source "$ROOT/setup/odoo.sh"
source "$ROOT/setup/venv.sh"
source "$ROOT/setup/node.sh"

ensure_odoo_src
ensure_venv
ensure_node_tools
cd "$ROOT"
"$VENV/bin/ruff" check --fix --exit-zero --quiet .
"$VENV/bin/ruff" format --quiet .
git ls-files -z --cached --others --exclude-standard -- '*.xml' |
    xargs -0 --no-run-if-empty "$ROOT/node_modules/.bin/prettier" --write --log-level warn
"$PYTHON" "$ROOT/setup/addon_readme.py"
