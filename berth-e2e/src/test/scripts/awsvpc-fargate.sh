#!/usr/bin/env bash
# Fargate and awsvpc task definitions as people write them, run with the real aws CLI against a
# running Berth whose host is given both to a cluster and to Fargate (berth all-in-one):
# - a FARGATE definition (awsvpc, task cpu 256 / memory 512) whose second container reads the first
#   one's page through localhost runs with --launch-type FARGATE; its ENI address answers from here;
# - cpu 256 with memory 4096 is refused with ClientException;
# - a FARGATE service of two has two RUNNING tasks with distinct addresses, each answering;
# - an EC2 task in awsvpc mode gets its own answering address;
# - 50 awsvpc tasks started and stopped leave no Docker network, namespace or pause container.
#
# Usage: ENDPOINT=https://127.0.0.1:8773 AWS_CA_BUNDLE=./berth-data/ca.pem CREDENTIALS=./berth-data/credentials awsvpc-fargate.sh
# Optional: REGION (us-east-1), CLUSTER (default), NAME (a prefix for what the script creates),
# IMAGE (busybox; an image with busybox's sh, httpd, wget), SUBNET (subnet-0a1b2c3d),
# TIMEOUT seconds per wait (180), LOOP (50: awsvpc tasks started and stopped at the end).
set -euo pipefail

: "${ENDPOINT:?ENDPOINT must name the Berth endpoint, e.g. https://127.0.0.1:8773}"
: "${CREDENTIALS:?CREDENTIALS must name the credentials file Berth wrote on first start}"
REGION="${REGION:-us-east-1}"
CLUSTER="${CLUSTER:-default}"
NAME="${NAME:-vpc-$RANDOM$RANDOM}"
IMAGE="${IMAGE:-busybox}"
SUBNET="${SUBNET:-subnet-0a1b2c3d}"
TIMEOUT="${TIMEOUT:-180}"
LOOP="${LOOP:-50}"

CONFIG_DIR="$(mktemp -d)"
trap 'rm -rf "$CONFIG_DIR"' EXIT
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli-common.sh"

NETWORK="awsvpcConfiguration={subnets=[$SUBNET],securityGroups=[sg-0a1b2c3d],assignPublicIp=DISABLED}"


task_address() {
  task_field "$1" "attachments[?type=='ElasticNetworkInterface'] | [0].details[?name=='privateIPv4Address'] | [0].value"
}

# The page a task's second container serves: what it read from the first one through localhost.
page() {
  curl -s --max-time 3 "http://$1:8081/" || true
}

# Web serves its own page on 8080; probe reads it through localhost and serves what it read on 8081.
containers() {
  local sizes="$1"
  cat <<EOF
[{"name":"web","image":"$IMAGE","essential":true,$sizes
  "portMappings":[{"containerPort":8080,"protocol":"tcp"}],
  "command":["sh","-c","mkdir -p /www && echo hello-$NAME > /www/index.html && exec httpd -f -p 8080 -h /www"]},
 {"name":"probe","image":"$IMAGE","essential":true,$sizes
  "portMappings":[{"containerPort":8081,"protocol":"tcp"}],
  "command":["sh","-c","mkdir -p /www; until wget -q -O /www/index.html http://localhost:8080/; do sleep 1; done; exec httpd -f -p 8081 -h /www"]}]
EOF
}

# Docker's network namespaces before this run: none of the run's may remain at its end.
namespaces_before="$(ls /var/run/docker/netns 2>/dev/null | wc -l)"

step "a Fargate task definition: awsvpc, task cpu 256 and memory 512"
compat="$(ecs register-task-definition --family "$NAME-fargate" --requires-compatibilities FARGATE \
  --network-mode awsvpc --cpu 256 --memory 512 --container-definitions "$(containers "")" \
  --query 'taskDefinition.compatibilities' --output text)"
grep -qw FARGATE <<<"$compat" && grep -qw EC2 <<<"$compat" || fail "its compatibilities are $compat"
echo "   ok: its compatibilities are $(xargs <<<"$compat")"

step "cpu 256 with memory 4096 is no Fargate size"
if out="$(ecs register-task-definition --family "$NAME-too-big" --requires-compatibilities FARGATE \
    --network-mode awsvpc --cpu 256 --memory 4096 --container-definitions "$(containers "")" 2>&1)"; then
  fail "a Fargate definition with cpu 256 and memory 4096 was registered"
fi
grep -q "ClientException" <<<"$out" || fail "expected ClientException, got: $out"
echo "   ok: refused: $out"

step "a Fargate task runs, its containers share localhost, and its address answers from this host"
task="$(ecs run-task --cluster "$CLUSTER" --launch-type FARGATE --task-definition "$NAME-fargate" \
  --network-configuration "$NETWORK" --query 'tasks[0].taskArn' --output text)"
