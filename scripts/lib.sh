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

# write_benchmarks_section HEADING REPORT: replaces the section of
# BENCHMARKS.md that starts with the line "## HEADING" (up to the next "## "
# heading) with the file REPORT, which starts with that line; appends it
# when there is none. Nothing is written with BENCH_NO_WRITE=1.
write_benchmarks_section() {
  [ "${BENCH_NO_WRITE:-0}" = 1 ] && return 0
  /usr/bin/python3 - BENCHMARKS.md "$2" "$1" <<'PY'
import re, sys
path, report, heading = sys.argv[1:]
text = open(path).read()
section = open(report).read().rstrip() + "\n\n"
pattern = re.compile(r"^## %s\n.*?(?=^## |\Z)" % re.escape(heading), re.S | re.M)
text = pattern.sub(lambda m: section, text, count=1) if pattern.search(text) else text.rstrip() + "\n\n" + section
open(path, "w").write(text)
PY
}
