#!/usr/bin/env bash
# Several nodes on one PostgreSQL store (embedded, started by the benchmark, durable commits), each node a
# `berth server` process: DescribeClusters and RunTask through a follower ÷ straight to the leader; one node
# of this build ÷ one of BERTH_JAR (when given); then failover, the leader of three nodes killed with
# SIGKILL, on stores of 10,000 and 100,000 tasks, seconds from the kill until a write is accepted again.
#
#   bench/nodes.sh                                   # 6 rounds of 3 s per side and operation, 8 in flight, 3 kills per size
#   bench/nodes.sh --sizes 10000 --kills 5 --rounds 10 --seconds 5
#   bench/nodes.sh --parts follower                  # only the first part (of follower,lone,failover)
#   BERTH_JAR=/tmp/old/berth-server/target/berth.jar bench/nodes.sh    # also this build ÷ that one (its lib/ beside it)
# BERTH_JAVA_OPTS passes JVM options to every node.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
this_jar="$root/berth-server/target/berth.jar"
compare_jar="${BERTH_JAR:-}"
berth_jar="$this_jar"
build_if_needed

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

machine
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$java_cmd" -cp "$bench_cp" io.berth.bench.NodesBench --java "$java_cmd" --berth-jar "$this_jar" \
  --server-opts "${BERTH_JAVA_OPTS:-}" --work "$work" ${compare_jar:+--compare-jar "$compare_jar"} "$@" \
  2>"$work/bench.err" || { cat "$work/bench.err" >&2; tail -30 "$work"/*.log >&2 2>/dev/null; exit 1; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
