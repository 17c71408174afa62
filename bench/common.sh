# Shared by the benchmark scripts: the Java command, a fresh build of the benchmark jars, free ports.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Thousands of simulated agents: the JDK HTTP client's 16 KiB read buffers per websocket would
# dominate their memory, and the frames they read are small.
sim_java_opts="-Djdk.httpclient.bufsize=2048 -Djdk.httpclient.websocket.intermediateBufferSize=2048"
bench_cp="$root/berth-bench/target/berth-bench.jar:$root/berth-bench/target/lib/*"
# BERTH_JAR: another build of the server (its lib/ beside it), for before-and-after runs.
berth_jar="${BERTH_JAR:-$root/berth-server/target/berth.jar}"
java_major="$("$java_cmd" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
if [ "${java_major:-0}" -lt 21 ]; then
  echo "Needs a JDK 21 or newer: set JAVA_HOME (found version ${java_major:-none})" >&2
  exit 1
fi

# Builds the server and benchmark jars (package only) when missing or older than the sources.
build_if_needed() {
  local jar="$root/berth-bench/target/berth-bench.jar"
  if [ ! -f "$jar" ] || [ ! -f "$berth_jar" ] \
      || [ -n "$(find "$root" -path '*/src/main/*' -newer "$jar" -print -quit)" ]; then
    echo "Building the server and the benchmarks..." >&2
    (cd "$root" && mvn -q -DskipTests package -pl berth-bench -am) >&2
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Waits until something accepts connections on a loopback port.
wait_for_port() {
  local port="$1" name="$2"
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "$name did not start on port $port" >&2
  return 1
}

machine() {
  echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB memory, $("$java_cmd" -version 2>&1 | head -1)"
}

# Makes $work, a fresh temporary directory; when the script exits, every process in $pids is
# stopped and $work removed.
make_work_dir() {
  work="$(mktemp -d)"
  pids=()
  trap stop_and_clean_up EXIT
}

stop_and_clean_up() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}

# The option that makes the server speak plain HTTP; BERTH_PLAIN_HTTP= (empty) for a BERTH_JAR built
# before TLS, which speaks nothing else.
plain_http_option="${BERTH_PLAIN_HTTP---http}"

# Starts `berth.jar <mode> --dev` (server or all-in-one) in its own process on a free port with a fresh
# data directory under $work, with BERTH_JAVA_OPTS, speaking plain HTTP, or HTTPS when the second
# argument is https; sets berth_port, berth_pid, berth_endpoint and berth_data (whose ca.pem an HTTPS
# server's clients trust), and stops it on exit. The caller calls make_work_dir first.
start_berth() {
  local mode="$1" scheme="${2:-http}"
  local options=()
  if [ "$scheme" = http ] && [ -n "$plain_http_option" ]; then options=("$plain_http_option"); fi
  berth_port="$(free_port)"
  berth_endpoint="$scheme://127.0.0.1:$berth_port"
  berth_data="$work/berth-data-$berth_port"
  "$java_cmd" ${BERTH_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -jar "$berth_jar" "$mode" --dev \
    "${options[@]}" --port "$berth_port" --data-dir "$berth_data" >"$work/berth-$berth_port.log" 2>&1 &
  berth_pid=$!
  pids+=("$berth_pid")
  wait_for_port "$berth_port" Berth || { tail -20 "$work/berth-$berth_port.log" >&2; exit 1; }
}

# Starts moto's server (`python3 -m moto.server`) on a free port; sets moto_port, and stops it on exit.
# The caller calls make_work_dir first.
start_moto() {
  moto_port="$(free_port)"
  python3 -m moto.server -p "$moto_port" >"$work/moto.log" 2>&1 &
  pids+=($!)
  wait_for_port "$moto_port" moto || { tail -20 "$work/moto.log" >&2; exit 1; }
}
