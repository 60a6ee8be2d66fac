#!/usr/bin/env bash
# Browser tests, as CTest runs them: installs playwright-core (npm ci, from
# package-lock.json) if needed, indexes corpus/ into a temporary index,
# starts `policy-search serve` on a free loopback port, and runs ui.test.mjs
# in Debian's chromium. Screenshots go to $SCREENSHOTS (default
# BUILD_DIR/browser-screenshots) for inspection.
#
#   tests/browser/run.sh BUILD_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)"
work="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
"$build/policy-index" --quiet --index "$work/idx" "$root/corpus" >/dev/null
source "$root/scripts/lib.sh"
start_server "$build" "$work/idx" "$work/serve.out" || { echo "run.sh: the server did not start" >&2; exit 1; }
url="$SERVER_URL"
screenshots="${SCREENSHOTS:-$build/browser-screenshots}"
mkdir -p "$screenshots"
node "$here/ui.test.mjs" --base-url "${url%/}" --screenshots "$screenshots"
