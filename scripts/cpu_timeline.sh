#!/usr/bin/env bash
# Runs COMMAND and prints, every INTERVAL seconds, how many cores it kept
# busy (its user + system CPU time over that interval, from fields 14 and 15
# of /proc/PID/stat; all its threads, not its child processes): a cheap way
# to see where a parallel run goes serial.
#
#   scripts/cpu_timeline.sh [-i INTERVAL] COMMAND [ARGS...]
#
# Output: "seconds cores" lines on stderr, the command's own output as it is.
# Exit code: the command's.
set -euo pipefail
interval=2
if [ "${1:-}" = "-i" ]; then
  interval="$2"
  shift 2
fi
[ $# -gt 0 ] || { echo "usage: scripts/cpu_timeline.sh [-i INTERVAL] COMMAND [ARGS...]" >&2; exit 2; }
"$@" &
pid=$!
ticks_per_second=$(getconf CLK_TCK)
previous=0
elapsed=0
while sleep "$interval"; do
  ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null) || break
  elapsed=$((elapsed + interval))
  awk -v t="$elapsed" -v d="$((ticks - previous))" -v hz="$ticks_per_second" -v i="$interval" \
    'BEGIN { printf "%d %.2f\n", t, d / hz / i }' >&2
  previous=$ticks
done
wait "$pid"
