#!/usr/bin/env bash
# The task journey with the real aws CLI against a running Berth:
#   cluster -> task definition -> container instance -> task PENDING -> stop -> STOPPED -> resources back.
#
# Usage: ENDPOINT=https://127.0.0.1:8773 AWS_CA_BUNDLE=./berth-data/ca.pem CREDENTIALS=./berth-data/credentials cli-journey.sh
# Optional: REGION (us-east-1), CLUSTER (cli-journey), UNTIL=cluster|taskdef|instance|task (task: all steps).
set -euo pipefail

: "${ENDPOINT:?ENDPOINT must name the Berth endpoint, e.g. https://127.0.0.1:8773}"
: "${CREDENTIALS:?CREDENTIALS must name the credentials file Berth wrote on first start}"
REGION="${REGION:-us-east-1}"
CLUSTER="${CLUSTER:-cli-journey}"
UNTIL="${UNTIL:-task}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TASK_DEFINITION_JSON="${TASK_DEFINITION_JSON:-$HERE/../resources/wordpress.json}"

case "$UNTIL" in
  cluster | taskdef | instance | task) ;;
  *) echo "UNTIL must be one of cluster, taskdef, instance, task (was $UNTIL)" >&2; exit 2 ;;
esac

# Configure the CLI from the credentials Berth printed, in files of this run only.
CONFIG_DIR="$(mktemp -d)"
trap 'rm -rf "$CONFIG_DIR"' EXIT
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli-common.sh"

expect_match() {
  local what="$1" actual="$2" pattern="$3"
  if [[ ! "$actual" =~ $pattern ]]; then
    fail "$what is '$actual', expected to match $pattern"
  fi
  echo "   ok: $what = $actual"
}

stage_done() {
  if [[ "$UNTIL" == "$1" ]]; then
    echo "Journey done up to $1."
    exit 0
  fi
}

step "create cluster $CLUSTER"
cluster_arn="$(ecs create-cluster --cluster-name "$CLUSTER" --query 'cluster.clusterArn' --output text)"
expect_match "cluster ARN" "$cluster_arn" "^arn:aws:ecs:$REGION:[0-9]{12}:cluster/$CLUSTER\$"
expect "cluster status" "$(ecs describe-clusters --clusters "$CLUSTER" --query 'clusters[0].status' --output text)" "ACTIVE"
listed="$(ecs list-clusters --query "clusterArns[?@ == '$cluster_arn'] | length(@)" --output text)"
expect "clusters listed with that ARN" "$listed" "1"
stage_done cluster

step "register the task definition in $(basename "$TASK_DEFINITION_JSON")"
family="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["family"])' "$TASK_DEFINITION_JSON")"
revision="$(ecs register-task-definition --cli-input-json "file://$TASK_DEFINITION_JSON" \
  --query 'taskDefinition.revision' --output text)"
task_definition="$family:$revision"
expect "task definition status" \
  "$(ecs describe-task-definition --task-definition "$task_definition" --query 'taskDefinition.status' --output text)" \
  "ACTIVE"
stage_done taskdef

step "register a container instance into $CLUSTER"
total_cpu=2048
total_memory=4096
instance_arn="$(ecs register-container-instance --cluster "$CLUSTER" \
  --total-resources "[{\"name\":\"CPU\",\"type\":\"INTEGER\",\"integerValue\":$total_cpu},
                      {\"name\":\"MEMORY\",\"type\":\"INTEGER\",\"integerValue\":$total_memory},
                      {\"name\":\"PORTS\",\"type\":\"STRINGSET\",\"stringSetValue\":[\"22\"]}]" \
  --query 'containerInstance.containerInstanceArn' --output text)"
expect "instance status" \
  "$(ecs describe-container-instances --cluster "$CLUSTER" --container-instances "$instance_arn" \
     --query 'containerInstances[0].status' --output text)" "ACTIVE"
stage_done instance

remaining() {
  ecs describe-container-instances --cluster "$CLUSTER" --container-instances "$instance_arn" \
    --query "containerInstances[0].remainingResources[?name=='$1'].integerValue | [0]" --output text
}

# The ports in use on the instance, sorted, separated by spaces.
ports_in_use() {
  ecs describe-container-instances --cluster "$CLUSTER" --container-instances "$instance_arn" \
    --query "containerInstances[0].remainingResources[?name=='PORTS'].stringSetValue | [0]" --output text \
    | tr '\t' '\n' | sort -n | paste -sd ' ' -
}

step "run $task_definition"
task_arn="$(ecs run-task --cluster "$CLUSTER" --task-definition "$task_definition" --count 1 \
  --query 'tasks[0].taskArn' --output text)"
describe_task() {
  ecs describe-tasks --cluster "$CLUSTER" --tasks "$task_arn" --query "tasks[0].$1" --output text
}
expect "task last status" "$(describe_task lastStatus)" "PENDING"
expect "task desired status" "$(describe_task desiredStatus)" "RUNNING"
expect "task container instance" "$(describe_task containerInstanceArn)" "$instance_arn"
expect "remaining CPU while placed" "$(remaining CPU)" "$((total_cpu - 20))"
expect "remaining memory while placed" "$(remaining MEMORY)" "$((total_memory - 1000))"
expect "ports in use while placed" "$(ports_in_use)" "22 80"

step "stop the task"
expect "desired status after stop-task" \
  "$(ecs stop-task --cluster "$CLUSTER" --task "$task_arn" --reason "cli journey" --query 'task.desiredStatus' --output text)" \
  "STOPPED"

step "report it STOPPED as the agent would"
ecs submit-task-state-change --cluster "$CLUSTER" --task "$task_arn" --status STOPPED --reason "cli journey" \
  --output text >/dev/null
expect "task last status" "$(describe_task lastStatus)" "STOPPED"
expect "remaining CPU" "$(remaining CPU)" "$total_cpu"
expect "remaining memory" "$(remaining MEMORY)" "$total_memory"
expect "ports in use" "$(ports_in_use)" "22"
echo "Journey done: every step."
