# Shared settings and helpers for the scripts behind the Makefile targets.
# Sourced, not executed. Every path is absolute so that the scripts work from
# any directory and from a fresh clone in any folder.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VAR="$ROOT/var"
VENV="${VENV:-$ROOT/.venv}"
PYTHON="$VENV/bin/python"
ODOO_BRANCH=18.0
ODOO_REPOSITORY=https://github.com/odoo/odoo.git
ODOO_SRC="${ODOO_SRC:-${XDG_CACHE_HOME:-$HOME/.cache}/grid-contact-center/odoo-$ODOO_BRANCH}"
# The real telephony data files the tests replay; CI keeps them beside the clone.
GRID_CC_SAMPLES="${GRID_CC_SAMPLES:-$(cd "$ROOT/.." && pwd)/shared/samples}"
ADDONS="grid_contact_center,grid_contact_center_survey,grid_contact_center_telephony"
export ODOO_SRC GRID_CC_SAMPLES

log() { printf '>>> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
