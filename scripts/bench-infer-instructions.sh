#!/usr/bin/env bash
# Load-independent cost of one request: user-space instructions the server executes per request,
# counted by valgrind's callgrind over a fixed number of requests (after a warm-up, counters zeroed),
# for GET /v2/health/live (the HTTP floor) and the inference workloads of bench-infer.sh. Requests go
# one at a time on one keep-alive connection (scripts/lib/fixed_requests.py), so every request costs
# one wake-up, one read and one send. Kernel time is not counted (callgrind sees user space only).
#
# usage: scripts/bench-infer-instructions.sh [--requests N] [--skip-build]
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/bench-common.sh
source "$ROOT/scripts/lib/bench-common.sh"

REQUESTS=2000
SKIP_BUILD=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --requests) REQUESTS=${2:?--requests needs a count}; shift 2 ;;
        --skip-build) SKIP_BUILD=1; shift ;;
        -h | --help) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) bench_die "unknown option '$1' (see --help)" ;;
    esac
done
[[ $REQUESTS =~ ^[0-9]+$ && $REQUESTS -gt 0 ]] || bench_die "--requests must be a positive whole number"
{ command -v valgrind && command -v callgrind_control; } >/dev/null || bench_die "valgrind is needed"

bench_init
cd "$ROOT" || bench_die "cannot enter $ROOT"
if [[ $SKIP_BUILD == 0 ]]; then
    swift build -c release --product serve >&2 || bench_die "building serve failed"
fi
SERVE=${BENCH_SERVE:-$(swift build -c release --show-bin-path)/serve}
[[ -x $SERVE ]] || bench_die "serve not built (run without --skip-build)"

python3 "$ROOT/scripts/lib/infer_bodies.py" "$BENCH_TMP" || bench_die "writing request bodies and graph failed"

PORT=$(bench_free_port) || exit 1
OUT="$BENCH_TMP/callgrind.out"
bench_record "valgrind --tool=callgrind --callgrind-out-file=$OUT $SERVE run graph.json --loops 1 --port $PORT"
valgrind --tool=callgrind --callgrind-out-file="$OUT" "$SERVE" run "$BENCH_TMP/graph.json" --loops 1 \
    --port "$PORT" --log-level warning >"$BENCH_TMP/serve.out" 2>&1 &
PID=$!
BENCH_PIDS+=("$PID")
bench_wait_for_port "$PORT" "$PID" 120 || bench_die "serve did not start under valgrind: $(tail -5 "$BENCH_TMP/serve.out")"

# send COUNT NAME METHOD PATH BODY HEADER...: COUNT requests; prints nothing, fails on a non-2xx answer.
send() {
    local count=$1
    shift
    python3 "$ROOT/scripts/lib/fixed_requests.py" "$PORT" "$2" "$3" "$count" "$4" "${@:5}" >/dev/null \
        || bench_die "$1: requests failed"
}

# measure NAME METHOD PATH BODY HEADER...: instructions per request over REQUESTS requests.
measure() {
    send 200 "$@"  # warm-up
    callgrind_control --zero "$PID" >/dev/null 2>&1 || bench_die "callgrind_control --zero failed"
    send "$REQUESTS" "$@"
    callgrind_control --dump="$1" "$PID" >/dev/null 2>&1 || bench_die "callgrind_control --dump failed"
    local dump total
    dump=$(grep -l "^desc: Trigger: dump $1\$" "$OUT".* 2>/dev/null | tail -1)
    [[ -n $dump ]] || bench_die "no callgrind dump for $1"
    total=$(awk '/^(summary|totals):/ { print $2; exit }' "$dump")
    printf '| %s | %s |\n' "$1" "$(awk -v t="$total" -v n="$REQUESTS" 'BEGIN { printf "%d", t / n }')"
}

URL=/v2/models
CT='Content-Type: application/json'
echo
echo "## Server instructions per request (callgrind, $REQUESTS sequential requests on one connection)"
echo
echo "| workload | instructions/req |"
echo "| --- | ---: |"
measure health GET /v2/health/live -
measure json-1x4 POST "$URL/fraud/infer" "$BENCH_TMP/json-1x4.body" "$CT"
measure json-32x4 POST "$URL/fraud/infer" "$BENCH_TMP/json-32x4.body" "$CT"
measure binary-1x4 POST "$URL/fraud/infer" "$BENCH_TMP/binary-1x4.body" "Content-Type: application/octet-stream" \
    "Inference-Header-Content-Length: $(cat "$BENCH_TMP/binary-1x4.hlen")"
measure xgboost-1x4 POST "$URL/xgboost/infer" "$BENCH_TMP/json-1x4.body" "$CT"
echo
echo "Commands run:"
bench_print_commands
