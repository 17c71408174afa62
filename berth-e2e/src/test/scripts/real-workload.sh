#!/usr/bin/env bash
# A task definition written as people write them for ECS, run with the real aws CLI against a
# running Berth whose cluster has an agent on a Docker Engine (berth all-in-one): an execution role,
# awslogs (create-group, stream prefix), a SecureString from SSM and a key of a JSON secret from
# Secrets Manager, a health check, container memory 256 with reservation 64 and no task size.
# Its first line, with both secret values, is read back with `aws logs get-log-events` and found
# with `filter-log-events`; the task and its container turn HEALTHY. Then a service whose container
# fails its health check has its task stopped for health and replaced.
#
# Usage: ENDPOINT=https://127.0.0.1:8773 AWS_CA_BUNDLE=./berth-data/ca.pem CREDENTIALS=./berth-data/credentials real-workload.sh
# Optional: REGION (us-east-1), CLUSTER (default), NAME (a prefix for what the script creates;
# real-<random>), IMAGE (busybox; an image with busybox in it), TIMEOUT seconds per wait (180).
set -euo pipefail

: "${ENDPOINT:?ENDPOINT must name the Berth endpoint, e.g. https://127.0.0.1:8773}"
: "${CREDENTIALS:?CREDENTIALS must name the credentials file Berth wrote on first start}"
REGION="${REGION:-us-east-1}"
CLUSTER="${CLUSTER:-default}"
NAME="${NAME:-real-$RANDOM$RANDOM}"
IMAGE="${IMAGE:-busybox}"
TIMEOUT="${TIMEOUT:-180}"

CONFIG_DIR="$(mktemp -d)"
trap 'rm -rf "$CONFIG_DIR"' EXIT
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli-common.sh"

logs() {
  aws --endpoint-url "$ENDPOINT" logs "$@"
}


step "an execution role that may read the secrets and write the logs"
role_arn="$(aws --endpoint-url "$ENDPOINT" iam create-role --role-name "$NAME-exec" \
  --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
     "Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}' \
  --query 'Role.Arn' --output text)"
aws --endpoint-url "$ENDPOINT" iam put-role-policy --role-name "$NAME-exec" --policy-name secrets-and-logs \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[
     "ssm:GetParameters","secretsmanager:GetSecretValue","kms:Decrypt",
     "logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}'
echo "   role $role_arn"

step "a SecureString in SSM and a JSON secret in Secrets Manager"
aws --endpoint-url "$ENDPOINT" ssm put-parameter --name "/$NAME/db-password" --type SecureString \
  --value "ssm-value-$NAME" --query 'Version' --output text >/dev/null
secret_arn="$(aws --endpoint-url "$ENDPOINT" secretsmanager create-secret --name "$NAME/api" \
  --secret-string "{\"token\":\"asm-value-$NAME\",\"other\":\"x\"}" --query 'ARN' --output text)"
echo "   secret $secret_arn"

step "a task definition with awslogs, both secrets, a health check and memory 256 / reservation 64"
group="/berth/$NAME"
ecs register-task-definition --family "$NAME" --execution-role-arn "$role_arn" --container-definitions "[{
    \"name\": \"app\", \"image\": \"$IMAGE\", \"essential\": true, \"memory\": 256, \"memoryReservation\": 64,
    \"command\": [\"sh\", \"-c\", \"echo first line password=\$DB_PASSWORD token=\$API_TOKEN; i=0; while true; do i=\$((i+1)); echo tick \$i; sleep 1; done\"],
    \"secrets\": [
      {\"name\": \"DB_PASSWORD\", \"valueFrom\": \"/$NAME/db-password\"},
      {\"name\": \"API_TOKEN\", \"valueFrom\": \"$secret_arn:token::\"}],
    \"healthCheck\": {\"command\": [\"CMD-SHELL\", \"true\"], \"interval\": 5, \"timeout\": 2, \"retries\": 2},
    \"logConfiguration\": {\"logDriver\": \"awslogs\", \"options\": {
      \"awslogs-group\": \"$group\", \"awslogs-region\": \"$REGION\",
      \"awslogs-stream-prefix\": \"web\", \"awslogs-create-group\": \"true\"}}}]" \
  --query 'taskDefinition.[taskDefinitionArn, cpu, memory]' --output text

step "run it"
task_arn="$(ecs run-task --cluster "$CLUSTER" --task-definition "$NAME" --query 'tasks[0].taskArn' --output text)"
task_id="${task_arn##*/}"
echo "   task $task_arn"
await "lastStatus" "RUNNING" task_field "$task_arn" lastStatus
await "task healthStatus" "HEALTHY" task_field "$task_arn" healthStatus
await "container healthStatus" "HEALTHY" task_field "$task_arn" "containers[0].healthStatus"
expect "task memory (none set)" "$(task_field "$task_arn" memory)" "None"

step "its first line in CloudWatch Logs"
stream="web/app/$task_id"
first_line() {
  logs get-log-events --log-group-name "$group" --log-stream-name "$stream" --start-from-head \
    --limit 1 --query 'events[0].message' --output text
}
await "first event" "first line password=ssm-value-$NAME token=asm-value-$NAME" first_line
found="$(logs filter-log-events --log-group-name "$group" --filter-pattern '"first line"' \
  --query 'events[0].logStreamName' --output text)"
expect "filter-log-events finds it in" "$found" "$stream"
ecs stop-task --cluster "$CLUSTER" --task "$task_arn" --query 'task.desiredStatus' --output text >/dev/null
await "stopped task" "STOPPED" task_field "$task_arn" lastStatus

step "a service whose container fails its health check"
ecs register-task-definition --family "$NAME-sick" --container-definitions "[{
    \"name\": \"sick\", \"image\": \"$IMAGE\", \"essential\": true, \"memory\": 32, \"stopTimeout\": 2,
    \"command\": [\"sleep\", \"3600\"],
    \"healthCheck\": {\"command\": [\"CMD-SHELL\", \"exit 1\"], \"interval\": 5, \"timeout\": 2, \"retries\": 1}}]" \
  --query 'taskDefinition.revision' --output text >/dev/null
ecs create-service --cluster "$CLUSTER" --service-name "$NAME-sick" --task-definition "$NAME-sick" \
  --desired-count 1 --query 'service.status' --output text
stopped_for_health() {
  local arns
  arns="$(ecs list-tasks --cluster "$CLUSTER" --service-name "$NAME-sick" --desired-status STOPPED \
    --query 'taskArns' --output text)"
  [ -n "$arns" ] && [ "$arns" != "None" ] || return 0
  # shellcheck disable=SC2086
  ecs describe-tasks --cluster "$CLUSTER" --tasks $arns \
    --query "tasks[?stoppedReason=='Task failed container health checks'] | [0].healthStatus" --output text
}
await "a task stopped for its health check, its health" "UNHEALTHY" stopped_for_health
replacement() {
  ecs list-tasks --cluster "$CLUSTER" --service-name "$NAME-sick" --desired-status RUNNING \
    --query 'length(taskArns)' --output text
}
await "replacement tasks wanted running" "1" replacement
events="$(ecs describe-services --cluster "$CLUSTER" --services "$NAME-sick" --query 'services[0].events[].message' --output text)"
[[ "$events" == *"failed container health checks"* ]] || fail "no service event about the health check: $events"
echo "   ok: the service says a task failed its container health checks"
ecs delete-service --cluster "$CLUSTER" --service "$NAME-sick" --force --query 'service.status' --output text

echo OK
