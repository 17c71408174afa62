#!/usr/bin/env bash
# What TLS costs: the API benchmark against two Berth servers of the same build side by side on this
# machine, one serving plain HTTP (--http) and one HTTPS with the CA it created (the default), in
# alternating rounds with the same load; then HTTPS ÷ HTTP for DescribeClusters, RunTask and the mix.
#
#   bench/tls.sh [seconds per run, default 10] [calls in flight, default 16] [rounds, default 4]
#
# Both run from the jar in development mode (any credentials) with fresh data directories. The
# clients keep their connections open, as SDKs do, so a handshake is paid once per connection.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
seconds="${1:-10}"
concurrency="${2:-16}"
rounds="${3:-4}"
build_if_needed

make_work_dir
start_berth server http
http_endpoint="$berth_endpoint"
start_berth server https
https_endpoint="$berth_endpoint"
ca_bundle="$berth_data/ca.pem"

machine
run() {
  AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench "$java_cmd" -cp "$bench_cp" io.berth.bench.ApiBench \
    --endpoint "$1" --region us-east-1 --seconds "$seconds" --warmup 2 --concurrency "$concurrency" \
    --cluster "bench-tls-$3" --json "$2" "${@:4}" 2>/dev/null
}
run_http() { echo; echo "== round $1: HTTP"; run "$http_endpoint" "$work/http-$1.json" "$1"; }
run_https() { echo; echo "== round $1: HTTPS"; run "$https_endpoint" "$work/https-$1.json" "$1" --ca-bundle "$ca_bundle"; }
# Which goes first alternates, so that a machine getting busier or quieter weighs on both alike.
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then run_http "$round"; run_https "$round"; else run_https "$round"; run_http "$round"; fi
done

echo; echo "== HTTPS ÷ HTTP over $rounds rounds (throughput: 1.00 is free; latency: lower is better)"
python3 - "$work" "$rounds" <<'PY'
import json, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def load(scheme):
    runs = [json.load(open(f"{work}/{scheme}-{r}.json")) for r in range(1, rounds + 1)]
    ops = {}
    for run in runs:
        for o in run["operations"]:
            ops.setdefault(o["operation"], []).append(o)
    mean = lambda xs: sum(xs) / len(xs)
    table = {name: {k: mean([o[k] for o in os]) for k in ("perSecond", "p50Millis", "p99Millis")}
             for name, os in ops.items()}
    table["total"] = {"perSecond": mean([r["totalPerSecond"] for r in runs]), "p50Millis": 0, "p99Millis": 0}
    return table
http, https = load("http"), load("https")
ratio = lambda a, b: f"{a / b:8.2f}" if b else "     n/a"
print(f'{"operation":24} {"HTTP req/s":>11} {"HTTPS req/s":>12} {"req/s":>8} {"p50":>8} {"p99":>8}')
for name in list(http):
    h, s = http[name], https[name]
    print(f'{name:24} {h["perSecond"]:11.1f} {s["perSecond"]:12.1f} {ratio(s["perSecond"], h["perSecond"])}'
          f' {ratio(s["p50Millis"], h["p50Millis"])} {ratio(s["p99Millis"], h["p99Millis"])}')
PY
