#!/usr/bin/env bash
# Agent sessions on one server: Berth runs from its jar (development mode, fresh data directory),
# a fleet of simulated agents connects to it and stays connected, heartbeating; the server's
# resident memory and CPU are read from its process. BERTH_JAVA_OPTS passes JVM options to the
# server, such as -Xmx512m, and BENCH_JAVA_OPTS to the simulator.
#
#   bench/sessions.sh [agents, default 5000] [seconds to hold, default 60]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
agents="${1:-5000}"
hold="${2:-60}"
build_if_needed

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$(free_port)"
"$java_cmd" ${BERTH_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -jar "$berth_jar" server --dev --port "$port" \
  --data-dir "$work/berth-data" >"$work/berth.log" 2>&1 &
server_pid=$!
wait_for_port "$port" Berth || { tail -20 "$work/berth.log" >&2; exit 1; }
sleep 3

machine
AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench "$java_cmd" ${BENCH_JAVA_OPTS:-} $sim_java_opts -cp "$bench_cp" io.berth.bench.SessionsBench \
  --endpoint "http://127.0.0.1:$port" --instances "$agents" --hold "$hold" --server-pid "$server_pid" 2>/dev/null
