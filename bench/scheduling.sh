#!/usr/bin/env bash
# The scheduling benchmark. By default the server runs in the benchmark's process; with
# --server-process it runs from its jar in a process of its own (BERTH_JAVA_OPTS, default -Xmx4g),
# and the benchmark also reports the CPU of the server alone per placement.
#
#   bench/scheduling.sh            quick: 200 instances, 2,000 tasks
#   bench/scheduling.sh full       5,000 instances, 100,000 tasks (more options may follow:
#                                  full --strategy spread, full --services 100)
#   bench/scheduling.sh --instances 1000 --tasks 10000 --strategy spread --concurrency 8 --services 10
#   bench/scheduling.sh --server-process --instances 5000 --tasks 20000
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
case "${1:-quick}" in
  quick) shift $(( $# > 0 ? 1 : 0 )); set -- --instances 200 --tasks 2000 "$@" ;;
  full) shift; set -- --instances 5000 --tasks 100000 "$@" ;;
esac
own_process=""
args=()
for arg in "$@"; do
  if [ "$arg" = "--server-process" ]; then own_process=1; else args+=("$arg"); fi
done
build_if_needed
machine
if [ -z "$own_process" ]; then
  exec "$java_cmd" -Xmx4g $sim_java_opts ${BENCH_JAVA_OPTS:-} -cp "$bench_cp" io.berth.bench.SchedulingBench "${args[@]}" 2>/dev/null
fi
make_work_dir
BERTH_JAVA_OPTS="${BERTH_JAVA_OPTS:--Xmx4g}" start_berth server
"$java_cmd" -Xmx4g $sim_java_opts ${BENCH_JAVA_OPTS:-} -cp "$bench_cp" io.berth.bench.SchedulingBench \
  --endpoint "http://127.0.0.1:$berth_port" --server-pid "$berth_pid" "${args[@]}" 2>/dev/null
