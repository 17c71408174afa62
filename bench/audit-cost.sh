#!/usr/bin/env bash
# What the audit trail costs: the API mix against two servers in the benchmark's process, one recording
# the trail and one started with -Dberth.audit=off, in alternating rounds, then with ÷ without.
#
#   bench/audit-cost.sh                      10 s of warm-up each, then 10 rounds of 4 s per server, 8 calls in flight
#   bench/audit-cost.sh --rounds 6 --seconds 10 --concurrency 16 --json out.json
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
build_if_needed
machine
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$java_cmd" ${BENCH_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -cp "$bench_cp" io.berth.bench.AuditBench "$@" 2>/dev/null
