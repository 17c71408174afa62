#!/usr/bin/env bash
# The scheduling benchmark with the server in the benchmark's process.
#
#   bench/scheduling.sh            quick: 200 instances, 2,000 tasks
#   bench/scheduling.sh full       5,000 instances, 100,000 tasks (more options may follow:
#                                  full --strategy spread, full --services 100)
#   bench/scheduling.sh --instances 1000 --tasks 10000 --strategy spread --concurrency 8 --services 10
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
case "${1:-quick}" in
  quick) shift $(( $# > 0 ? 1 : 0 )); set -- --instances 200 --tasks 2000 "$@" ;;
  full) shift; set -- --instances 5000 --tasks 100000 "$@" ;;
esac
build_if_needed
machine
exec "$java_cmd" -Xmx4g $sim_java_opts ${BENCH_JAVA_OPTS:-} -cp "$bench_cp" io.berth.bench.SchedulingBench "$@" 2>/dev/null
