#!/usr/bin/env bash
# The scheduling benchmark with the server in the benchmark's process.
#
#   bench/scheduling.sh            quick: 200 instances, 2,000 tasks
#   bench/scheduling.sh full       5,000 instances, 100,000 tasks
#   bench/scheduling.sh --instances 1000 --tasks 10000 --strategy spread --concurrency 8
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
case "${1:-quick}" in
  quick) set -- --instances 200 --tasks 2000 ;;
  full) set -- --instances 5000 --tasks 100000 ;;
esac
build_if_needed
machine
exec "$java_cmd" -Xmx4g $sim_java_opts ${BENCH_JAVA_OPTS:-} -cp "$bench_cp" io.berth.bench.SchedulingBench "$@" 2>/dev/null
