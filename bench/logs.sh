#!/usr/bin/env bash
# The CloudWatch Logs benchmark against Berth and against moto's logs API, one after the other on
# this machine, then Berth ÷ moto:
#   - PutLogEvents ingest of 1,000-event batches of 100-byte messages into one stream, durable
#     (Berth answers once the batch is committed to its log store);
#   - GetLogEvents of the last 1,000 events of that stream;
#   - FilterLogEvents of a term (1 event in 1,000 has it) over a group, paged to the end;
#   - the server's heap (after a full GC) before and after the ingest.
#
#   bench/logs.sh [events for Berth, default 10000000] [events for moto, default 100000]
#                 [filter events for Berth, default 1000000] [filter events for moto, default 100000]
#
# moto keeps every event in its Python process and answers one call at a time: it gets smaller
# streams (the second and fourth arguments), which only flatters it. Berth runs from its jar in
# development mode with a fresh data directory, its log store the default SQLite file.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
berth_events="${1:-10000000}"
moto_events="${2:-100000}"
berth_filter_events="${3:-1000000}"
moto_filter_events="${4:-100000}"
concurrency="${CONCURRENCY:-8}"
build_if_needed
jcmd_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}jcmd"

make_work_dir

bench() {
  AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench "$java_cmd" -cp "$bench_cp" io.berth.bench.LogsBench \
    --endpoint "http://127.0.0.1:$1" "${@:2}" 2>&1 >>"$work/$name.json" | sed 's/^/   /'
}

# The used heap of a JVM after a full collection, in MiB.
heap_mib() {
  "$jcmd_cmd" "$1" GC.run >/dev/null
  "$jcmd_cmd" "$1" GC.heap_info | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -1 | awk '{printf "%.1f", $1 / 1024}'
}

run_all() {
  local port="$1" events="$2" filter_events="$3"
  bench "$port" --phase ingest --group /bench/ingest --stream big --events "$events" --concurrency "$concurrency"
  bench "$port" --phase get --group /bench/ingest --stream big --calls 200
  bench "$port" --phase ingest --group /bench/filter --stream s --events "$filter_events" \
    --concurrency "$concurrency" --needle-every 1000 >/dev/null
  bench "$port" --phase filter --group /bench/filter --runs 5
}

machine
start_berth server

echo; echo "== Berth ($berth_events events ingested, filter over $berth_filter_events)"
name=berth
heap_before="$(heap_mib "$berth_pid")"
bench "$berth_port" --phase ingest --group /bench/ingest --stream big --events "$berth_events" \
  --concurrency "$concurrency"
heap_after="$(heap_mib "$berth_pid")"
echo "   heap: ${heap_before} MiB before the ingest, ${heap_after} MiB after it"
bench "$berth_port" --phase get --group /bench/ingest --stream big --calls 200
bench "$berth_port" --phase ingest --group /bench/filter --stream s --events "$berth_filter_events" \
  --concurrency "$concurrency" --needle-every 1000
bench "$berth_port" --phase filter --group /bench/filter --runs 5
echo "   log store on disk: $(du -sh "$berth_data" | cut -f1)"
kill "$berth_pid"

start_moto
echo; echo "== moto ($moto_events events ingested, filter over $moto_filter_events)"
name=moto
bench "$moto_port" --phase ingest --group /bench/ingest --stream big --events "$moto_events" \
  --concurrency "$concurrency"
bench "$moto_port" --phase get --group /bench/ingest --stream big --calls 200
bench "$moto_port" --phase ingest --group /bench/filter --stream s --events "$moto_filter_events" \
  --concurrency "$concurrency" --needle-every 1000
bench "$moto_port" --phase filter --group /bench/filter --runs 5

echo; echo "== Berth ÷ moto (ingest: higher is better for Berth; latency and search time: lower is better)"
python3 - "$work/berth.json" "$work/moto.json" "$heap_before" "$heap_after" <<'PY'
import json, sys
def phases(path):
    found = {}
    for line in open(path):
        line = line.strip()
        if line.startswith("{"):
            record = json.loads(line)
            found.setdefault(record["phase"], record)  # the first ingest is the measured one
            if record["phase"] == "filter":
                found["filter"] = record
    return found
berth, moto = phases(sys.argv[1]), phases(sys.argv[2])
b, m = berth["ingest"], moto["ingest"]
print(f'ingest events/s      Berth {b["eventsPerSecond"]:>10,.0f}  moto {m["eventsPerSecond"]:>10,.0f}  '
      f'{b["eventsPerSecond"] / m["eventsPerSecond"]:8.2f}x')
b, m = berth["get"], moto["get"]
print(f'get last 1,000 p50   Berth {b["p50Millis"]:>8.2f} ms  moto {m["p50Millis"]:>8.2f} ms  '
      f'{b["p50Millis"] / m["p50Millis"]:8.3f}x')
print(f'get last 1,000 p99   Berth {b["p99Millis"]:>8.2f} ms  moto {m["p99Millis"]:>8.2f} ms  '
      f'{b["p99Millis"] / m["p99Millis"]:8.3f}x')
b, m = berth["filter"], moto["filter"]
print(f'filter whole group   Berth {b["medianSeconds"]:>8.3f} s   moto {m["medianSeconds"]:>8.3f} s   '
      f'{b["medianSeconds"] / m["medianSeconds"]:8.3f}x  (found {b["found"]} / {m["found"]})')
print(f'heap growth          Berth {float(sys.argv[4]) - float(sys.argv[3]):.1f} MiB over the ingest '
      f'({sys.argv[3]} -> {sys.argv[4]} MiB)')
PY
