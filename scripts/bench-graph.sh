#!/usr/bin/env bash
# Serving-graph overhead benchmark. In-process: GraphBench (µs per event through a 5-step flow of
# built-in steps, and through 5 no-op steps: the walk alone). Over HTTP, on the protocol of
# docs/BENCHMARKS.md (release build, servers `--loops 1` on CPU 0, wrk -t1 -c32 on CPU 1, rounds
# alternating the two servers, medians): examples/graphs/preprocess-model.json (Defaults → Compute →
# ToTensor → model, raw fields in) beside a bare router serving the same model (the tensor in), then
# OpenLoop at half the router's req/s for p50/p99. The graph's cost per request is the difference in
# server CPU µs per request; target: under 2 µs.
#
# usage: scripts/bench-graph.sh [--duration S] [--warmup S] [--rounds N] [--skip-build]
# exit: 0 all checks pass; 1 setup error; 3 a check failed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/bench-common.sh
source "$ROOT/scripts/lib/bench-common.sh"

DURATION=10
WARMUP=1
ROUNDS=3
SKIP_BUILD=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --duration) DURATION=${2:?--duration needs seconds}; shift 2 ;;
        --warmup) WARMUP=${2:?--warmup needs seconds}; shift 2 ;;
        --rounds) ROUNDS=${2:?--rounds needs a count}; shift 2 ;;
        --skip-build) SKIP_BUILD=1; shift ;;
        -h | --help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) bench_die "unknown option '$1' (see --help)" ;;
    esac
done
[[ $DURATION =~ ^[0-9]+$ && $DURATION -gt 0 ]] || bench_die "--duration must be a positive whole number of seconds"
[[ $WARMUP =~ ^[0-9]+$ ]] || bench_die "--warmup must be a whole number of seconds"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || bench_die "--rounds must be a positive whole number"

bench_init
bench_require_tools
cd "$ROOT" || bench_die "cannot enter $ROOT"
if [[ $SKIP_BUILD == 0 ]]; then
    for product in serve OpenLoop GraphBench; do
        bench_record "swift build -c release --product $product"
        swift build -c release --product "$product" >&2 || bench_die "building $product failed"
    done
fi
BIN=$(swift build -c release --show-bin-path)
SERVE=${BENCH_SERVE:-$BIN/serve}
OPENLOOP="$BIN/OpenLoop"
[[ -x $SERVE && -x $OPENLOOP && -x $BIN/GraphBench ]] || bench_die "binaries missing (run without --skip-build)"

# --- in-process ------------------------------------------------------------------------------------
bench_record "taskset -c $BENCH_SERVER_CPU $BIN/GraphBench"
INPROCESS=$(taskset -c "$BENCH_SERVER_CPU" "$BIN/GraphBench") || bench_die "GraphBench failed"

# --- request bodies: the graph gets raw fields, the router the tensor the graph computes from them ------
FIELDS='{"amount": 120, "age": 35, "velocity": 3, "distance_km": 12}'
cat >"$BENCH_TMP/router.json" <<JSON
{"kind": "router", "routes": {"fraud": {"class_name": "LogisticRegressionModel",
  "class_args": {"model_path": "$ROOT/examples/graphs/fraud-logreg.json", "input_name": "x", "input_datatype": "FP32"}}}}
JSON
lua() {  # lua FILE BODY: a wrk script POSTing BODY as JSON
    printf 'wrk.method = "POST"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\n' "$2" >"$1"
}
lua "$BENCH_TMP/graph.lua" "$FIELDS"

IDLE_BEFORE=$(bench_idle_percent 1)
[[ $IDLE_BEFORE -ge 80 ]] || bench_log "warning: CPUs only ${IDLE_BEFORE}% idle before the runs"

# --- servers -----------------------------------------------------------------------------------------
start_serve() {  # start_serve NAME GRAPH: sets <NAME>_PID and <NAME>_URL
    local name=$1 graph=$2 port
    port=$(bench_free_port) || exit 1
    bench_start_pinned "$BENCH_SERVER_CPU" "$BENCH_TMP/$name.out" \
        "$SERVE" run "$graph" --loops 1 --port "$port" --log-level warning
    printf -v "${name}_PID" '%s' "$BENCH_LAST_PID"
    printf -v "${name}_URL" '%s' "http://127.0.0.1:$port/v2/models/fraud/infer"
    bench_wait_for_port "$port" "$BENCH_LAST_PID" || bench_die "$name did not start: $(cat "$BENCH_TMP/$name.out")"
}
start_serve GRAPH "$ROOT/examples/graphs/preprocess-model.json"
start_serve ROUTER "$BENCH_TMP/router.json"

