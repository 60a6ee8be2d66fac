# Shell functions shared by the scripts and the browser test; source it.

# start_server BUILD_DIR INDEX LOG: starts "policy-search serve" on a free
# loopback port in the background, waits (10 s at most) until it prints its
# URL, and sets SERVER_PID and SERVER_URL. Returns 1, with the server's
# output on stderr, when it did not start.
start_server() {
  local build="$1" index="$2" log="$3"
  "$build/policy-search" serve --index "$index" --listen 127.0.0.1:0 >"$log" 2>&1 &
  SERVER_PID=$!
  SERVER_URL=""
  for _ in $(seq 1 100); do
    SERVER_URL="$(grep -o 'http://[^ ]*' "$log" || true)"
    [ -n "$SERVER_URL" ] && return 0
    sleep 0.1
  done
  cat "$log" >&2
  return 1
}
