#!/usr/bin/env bash
# Serves the shards of a sharded index (policy-index --shards N) with
# xapian-tcpsrv, one process per shard on consecutive ports, and writes the
# stub that searches them remotely.
#
#   scripts/shard-servers.sh start INDEX STUB_DIR [--interface ADDR] [--first-port PORT] [--host NAME]
#   scripts/shard-servers.sh stop INDEX
#
# start: shard K of INDEX is served on FIRST_PORT + K (default 33400) on
# ADDR (default 127.0.0.1); pids and logs go to INDEX/run/. STUB_DIR/XAPIANDB
# then lists INDEX's lexicon (local) and "remote HOST:PORT" per shard, HOST
# being --host (default ADDR): copy STUB_DIR and the lexicon to the machine
# that searches. Check with: policy-search health --index STUB_DIR
# stop: ends the servers start began (and their per-connection children).
set -euo pipefail

usage() { sed -n '5,8p' "$0" | sed 's/^# \{0,3\}//' >&2; exit 2; }
[ $# -ge 2 ] || usage
command=$1
index=$(realpath "$2")
run_dir="$index/run"

case "$command" in
  start)
    [ $# -ge 3 ] || usage
    stub_dir=$3
    shift 3
    interface=127.0.0.1
    first_port=33400
    host=""
    while [ $# -gt 0 ]; do
      case "$1" in
        --interface) interface=$2; shift 2 ;;
        --first-port) first_port=$2; shift 2 ;;
        --host) host=$2; shift 2 ;;
        *) usage ;;
      esac
    done
    host=${host:-$interface}
    command -v xapian-tcpsrv >/dev/null || { echo "shard-servers: xapian-tcpsrv not found (scripts/install-deps.sh installs xapian-tools)" >&2; exit 2; }
    [ -f "$index/XAPIANDB" ] || { echo "shard-servers: $index is no sharded index (no XAPIANDB; build one with policy-index --shards N)" >&2; exit 2; }
    mkdir -p "$run_dir" "$stub_dir"
    stub="auto $index/lexicon"$'\n'
    k=0
    while [ -d "$index/shard-$k" ]; do
      port=$((first_port + k))
      # Its own session, so that stop ends its per-connection children too.
      setsid xapian-tcpsrv --quiet --interface "$interface" --port "$port" "$index/shard-$k" \
        >"$run_dir/shard-$k.log" 2>&1 &
      echo $! >"$run_dir/shard-$k.pid"
      stub+="remote $host:$port"$'\n'
      echo "shard-servers: shard-$k on $interface:$port (pid $!)"
      k=$((k + 1))
    done
    printf '%s' "$stub" >"$stub_dir/XAPIANDB"
    # Ready when every port accepts connections.
    for i in $(seq 0 $((k - 1))); do
      for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/$interface/$((first_port + i))") 2>/dev/null && break
        sleep 0.1
      done
    done
    echo "shard-servers: $k shards; stub $stub_dir/XAPIANDB"
    ;;
  stop)
    for pid_file in "$run_dir"/shard-*.pid; do
      [ -e "$pid_file" ] || continue
      pid=$(cat "$pid_file")
      kill -TERM -- "-$pid" 2>/dev/null || true
      rm -f "$pid_file"
    done
    ;;
  *) usage ;;
esac
