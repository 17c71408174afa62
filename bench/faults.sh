#!/usr/bin/env bash
# The suite's fault scenario of several nodes, run for longer: three nodes on an embedded PostgreSQL
# with a two-second lease, one of them killed with SIGKILL (and started again) or frozen with SIGSTOP
# (and thawed) every few seconds, 16 writers registering, running and stopping through random nodes.
# Afterwards it checks that every acknowledged write is there, revisions per family are unique and
# without gaps but for calls whose outcome is unknown, and no instance was ever oversubscribed; it
# prints the faults and the calls' outcomes.
#
#   bench/faults.sh [seconds of faults, default 900]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
seconds="${1:-900}"
machine
cd "$root"
mvn -o -B -q verify -pl berth-e2e -am -Dtest=NodesFaultScenarioTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dberth.faults.seconds="$seconds" -Dberth.faults.unbounded=true 2>&1 | grep -E "Fault scenario|FAIL|ERROR|Tests run" || true
grep -h "Tests run" berth-e2e/target/surefire-reports/io.berth.e2e.NodesFaultScenarioTest.txt
