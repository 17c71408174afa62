#!/usr/bin/env bash
# The audit trail with the real aws CLI against a running Berth: a cluster created, then found with
# cloudtrail lookup-events by its event name, with its caller; a read is not in the trail.
#
# Usage: ENDPOINT=http://127.0.0.1:8773 CREDENTIALS=./berth-data/credentials audit-journey.sh
# Optional: REGION (us-east-1), CLUSTER (audit-journey).
set -euo pipefail

: "${ENDPOINT:?ENDPOINT must name the Berth endpoint, e.g. http://127.0.0.1:8773}"
: "${CREDENTIALS:?CREDENTIALS must name the credentials file Berth wrote on first start}"
REGION="${REGION:-us-east-1}"
CLUSTER="${CLUSTER:-audit-journey}"
CONFIG_DIR="$(mktemp -d)"
trap 'rm -rf "$CONFIG_DIR"' EXIT
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli-common.sh"

trail() {
  aws --endpoint-url "$ENDPOINT" cloudtrail "$@"
}

step "create a cluster, then read it"
ecs create-cluster --cluster-name "$CLUSTER" >/dev/null
ecs describe-clusters --clusters "$CLUSTER" >/dev/null
caller="$(aws --endpoint-url "$ENDPOINT" sts get-caller-identity --query Arn --output text)"

step "lookup-events by event name"
found="$(trail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=CreateCluster \
  --query "Events[?Resources[?ResourceName=='$CLUSTER']] | [0]" --output json)"
event="$(python3 -c 'import json, sys; e = json.loads(sys.argv[1]); print(e["EventName"], e["Username"], e["EventSource"], e["ReadOnly"])' "$found")"
expect "the event" "$event" "CreateCluster root ecs.amazonaws.com false"
arn="$(python3 -c 'import json, sys; print(json.loads(json.loads(sys.argv[1])["CloudTrailEvent"])["userIdentity"]["arn"])' "$found")"
expect "its caller" "$arn" "$caller"

step "reads are not recorded"
expect "DescribeClusters events" "$(trail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=DescribeClusters --query 'length(Events)' --output text)" "0"
echo "Audit journey done"
