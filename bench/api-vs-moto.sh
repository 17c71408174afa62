#!/usr/bin/env bash
# The API benchmark against Berth and against moto's ECS server, one after the other on this
# machine with the same load, then Berth ÷ moto for every operation.
#
#   bench/api-vs-moto.sh [seconds per run, default 10] [calls in flight, default 16]
#
# Berth runs from its jar in development mode (any credentials) with a fresh data directory; moto
# runs as `python3 -m moto.server`. moto checks that a registered container instance is a real EC2
# instance, so the script creates four in moto first and both runs register those IDs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
seconds="${1:-10}"
concurrency="${2:-16}"
build_if_needed

make_work_dir
start_berth server
start_moto

instance_ids="$(python3 - "$moto_port" <<'PY'
import sys, boto3
ec2 = boto3.client("ec2", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1",
                   aws_access_key_id="bench", aws_secret_access_key="bench")
reply = ec2.run_instances(ImageId="ami-12c6146b", MinCount=4, MaxCount=4, InstanceType="m5.large")
print(",".join(i["InstanceId"] for i in reply["Instances"]))
PY
)"

machine
run() {
  AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench "$java_cmd" -cp "$bench_cp" io.berth.bench.ApiBench \
    --endpoint "http://127.0.0.1:$1" --region us-east-1 --seconds "$seconds" --warmup 2 \
    --concurrency "$concurrency" --instance-ids "$instance_ids" --json "$2" 2>/dev/null
}
echo; echo "== Berth"; run "$berth_port" "$work/berth.json"
echo; echo "== moto"; run "$moto_port" "$work/moto.json"

echo; echo "== Berth ÷ moto (throughput: higher is better for Berth; latency: lower is better for Berth)"
python3 - "$work/berth.json" "$work/moto.json" <<'PY'
import json, sys
berth, moto = (json.load(open(p)) for p in sys.argv[1:3])
by_name = {o["operation"]: o for o in moto["operations"]}
print(f'{"operation":24} {"req/s":>9} {"p50":>9} {"p99":>9}')
def ratio(a, b):
    return f'{a / b:8.2f}x' if b else '      n/a'
for o in berth["operations"]:
    m = by_name[o["operation"]]
    print(f'{o["operation"]:24} {ratio(o["perSecond"], m["perSecond"])} {ratio(o["p50Millis"], m["p50Millis"])} {ratio(o["p99Millis"], m["p99Millis"])}')
print(f'{"total":24} {ratio(berth["totalPerSecond"], moto["totalPerSecond"])}')
PY
