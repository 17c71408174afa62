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
