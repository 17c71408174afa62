#!/usr/bin/env bash
# What IAM enforcement costs: the API mix as the account's root and as an IAM user holding ten
# policies, in alternating rounds against one server in the benchmark's process, then user ÷ root.
#
#   bench/policy-cost.sh                      10 s of warm-up each, then 10 rounds of 4 s per principal, 8 calls in flight
#   bench/policy-cost.sh --rounds 6 --seconds 10 --concurrency 16 --json out.json
#   BENCH_JAVA_OPTS='-XX:StartFlightRecording=filename=/tmp/policy.jfr,settings=profile' bench/policy-cost.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build_if_needed
machine
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$java_cmd" ${BENCH_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -cp "$bench_cp" io.berth.bench.PolicyBench "$@" 2>/dev/null
