#!/usr/bin/env bash
# Restart with a large store: a SQLite data directory filled straight through the store (one task
# in a hundred RUNNING, the rest STOPPED), then `berth server` started on it, timed from process
# start until a ListClusters answers, with its resident memory and DescribeTasks (100 ARNs) /
# ListTasks latencies. The same on a 10,000-task store first, as the baseline for the ratios.
# BERTH_JAVA_OPTS passes JVM options to the server (the same for every size).
#
#   bench/restart.sh [tasks, default 1000000] [calls per operation, default 300]
#   RESTART_SIZES=10000,100000,300000 bench/restart.sh     # several sizes; the first is the baseline
#   RESTART_COMPARE_JAR=/tmp/old/berth.jar bench/restart.sh  # another build (its lib/ beside it) started on the
#                                                             # same stores just before this one: before/after
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
tasks="${1:-1000000}"
calls="${2:-300}"
sizes="${RESTART_SIZES:-10000,$tasks}"
build_if_needed

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

machine
echo "server JVM options: ${BERTH_JAVA_OPTS:-(none)}; sizes $sizes; $calls calls per operation"
"$java_cmd" -cp "$bench_cp" io.berth.bench.RestartBench --java "$java_cmd" --berth-jar "$berth_jar" \
  --server-opts "${BERTH_JAVA_OPTS:-}" --work "$work" --sizes "$sizes" --calls "$calls" \
  ${RESTART_COMPARE_JAR:+--compare-jar "$RESTART_COMPARE_JAR"} 2>"$work/bench.err" \
  || { cat "$work/bench.err" >&2; tail -30 "$work"/server-*.log >&2 2>/dev/null; exit 1; }
