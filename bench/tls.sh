#!/usr/bin/env bash
# What TLS costs: the API benchmark against two Berth servers of the same build side by side on this
# machine, one serving plain HTTP (--http) and one HTTPS with the CA it created (the default), in
# alternating rounds with the same load: DescribeClusters alone, RunTask alone, and the whole mix;
# then HTTPS ÷ HTTP for each.
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
parts=(DescribeClusters RunTask mix)
run_part() {
  local scheme="$1" part="$2" round="$3" endpoint extra=()
  if [ "$scheme" = http ]; then endpoint="$http_endpoint"; else endpoint="$https_endpoint"; extra=(--ca-bundle "$ca_bundle"); fi
  if [ "$part" != mix ]; then extra+=(--operations "$part"); fi
  echo; echo "== round $round: $part over $scheme"
  run "$endpoint" "$work/$scheme-$part-$round.json" "$part-$round" "${extra[@]}"
}
# Which goes first alternates, so that a machine getting busier or quieter weighs on both alike.
for round in $(seq 1 "$rounds"); do
  for part in "${parts[@]}"; do
    if [ $((round % 2)) -eq 1 ]; then run_part http "$part" "$round"; run_part https "$part" "$round"
    else run_part https "$part" "$round"; run_part http "$part" "$round"; fi
  done
done

echo; echo "== HTTPS ÷ HTTP over $rounds rounds (throughput: 1.00 is free; latency: lower is better)"
python3 - "$work" "$rounds" <<'PY'
import json, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def mean(xs):
    return sum(xs) / len(xs)
def load(scheme, part):
    runs = [json.load(open(f"{work}/{scheme}-{part}-{r}.json")) for r in range(1, rounds + 1)]
    if part == "mix":
        return {"perSecond": mean([r["totalPerSecond"] for r in runs]), "p50Millis": None, "p99Millis": None}
    ops = [o for r in runs for o in r["operations"] if o["operation"] == part]
    return {k: mean([o[k] for o in ops]) for k in ("perSecond", "p50Millis", "p99Millis")}
def ratio(a, b):
    return f"{a / b:8.2f}" if a is not None and b else "     n/a"
print(f'{"run":18} {"HTTP req/s":>11} {"HTTPS req/s":>12} {"req/s":>8} {"p50":>8} {"p99":>8}')
for part in ("DescribeClusters", "RunTask", "mix"):
    h, s = load("http", part), load("https", part)
    print(f'{part:18} {h["perSecond"]:11.1f} {s["perSecond"]:12.1f} {ratio(s["perSecond"], h["perSecond"])}'
          f' {ratio(s["p50Millis"], h["p50Millis"])} {ratio(s["p99Millis"], h["p99Millis"])}')
PY
