#!/usr/bin/env bash
# CloudWatch Logs with the real aws CLI against a running Berth: a group and a stream, events put,
# read back with get-log-events both ways, found with filter-log-events (paginated by the CLI).
#
# Usage: ENDPOINT=https://127.0.0.1:8773 AWS_CA_BUNDLE=./berth-data/ca.pem CREDENTIALS=./berth-data/credentials logs-journey.sh
# Optional: REGION (us-east-1), GROUP (/cli/journey).
set -euo pipefail

: "${ENDPOINT:?ENDPOINT must name the Berth endpoint, e.g. https://127.0.0.1:8773}"
: "${CREDENTIALS:?CREDENTIALS must name the credentials file Berth wrote on first start}"
REGION="${REGION:-us-east-1}"
GROUP="${GROUP:-/cli/journey}"
CONFIG_DIR="$(mktemp -d)"
trap 'rm -rf "$CONFIG_DIR"' EXIT
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli-common.sh"

logs() {
  aws --endpoint-url "$ENDPOINT" logs "$@"
}

step "create the group and the stream"
logs create-log-group --log-group-name "$GROUP"
logs create-log-stream --log-group-name "$GROUP" --log-stream-name app/web/1
expect "streams" "$(logs describe-log-streams --log-group-name "$GROUP" --query 'logStreams[].logStreamName' --output text)" "app/web/1"

step "put events"
now=$(($(date +%s) * 1000))
events="$(python3 - "$now" <<'PY'
import json, sys
now = int(sys.argv[1])
print(json.dumps([{"timestamp": now - 1000 + i, "message": ("ERROR " if i % 10 == 0 else "INFO ") + f"line {i}"} for i in range(100)]))
PY
)"
logs put-log-events --log-group-name "$GROUP" --log-stream-name app/web/1 --log-events "$events" >/dev/null

step "get-log-events from the head and from the tail"
expect "first line" "$(logs get-log-events --log-group-name "$GROUP" --log-stream-name app/web/1 --start-from-head --limit 1 --query 'events[0].message' --output text)" "ERROR line 0"
expect "last line" "$(logs get-log-events --log-group-name "$GROUP" --log-stream-name app/web/1 --limit 1 --query 'events[0].message' --output text)" "INFO line 99"
token="$(logs get-log-events --log-group-name "$GROUP" --log-stream-name app/web/1 --query nextForwardToken --output text)"
expect "token at the end" "$(logs get-log-events --log-group-name "$GROUP" --log-stream-name app/web/1 --next-token "$token" --query nextForwardToken --output text)" "$token"

step "filter-log-events, a page of 3 at a time"
expect "errors found" "$(logs filter-log-events --log-group-name "$GROUP" --filter-pattern ERROR --page-size 3 --query 'length(events)' --output json)" "10"
expect "a phrase without ERROR" "$(logs filter-log-events --log-group-name "$GROUP" --filter-pattern '"line 1" -ERROR' --query 'length(events)' --output text)" "10"

step "delete"
logs delete-log-group --log-group-name "$GROUP"
expect "groups left" "$(logs describe-log-groups --log-group-name-prefix "$GROUP" --query 'length(logGroups)' --output text)" "0"
echo "Journey done"