# The tensor the graph's preprocessing computes, taken from our own `serve test` of the graph's steps.
TENSOR=$(curl -sf -H 'Content-Type: application/json' -d "$FIELDS" "$GRAPH_URL") || bench_die "the graph request fails"
python3 - "$BENCH_TMP" "$FIELDS" <<'PY' || bench_die "writing the router body failed"
import json, math, sys
d, fields = sys.argv[1], json.loads(sys.argv[2])
z = [(fields["amount"] - 50) / 40, (fields["age"] - 40) / 12, (fields["velocity"] - 2) / 1.5,
     math.log(fields["distance_km"] + 1) - 2]
body = json.dumps({"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": z}]}, separators=(",", ":"))
open(f"{d}/router.body", "w").write(body)
PY
ROUTER_BODY=$(cat "$BENCH_TMP/router.body")
lua "$BENCH_TMP/router.lua" "$ROUTER_BODY"
ROUTER_ANSWER=$(curl -sf -H 'Content-Type: application/json' -d "$ROUTER_BODY" "$ROUTER_URL") \
    || bench_die "the router request fails"
same=$(python3 -c 'import json,sys; a,b=(json.loads(x)["outputs"][0]["data"][0] for x in sys.argv[1:]); print(abs(a-b)<1e-6)' \
    "$TENSOR" "$ROUTER_ANSWER")
[[ $same == True ]] || bench_die "graph and router disagree: $TENSOR vs $ROUTER_ANSWER"

# --- closed loop, rounds alternating ------------------------------------------------------------------
for round in $(seq "$ROUNDS"); do
    bench_measure_closed_loop "router.r$round" "$ROUTER_PID" "$ROUTER_URL" "$DURATION" "$WARMUP" \
        -s "$BENCH_TMP/router.lua" || bench_die "wrk against the router failed"
    bench_measure_closed_loop "graph.r$round" "$GRAPH_PID" "$GRAPH_URL" "$DURATION" "$WARMUP" \
        -s "$BENCH_TMP/graph.lua" || bench_die "wrk against the graph failed"
done
for name in router graph; do
    bench_median_rounds "$name" "$ROUNDS" rps cpu_us wrk_p99_us
    bench_sum_rounds "$name" "$ROUNDS" wrk_errors
done
OPEN_RATE=$(awk -v r="$(bench_result router rps)" 'BEGIN { printf "%d", r / 2 }')
bench_measure_open_loop router "$ROUTER_PID" "$OPENLOOP" "$ROUTER_URL" "$OPEN_RATE" "$DURATION" \
    --method POST --body-file "$BENCH_TMP/router.body" --header 'Content-Type: application/json' \
    || bench_die "OpenLoop against the router failed"
printf '%s' "$FIELDS" >"$BENCH_TMP/graph.body"
bench_measure_open_loop graph "$GRAPH_PID" "$OPENLOOP" "$GRAPH_URL" "$OPEN_RATE" "$DURATION" \
    --method POST --body-file "$BENCH_TMP/graph.body" --header 'Content-Type: application/json' \
    || bench_die "OpenLoop against the graph failed"

# --- report -------------------------------------------------------------------------------------------
row() {
    printf '| %s | %s | %s | %s | %s | %s |\n' "$2" "$(bench_result "$1" rps)" "$(bench_result "$1" cpu_us)" \
        "$(bench_result "$1" p50_us)" "$(bench_result "$1" p99_us)" "$(bench_result "$1" wrk_errors)"
}
ADDED=$(awk -v g="$(bench_result graph cpu_us)" -v r="$(bench_result router cpu_us)" \
    'BEGIN { if (g == "n/a" || r == "n/a") print "n/a"; else printf "%.2f", g - r }')
echo
echo "## Serving-graph overhead"
echo
echo "In-process (GraphBench, pinned to CPU $BENCH_SERVER_CPU):"
echo
echo "$INPROCESS"
echo
echo "HTTP: ${DURATION}s wrk -t1 -c32 runs, median of $ROUNDS alternating rounds; open loop at $OPEN_RATE req/s"
echo
echo "| server | req/s | CPU µs/req | p50 µs | p99 µs | wrk errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
row router "bare router (tensor in)"
row graph "graph (a): Defaults → Compute → ToTensor → model (fields in)"
echo "| graph − router | $(bench_ratio "$(bench_result graph rps)" "$(bench_result router rps)")× req/s | $ADDED µs | | | |"
echo
echo "CPU idle before the runs: ${IDLE_BEFORE}%."
echo
STATUS=0
bench_check "graph adds < 2 µs CPU per request" "$ADDED" "<=" 2 || STATUS=$?
echo
echo "Commands run (servers on CPU $BENCH_SERVER_CPU, load on CPU $BENCH_CLIENT_CPU):"
bench_print_commands
[[ $STATUS == 0 ]] || exit 3
exit 0
