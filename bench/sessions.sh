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

make_work_dir
start_berth server
sleep 3

machine
AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench "$java_cmd" ${BENCH_JAVA_OPTS:-} $sim_java_opts -cp "$bench_cp" io.berth.bench.SessionsBench \
  --endpoint "http://127.0.0.1:$berth_port" --instances "$agents" --hold "$hold" --server-pid "$berth_pid" 2>/dev/null
