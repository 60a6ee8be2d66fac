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
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
"$build/policy-index" --quiet --index "$work/idx" "$root/corpus" >/dev/null
"$build/policy-search" serve --index "$work/idx" --listen 127.0.0.1:0 >"$work/serve.out" 2>&1 &
server=$!
url=""
for _ in $(seq 1 100); do
  url="$(grep -o 'http://[^ ]*' "$work/serve.out" || true)"
  [ -n "$url" ] && break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "run.sh: the server did not start:" >&2
  cat "$work/serve.out" >&2
  exit 1
fi
screenshots="${SCREENSHOTS:-$build/browser-screenshots}"
mkdir -p "$screenshots"
node "$here/ui.test.mjs" --base-url "${url%/}" --screenshots "$screenshots"
