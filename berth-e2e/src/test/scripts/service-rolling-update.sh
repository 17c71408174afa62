#!/usr/bin/env bash
# A rolling update with the real aws CLI against a running Berth whose cluster has an agent on a
# Docker Engine (berth all-in-one): a 3-replica service on revision 1, updated to revision 2 with
# minimumHealthyPercent 100 / maximumPercent 150, never fewer than 3 healthy tasks, ending COMPLETED;
# then a stopped task is replaced.
#
# Usage: ENDPOINT=https://127.0.0.1:8773 AWS_CA_BUNDLE=./berth-data/ca.pem CREDENTIALS=./berth-data/credentials service-rolling-update.sh
# Optional: REGION (us-east-1), CLUSTER (default), SERVICE (rolling), IMAGE (busybox; needs the
# busybox binary), TIMEOUT seconds per wait (180), CLEANUP (1: delete the service and wait for its
# tasks to stop at the end).
set -euo pipefail

: "${ENDPOINT:?ENDPOINT must name the Berth endpoint, e.g. https://127.0.0.1:8773}"
: "${CREDENTIALS:?CREDENTIALS must name the credentials file Berth wrote on first start}"
REGION="${REGION:-us-east-1}"
CLUSTER="${CLUSTER:-default}"
SERVICE="${SERVICE:-rolling}"
IMAGE="${IMAGE:-busybox}"
TIMEOUT="${TIMEOUT:-180}"
CLEANUP="${CLEANUP:-1}"
DESIRED=3

CONFIG_DIR="$(mktemp -d)"
trap 'rm -rf "$CONFIG_DIR"' EXIT
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli-common.sh"

# Tasks of the service the scheduler wants running and the agent reports RUNNING.
healthy() {
  local arns
  arns="$(ecs list-tasks --cluster "$CLUSTER" --service-name "$SERVICE" --desired-status RUNNING \
    --query 'taskArns' --output text)"
  if [ -z "$arns" ] || [ "$arns" = "None" ]; then
    echo 0
    return
  fi
  # shellcheck disable=SC2086
  ecs describe-tasks --cluster "$CLUSTER" --tasks $arns --query "length(tasks[?lastStatus=='RUNNING'])" --output text
}

rollout() {
  ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" \
    --query 'services[0].[length(deployments), deployments[0].rolloutState, deployments[0].taskDefinition]' \
    --output text
}

# Waits until the single deployment is COMPLETED on the revision; with MIN set, checks the healthy
# tasks never drop below it meanwhile.
await_completed() {
  local revision="$1" min="${2:-}" deadline=$((SECONDS + TIMEOUT)) state count
  while true; do
    state="$(rollout)"
    if [ -n "$min" ]; then
      count="$(healthy)"
      echo "   healthy=$count rollout=[$state]"
      [ "$count" -ge "$min" ] || fail "only $count healthy tasks during the rollout (minimum $min)"
    fi
    case "$state" in
      "1"*"COMPLETED"*":$revision") return ;;
    esac
    [ "$SECONDS" -lt "$deadline" ] || fail "the rollout to revision $revision did not complete: [$state]"
    sleep 1
  done
}

register() {
  local seconds="$1"
  ecs register-task-definition --family "$SERVICE" --container-definitions \
    "[{\"name\":\"app\",\"image\":\"$IMAGE\",\"memory\":32,\"essential\":true,\"stopTimeout\":2,
       \"command\":[\"busybox\",\"sleep\",\"$seconds\"]}]" \
    --query 'taskDefinition.revision' --output text
}

step "revision 1 and a service of $DESIRED tasks"
rev1="$(register 3600)"
ecs create-service --cluster "$CLUSTER" --service-name "$SERVICE" --task-definition "$SERVICE:$rev1" \
  --desired-count "$DESIRED" --deployment-configuration "minimumHealthyPercent=100,maximumPercent=150" \
  --query 'service.deployments[0].[id,rolloutState]' --output text
await_completed "$rev1"
[ "$(healthy)" -eq "$DESIRED" ] || fail "expected $DESIRED healthy tasks on revision $rev1"

step "rolling update to revision 2"
rev2="$(register 7200)"
ecs update-service --cluster "$CLUSTER" --service "$SERVICE" --task-definition "$SERVICE:$rev2" \
  --query 'service.deployments[*].[status,id,rolloutState]' --output text
await_completed "$rev2" "$DESIRED"

step "a stopped task is replaced"
victim="$(ecs list-tasks --cluster "$CLUSTER" --service-name "$SERVICE" --query 'taskArns[0]' --output text)"
ecs stop-task --cluster "$CLUSTER" --task "$victim" --query 'task.desiredStatus' --output text
deadline=$((SECONDS + TIMEOUT))
until [ "$(healthy)" -eq "$DESIRED" ] && ! ecs list-tasks --cluster "$CLUSTER" --service-name "$SERVICE" \
    --query 'taskArns' --output text | grep -q "${victim##*/}"; do
  [ "$SECONDS" -lt "$deadline" ] || fail "the stopped task was not replaced"
  sleep 1
done

step "events"
ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" --query 'services[0].events[0:8].message' --output text \
  | tr '\t' '\n'

if [ "$CLEANUP" = "1" ]; then
  step "deleting the service"
  ecs delete-service --cluster "$CLUSTER" --service "$SERVICE" --force --query 'service.status' --output text
  deadline=$((SECONDS + TIMEOUT))
  until [ "$(ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" --query 'services[0].status' \
      --output text)" = "INACTIVE" ]; do
    [ "$SECONDS" -lt "$deadline" ] || fail "the service did not become INACTIVE"
    sleep 1
  done
fi
echo "OK"
