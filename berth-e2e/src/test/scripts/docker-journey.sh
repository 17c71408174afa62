#!/usr/bin/env bash
# Real containers with the real aws CLI against `berth all-in-one`:
#   the WordPress-shaped task (a busybox httpd "wordpress" linked to a busybox `nc -l` "mysql") reaches RUNNING,
#   its page answers on the host port with what the database said over the link, stop-task stops it with exit
#   codes; a task whose essential container exits stops on its own with EssentialContainerExited.
#
# Usage: ENDPOINT=https://127.0.0.1:8773 AWS_CA_BUNDLE=./berth-data/ca.pem CREDENTIALS=./berth-data/credentials HOST_PORT=18080 docker-journey.sh
# Optional: REGION (us-east-1), CLUSTER (default: the all-in-one agent's cluster), IMAGE (berth-test/busybox:latest).
# Every container of the tasks it ran is removed on exit.
set -euo pipefail

: "${ENDPOINT:?ENDPOINT must name the Berth endpoint, e.g. https://127.0.0.1:8773}"
: "${CREDENTIALS:?CREDENTIALS must name the credentials file Berth wrote on first start}"
: "${HOST_PORT:?HOST_PORT must name a free host port for the web container}"
REGION="${REGION:-us-east-1}"
CLUSTER="${CLUSTER:-default}"
IMAGE="${IMAGE:-berth-test/busybox:latest}"

CONFIG_DIR="$(mktemp -d)"
task_arns=()
cleanup() {
  for arn in "${task_arns[@]}"; do
    ids="$(docker ps -aq --filter "label=com.amazonaws.ecs.task-arn=$arn")"
    if [[ -n "$ids" ]]; then docker rm -f $ids >/dev/null; fi
  done
  rm -rf "$CONFIG_DIR"
}
trap cleanup EXIT
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli-common.sh"

task_field() {
  ecs describe-tasks --cluster "$CLUSTER" --tasks "$1" --query "tasks[0].$2" --output text
}

# Waits until the task's lastStatus is $2 (at most $3 seconds).
await_status() {
  local arn="$1" wanted="$2" seconds="$3" status=""
  for _ in $(seq 1 $((seconds * 2))); do
    status="$(task_field "$arn" lastStatus)"
    if [[ "$status" == "$wanted" ]]; then
      echo "   ok: task $arn is $wanted"
      return 0
    fi
    sleep 0.5
  done
  echo "FAILED: task $arn is $status after ${seconds}s, expected $wanted" >&2
  ecs describe-tasks --cluster "$CLUSTER" --tasks "$arn" >&2
  exit 1
}

run_task() {
  local arn
  arn="$(ecs run-task --cluster "$CLUSTER" --task-definition "$1" --query 'tasks[0].taskArn' --output text)"
  task_arns+=("$arn")
  echo "$arn"
}

TASK_DEFINITION_JSON="$CONFIG_DIR/wordpress.json"
cat >"$TASK_DEFINITION_JSON" <<JSON
{
  "family": "wordpress-local",
  "containerDefinitions": [
    {
      "name": "wordpress",
      "image": "$IMAGE",
      "essential": true,
      "links": ["mysql"],
      "portMappings": [{ "containerPort": 80, "hostPort": $HOST_PORT }],
      "environment": [{ "name": "WORDPRESS_DB_HOST", "value": "mysql:3306" }],
      "entryPoint": ["/bin/busybox", "sh", "-c"],
      "command": ["busybox mkdir -p /www; for i in \$(busybox seq 1 30); do reply=\$(busybox nc -w 2 mysql 3306 </dev/null) && [ -n \"\$reply\" ] && break; busybox sleep 1; done; echo \"<h1>WordPress</h1><p>database \$WORDPRESS_DB_HOST says: \$reply</p>\" > /www/index.html; exec busybox httpd -f -p 80 -h /www"],
      "stopTimeout": 2,
      "cpu": 10,
      "memory": 64
    },
    {
      "name": "mysql",
      "image": "$IMAGE",
      "essential": true,
      "environment": [{ "name": "MYSQL_ROOT_PASSWORD", "value": "password" }],
      "entryPoint": ["/bin/busybox", "sh", "-c"],
      "command": ["trap 'exit 0' TERM; while true; do echo \"mysql ready, root password \$MYSQL_ROOT_PASSWORD\" | busybox nc -l -p 3306 & wait \$!; done"],
      "stopTimeout": 2,
      "cpu": 10,
      "memory": 64
    }
  ]
}
JSON