await "the Fargate task's status" RUNNING task_field "$task" lastStatus
expect "its launch type" "$(task_field "$task" launchType)" FARGATE
expect "its platform version" "$(task_field "$task" platformVersion)" 1.4.0
expect "its container instance" "$(task_field "$task" containerInstanceArn)" None
address="$(task_address "$task")"
echo "   address $address"
await "the page its probe read through localhost" "hello-$NAME" page "$address"

step "a Fargate service of two runs two tasks with addresses of their own"
ecs create-service --cluster "$CLUSTER" --service-name "$NAME-svc" --task-definition "$NAME-fargate" \
  --desired-count 2 --launch-type FARGATE --network-configuration "$NETWORK" >/dev/null
await "the service's running count" 2 ecs describe-services --cluster "$CLUSTER" --services "$NAME-svc" \
  --query 'services[0].runningCount' --output text
service_tasks="$(ecs list-tasks --cluster "$CLUSTER" --service-name "$NAME-svc" --desired-status RUNNING \
  --query 'taskArns' --output text)"
addresses=()
for t in $service_tasks; do
  await "a service task's status" RUNNING task_field "$t" lastStatus
  a="$(task_address "$t")"
  await "the page of the service task at $a" "hello-$NAME" page "$a"
  addresses+=("$a")
done
expect "how many service tasks" "${#addresses[@]}" 2
[[ "${addresses[0]}" != "${addresses[1]}" ]] || fail "both service tasks have the address ${addresses[0]}"
[[ "${addresses[0]}" != "$address" && "${addresses[1]}" != "$address" ]] || fail "a service task has the task's address"
echo "   ok: distinct addresses ${addresses[*]} $address"

step "an EC2 task in awsvpc mode gets an answering address of its own"
ecs register-task-definition --family "$NAME-ec2" --requires-compatibilities EC2 --network-mode awsvpc \
  --container-definitions "$(containers '"memory":32,')" >/dev/null
ec2_task="$(ecs run-task --cluster "$CLUSTER" --launch-type EC2 --task-definition "$NAME-ec2" \
  --network-configuration "$NETWORK" --query 'tasks[0].taskArn' --output text)"
await "the EC2 awsvpc task's status" RUNNING task_field "$ec2_task" lastStatus
ec2_address="$(task_address "$ec2_task")"
await "the page of the EC2 awsvpc task at $ec2_address" "hello-$NAME" page "$ec2_address"

step "everything stops"
ecs delete-service --cluster "$CLUSTER" --service "$NAME-svc" --force >/dev/null
for t in $task $ec2_task; do
  ecs stop-task --cluster "$CLUSTER" --task "$t" >/dev/null
done
for t in $task $ec2_task $service_tasks; do
  await "a stopped task's status" STOPPED task_field "$t" lastStatus
done


step "$LOOP awsvpc tasks started and stopped, ten at a time"
ecs register-task-definition --family "$NAME-loop" --requires-compatibilities EC2 --network-mode awsvpc \
  --container-definitions "[{\"name\":\"sleep\",\"image\":\"$IMAGE\",\"essential\":true,\"memory\":16,
     \"command\":[\"sleep\",\"3600\"]}]" >/dev/null
# The distinct statuses of the tasks, and their addresses, in one call per batch.
batch_statuses() {
  ecs describe-tasks --cluster "$CLUSTER" --tasks "$@" --query 'tasks[].lastStatus' --output text | xargs -n1 | sort -u | xargs
}
started=0
seen_addresses=()
while [ "$started" -lt "$LOOP" ]; do
  batch=$((LOOP - started < 10 ? LOOP - started : 10))
  arns="$(ecs run-task --cluster "$CLUSTER" --launch-type EC2 --task-definition "$NAME-loop" --count "$batch" \
    --network-configuration "$NETWORK" --query 'tasks[].taskArn' --output text)"
  # shellcheck disable=SC2086
  await "the statuses of $batch loop tasks" RUNNING batch_statuses $arns
  # shellcheck disable=SC2086
  seen_addresses+=($(ecs describe-tasks --cluster "$CLUSTER" --tasks $arns --output text --query \
    "tasks[].attachments[?type=='ElasticNetworkInterface'][].details[?name=='privateIPv4Address'][].value"))
  for t in $arns; do
    ecs stop-task --cluster "$CLUSTER" --task "$t" >/dev/null
  done
  # shellcheck disable=SC2086
  await "the statuses of $batch loop tasks" STOPPED batch_statuses $arns
  started=$((started + batch))
done
expect "loop tasks that ran" "${#seen_addresses[@]}" "$LOOP"

step "nothing is left behind"
await "awsvpc Docker networks" 0 bash -c "docker network ls -q --filter label=io.berth.awsvpc=true | wc -l"
await "network namespaces beyond the $namespaces_before there were before this run" 0 bash -c \
  "n=\$(ls /var/run/docker/netns 2>/dev/null | wc -l); echo \$(( n > $namespaces_before ? n - $namespaces_before : 0 ))"
await "running pause containers of this run" 0 bash -c \
  "docker ps -q --filter label=io.berth.awsvpc.pause=true --filter status=running | wc -l"
echo OK
