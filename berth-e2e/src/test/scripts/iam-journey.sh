#!/usr/bin/env bash
# The IAM walkthrough with the real aws CLI against a running Berth: a role that EC2 hosts assume,
# the container-instance permissions as its inline policy, an instance profile holding it; then a
# user holding only that policy, with an access key that signs ECS calls.
#
# Usage: ENDPOINT=https://127.0.0.1:8773 AWS_CA_BUNDLE=./berth-data/ca.pem CREDENTIALS=./berth-data/credentials iam-journey.sh
# Optional: REGION (us-east-1), SUFFIX (appended to every name, for repeated runs).
set -euo pipefail

: "${ENDPOINT:?ENDPOINT must name the Berth endpoint, e.g. https://127.0.0.1:8773}"
: "${CREDENTIALS:?CREDENTIALS must name the credentials file Berth wrote on first start}"
REGION="${REGION:-us-east-1}"
SUFFIX="${SUFFIX:-}"
ROLE="ecsInstanceRole$SUFFIX"
PROFILE="ecsInstanceProfile$SUFFIX"
AGENT_USER="ecs-agent$SUFFIX"

CONFIG_DIR="$(mktemp -d)"
trap 'rm -rf "$CONFIG_DIR"' EXIT
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli-common.sh"

iam() {
  aws --endpoint-url "$ENDPOINT" iam "$@"
}

cat > "$CONFIG_DIR/ec2-trust.json" <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Service": "ec2.amazonaws.com" },
      "Action": "sts:AssumeRole"
    }
  ]
}
JSON

cat > "$CONFIG_DIR/container-instance.json" <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "ecs:CreateCluster",
        "ecs:DeregisterContainerInstance",
        "ecs:DiscoverPollEndpoint",
        "ecs:Poll",
        "ecs:RegisterContainerInstance",
        "ecs:StartTelemetrySession",
        "ecs:Submit*",
        "ecs:UpdateContainerInstancesState",
        "logs:CreateLogStream",
        "logs:PutLogEvents"
      ],
      "Resource": "*"
    }
  ]
}
JSON

step "create-role $ROLE with an EC2 trust policy"
role_arn="$(iam create-role --role-name "$ROLE" \
  --assume-role-policy-document "file://$CONFIG_DIR/ec2-trust.json" --query 'Role.Arn' --output text)"
expect "role ARN" "$role_arn" "arn:aws:iam::$(iam get-user --query 'User.UserId' --output text):role/$ROLE"
expect "trust principal (the CLI decodes the URL-encoded document)" \
  "$(iam get-role --role-name "$ROLE" --query 'Role.AssumeRolePolicyDocument.Statement[0].Principal.Service' --output text)" \
  "ec2.amazonaws.com"

step "put-role-policy with the container-instance permissions"
iam put-role-policy --role-name "$ROLE" --policy-name ecs-container-instance \
  --policy-document "file://$CONFIG_DIR/container-instance.json"
expect "inline policies" "$(iam list-role-policies --role-name "$ROLE" --query 'PolicyNames' --output text)" \
  "ecs-container-instance"
expect "inline policy actions" \
  "$(iam get-role-policy --role-name "$ROLE" --policy-name ecs-container-instance \
      --query 'length(PolicyDocument.Statement[0].Action)' --output text)" "10"

step "create-instance-profile $PROFILE and add-role-to-instance-profile"
iam create-instance-profile --instance-profile-name "$PROFILE" > /dev/null
iam add-role-to-instance-profile --instance-profile-name "$PROFILE" --role-name "$ROLE"

step "list-instance-profiles"
expect "role of the instance profile" \
  "$(iam list-instance-profiles --query "InstanceProfiles[?InstanceProfileName=='$PROFILE'].Roles[0].RoleName" --output text)" \
  "$ROLE"

step "a user $AGENT_USER holding only the container-instance policy, with an access key"
iam create-user --user-name "$AGENT_USER" > /dev/null
iam put-user-policy --user-name "$AGENT_USER" --policy-name ecs-container-instance \
  --policy-document "file://$CONFIG_DIR/container-instance.json"
read -r key_id secret <<< "$(iam create-access-key --user-name "$AGENT_USER" \
  --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)"
expect "keys of $AGENT_USER" "$(iam list-access-keys --user-name "$AGENT_USER" --query 'AccessKeyMetadata[0].AccessKeyId' --output text)" "$key_id"

step "the user's key signs calls"
expect "the user's identity" \
  "$(AWS_ACCESS_KEY_ID="$key_id" AWS_SECRET_ACCESS_KEY="$secret" aws --endpoint-url "$ENDPOINT" sts get-caller-identity \
      --query Arn --output text)" \
  "$(iam get-user --user-name "$AGENT_USER" --query User.Arn --output text)"

step "the container-instance policy does not let the user run tasks or read clusters"
ecs register-task-definition --family "journey-iam$SUFFIX" \
  --container-definitions '[{"name":"app","image":"berth-test/busybox:latest","memory":16}]' > /dev/null
for call in "run-task --task-definition journey-iam$SUFFIX" "list-clusters"; do
  # shellcheck disable=SC2086
  if out="$(AWS_ACCESS_KEY_ID="$key_id" AWS_SECRET_ACCESS_KEY="$secret" ecs $call 2>&1)"; then
    fail "ecs $call with the container-instance user's key succeeded"
  fi
  [[ "$out" == *"(AccessDeniedException)"*"User: arn:aws:iam::"*":user/$AGENT_USER is not authorized to perform: ecs:"* ]] \
    || fail "unexpected error for ecs $call: $out"
  echo "   ok: $out"
done

step "assume a role that trusts the account, and act as its session"
account="$(aws --endpoint-url "$ENDPOINT" sts get-caller-identity --query Account --output text)"
cat > "$CONFIG_DIR/account-trust.json" <<JSON
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::$account:root"}, "Action": "sts:AssumeRole"}]}
JSON
deploy_arn="$(iam create-role --role-name "deployer$SUFFIX" \
  --assume-role-policy-document "file://$CONFIG_DIR/account-trust.json" --query 'Role.Arn' --output text)"
iam attach-role-policy --role-name "deployer$SUFFIX" --policy-arn arn:aws:iam::aws:policy/AmazonECS_FullAccess
read -r session_key session_secret session_token <<< "$(aws --endpoint-url "$ENDPOINT" sts assume-role \
  --role-arn "$deploy_arn" --role-session-name journey \
  --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)"
expect "the session's identity" \
  "$(AWS_ACCESS_KEY_ID="$session_key" AWS_SECRET_ACCESS_KEY="$session_secret" AWS_SESSION_TOKEN="$session_token" \
      aws --endpoint-url "$ENDPOINT" sts get-caller-identity --query Arn --output text)" \
  "arn:aws:sts::$account:assumed-role/deployer$SUFFIX/journey"
AWS_ACCESS_KEY_ID="$session_key" AWS_SECRET_ACCESS_KEY="$session_secret" AWS_SESSION_TOKEN="$session_token" \
  ecs list-clusters > /dev/null

step "errors are IAM's"
if out="$(iam get-role --role-name "no-such-role$SUFFIX" 2>&1)"; then
  fail "get-role of a missing role succeeded"
fi
[[ "$out" == *"(NoSuchEntity)"*"The role with name no-such-role$SUFFIX cannot be found."* ]] || fail "unexpected error: $out"
echo "   ok: $out"

echo "IAM journey done."
