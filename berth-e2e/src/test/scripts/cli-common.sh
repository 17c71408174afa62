# Shared by the journey scripts: the aws CLI configured from Berth's credentials, in files of this
# run only, and the small helpers each journey uses. Source it after setting ENDPOINT, CREDENTIALS,
# REGION and CONFIG_DIR (a directory the caller removes).

export AWS_SHARED_CREDENTIALS_FILE="$CREDENTIALS"
export AWS_CONFIG_FILE="$CONFIG_DIR/config"
export AWS_PAGER=""
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE
aws configure set region "$REGION"
aws configure set output json

ecs() {
  aws --endpoint-url "$ENDPOINT" ecs "$@"
}

step() {
  echo "== $*"
}

fail() {
  echo "FAILED: $*" >&2
  exit 1
}

expect() {
  local what="$1" actual="$2" expected="$3"
  if [[ "$actual" != "$expected" ]]; then
    fail "$what is '$actual', expected '$expected'"
  fi
  echo "   ok: $what = $actual"
}

# Polls a command until its output equals the expected text, for at most TIMEOUT seconds (180).
await() {
  local what="$1" expected="$2" deadline=$((SECONDS + ${TIMEOUT:-180})) actual
  shift 2
  while true; do
    actual="$("$@" 2>/dev/null || true)"
    if [[ "$actual" == "$expected" ]]; then
      echo "   ok: $what = $actual"
      return
    fi
    [ "$SECONDS" -lt "$deadline" ] || fail "$what is '$actual', expected '$expected' within ${TIMEOUT:-180}s"
    sleep 1
  done
}

# One field of a task of CLUSTER, as text.
task_field() {
  ecs describe-tasks --cluster "$CLUSTER" --tasks "$1" --query "tasks[0].$2" --output text
}