step "register the WordPress-shaped task definition"
revision="$(ecs register-task-definition --cli-input-json "file://$TASK_DEFINITION_JSON" \
  --query 'taskDefinition.revision' --output text)"
wordpress="wordpress-local:$revision"

step "run $wordpress on cluster $CLUSTER"
task="$(run_task "$wordpress")"
await_status "$task" RUNNING 60
expect "host port of wordpress:80" \
  "$(task_field "$task" "containers[?name=='wordpress'] | [0].networkBindings[0].hostPort")" "$HOST_PORT"
expect "running containers of the task" \
  "$(docker ps -q --filter "label=com.amazonaws.ecs.task-arn=$task" | wc -l | tr -d ' ')" "2"

step "the page answers on http://127.0.0.1:$HOST_PORT/ with what mysql said over the link"
page=""
for _ in $(seq 1 60); do
  if page="$(curl -sf "http://127.0.0.1:$HOST_PORT/")" && [[ -n "$page" ]]; then break; fi
  sleep 0.5
done
expect "HTTP status" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HOST_PORT/")" "200"
echo "   page: $page"
expect "database reply in the page" "$([[ "$page" == *"database mysql:3306 says: mysql ready, root password password"* ]] && echo yes)" "yes"

step "stop-task"
ecs stop-task --cluster "$CLUSTER" --task "$task" --reason "journey over" --query 'task.desiredStatus' --output text >/dev/null
await_status "$task" STOPPED 60
expect "stop code" "$(task_field "$task" stopCode)" "UserInitiated"
expect "stopped reason" "$(task_field "$task" stoppedReason)" "journey over"
expect "exit code of wordpress (httpd ignores TERM, killed after stopTimeout)" \
  "$(task_field "$task" "containers[?name=='wordpress'] | [0].exitCode")" "137"
expect "exit code of mysql (exits on TERM)" "$(task_field "$task" "containers[?name=='mysql'] | [0].exitCode")" "0"
expect "running containers of the task" \
  "$(docker ps -q --filter "label=com.amazonaws.ecs.task-arn=$task" | wc -l | tr -d ' ')" "0"

step "a task whose essential container exits stops on its own"
revision="$(ecs register-task-definition --family short-lived --container-definitions "[
  {\"name\": \"job\", \"image\": \"$IMAGE\", \"essential\": true, \"memory\": 32,
   \"entryPoint\": [\"/bin/busybox\", \"sh\", \"-c\"], \"command\": [\"busybox sleep 1; exit 3\"]},
  {\"name\": \"sidecar\", \"image\": \"$IMAGE\", \"essential\": false, \"memory\": 32, \"stopTimeout\": 2,
   \"entryPoint\": [\"/bin/busybox\", \"sh\", \"-c\"],
   \"command\": [\"trap 'exit 0' TERM; while true; do busybox sleep 1 & wait \$!; done\"]}
]" --query 'taskDefinition.revision' --output text)"
job="$(run_task "short-lived:$revision")"
await_status "$job" STOPPED 60
expect "stop code" "$(task_field "$job" stopCode)" "EssentialContainerExited"
expect "exit code of job" "$(task_field "$job" "containers[?name=='job'] | [0].exitCode")" "3"
expect "exit code of sidecar" "$(task_field "$job" "containers[?name=='sidecar'] | [0].exitCode")" "0"

step "every resource is back on the container instance"
instance="$(ecs list-container-instances --cluster "$CLUSTER" --query 'containerInstanceArns[0]' --output text)"
for resource in CPU MEMORY; do
  expect "remaining $resource" \
    "$(ecs describe-container-instances --cluster "$CLUSTER" --container-instances "$instance" \
      --query "containerInstances[0].remainingResources[?name=='$resource'] | [0].integerValue" --output text)" \
    "$(ecs describe-container-instances --cluster "$CLUSTER" --container-instances "$instance" \
      --query "containerInstances[0].registeredResources[?name=='$resource'] | [0].integerValue" --output text)"
done
expect "agent connected" \
  "$(ecs describe-container-instances --cluster "$CLUSTER" --container-instances "$instance" \
    --query 'containerInstances[0].agentConnected' --output text)" "True"

echo "Docker journey done."
