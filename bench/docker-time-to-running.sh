#!/usr/bin/env bash
# Time to RUNNING on this host's Docker Engine: Berth (`berth all-in-one`, fresh data directory, free
# port) runs a one-container busybox task, against a plain `docker run -d` of the same image and
# command, alternating, each run cleaned up before the next. Prints every run, p50/p90, the ratio
# and Berth's overhead per task. Needs a reachable Docker Engine; makes the busybox image from the
# host's static busybox when it is missing. With `awsvpc` as second argument, every run also starts
# the same task in the awsvpc network mode, and the awsvpc ÷ bridge ratio is printed.
#
#   bench/docker-time-to-running.sh [runs, default 20] [awsvpc]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
runs="${1:-20}"
awsvpc=false
if [ "${2:-}" = "awsvpc" ]; then awsvpc=true; fi
image="berth-test/busybox:latest"

if ! docker info >/dev/null 2>&1; then
  echo "No reachable Docker Engine (docker info failed): nothing to measure" >&2
  exit 0
fi
build_if_needed

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if ! docker image inspect "$image" >/dev/null 2>&1; then
  busybox="$(command -v busybox || true)"
  if [ -z "$busybox" ] || ! file -L "$busybox" | grep -q static; then
    echo "No $image and no static busybox to make it from (install busybox-static)" >&2
    exit 1
  fi
  mkdir -p "$work/image/bin"
  cp -L "$busybox" "$work/image/bin/busybox"
  printf 'FROM scratch\nCOPY bin/busybox /bin/busybox\n' >"$work/image/Dockerfile"
  docker build -q -t "$image" "$work/image" >/dev/null
fi

port="$(free_port)"
"$java_cmd" ${BERTH_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -jar "$berth_jar" all-in-one --dev $plain_http_option --port "$port" \
  --host 127.0.0.1 --data-dir "$work/berth-data" >"$work/berth.log" 2>&1 &
server_pid=$!
wait_for_port "$port" Berth || { tail -20 "$work/berth.log" >&2; exit 1; }

machine
echo "docker: $(docker version --format '{{.Server.Version}}' 2>/dev/null), image $image, $runs runs each"
"$java_cmd" -cp "$bench_cp" io.berth.bench.DockerRunBench --endpoint "http://127.0.0.1:$port" --runs "$runs" \
  --image "$image" --awsvpc "$awsvpc" 2>"$work/bench.err" || { cat "$work/bench.err" >&2; tail -30 "$work/berth.log" >&2; exit 1; }
