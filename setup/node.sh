# Node tools (prettier with its XML plugin) from package-lock.json.
# Sourced after lib.sh.

ensure_node_tools() {
    command -v npm >/dev/null ||
        die "npm not found; install Node.js 18 or later (Debian: nodejs npm)"
    local stamp_file="$ROOT/node_modules/.grid-contact-center-stamp" stamp
    stamp=$(sha256sum "$ROOT/package-lock.json" | cut -c1-16)
    [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ] && return
    log "Installing prettier from package-lock.json"
    (cd "$ROOT" && npm ci --no-audit --no-fund --silent) ||
        die "npm ci failed; check access to the npm registry"
    echo "$stamp" >"$stamp_file"
}
