#!/usr/bin/env bash
# Inference benchmark: `serve run` serving the fraud logistic regression and an XGBoost model,
# against nginx's static 200 (the HTTP ceiling) and, with --with-kserve, KServe 0.21's model server
# (venv .venv-bench/kserve) serving the same logistic regression. Protocol of docs/BENCHMARKS.md:
# release build, servers `--loops 1` on CPU 0, wrk -t1 -c32 on CPU 1 (closed loop: req/s and server
# CPU µs/request from /proc), then OpenLoop at half of nginx's req/s for p50/p99 (json-1x4 and
# binary-1x4; KServe at half of its own req/s).
#
# Workloads (POST /v2/models/<m>/infer): json-1x4 (OIP JSON, 1 row), json-32x4 (32 rows),
# binary-1x4 (binary tensor extension), xgboost-1x4 (12-tree XGBoost, OIP JSON).
#
# usage: scripts/bench-infer.sh [--duration S] [--warmup S] [--with-kserve] [--skip-build]
# exit: 0 all checks pass; 1 setup error; 3 a check failed.
# env: BENCH_RESULTS_FILE=path also writes every measurement as "name.key<TAB>value" lines (scripts/bench.sh).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/bench-common.sh
source "$ROOT/scripts/lib/bench-common.sh"

DURATION=10
WARMUP=1
WITH_KSERVE=0
SKIP_BUILD=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --duration) DURATION=${2:?--duration needs seconds}; shift 2 ;;
        --warmup) WARMUP=${2:?--warmup needs seconds}; shift 2 ;;
        --with-kserve) WITH_KSERVE=1; shift ;;
        --skip-build) SKIP_BUILD=1; shift ;;
        -h | --help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) bench_die "unknown option '$1' (see --help)" ;;
    esac
done
[[ $DURATION =~ ^[0-9]+$ && $DURATION -gt 0 ]] || bench_die "--duration must be a positive whole number of seconds"

bench_init
bench_require_tools
cd "$ROOT" || bench_die "cannot enter $ROOT"
if [[ $SKIP_BUILD == 0 ]]; then
    bench_record "swift build -c release --product serve"
    swift build -c release --product serve >&2 || bench_die "building serve failed"
    bench_record "swift build -c release --product OpenLoop"
    swift build -c release --product OpenLoop >&2 || bench_die "building OpenLoop failed"
fi
BIN=$(swift build -c release --show-bin-path)
OPENLOOP="$BIN/OpenLoop"
SERVE=${BENCH_SERVE:-$BIN/serve}
[[ -x $SERVE && -x $OPENLOOP ]] || bench_die "serve or OpenLoop not built (run without --skip-build)"

# --- request bodies and wrk scripts ---------------------------------------------------------------
python3 "$ROOT/scripts/lib/infer_bodies.py" "$BENCH_TMP" --wrk || bench_die "writing request bodies and graph failed"

IDLE_BEFORE=$(bench_idle_percent 1)
[[ $IDLE_BEFORE -ge 80 ]] || bench_log "warning: CPUs only ${IDLE_BEFORE}% idle before the runs"

# --- servers ----------------------------------------------------------------------------------------
NGINX_PORT=$(bench_free_port) || exit 1
NGINX_URL="http://127.0.0.1:$NGINX_PORT/v2/health/live"
NGINX_CONF=$(bench_nginx_config "$BENCH_TMP/nginx" "$NGINX_PORT" /v2/health/live)
bench_start_pinned "$BENCH_SERVER_CPU" "$BENCH_TMP/nginx.out" \
    "$(bench_nginx_binary)" -c "$NGINX_CONF" -p "$BENCH_TMP/nginx" -e "$BENCH_TMP/nginx/error.log"
NGINX_PID=$BENCH_LAST_PID
bench_wait_for_port "$NGINX_PORT" "$NGINX_PID" || bench_die "nginx did not start"

OURS_PORT=$(bench_free_port) || exit 1
bench_start_pinned "$BENCH_SERVER_CPU" "$BENCH_TMP/serve.out" \
    "$SERVE" run "$BENCH_TMP/graph.json" --loops 1 --port "$OURS_PORT" --log-level warning
OURS_PID=$BENCH_LAST_PID
bench_wait_for_port "$OURS_PORT" "$OURS_PID" || bench_die "serve did not start: $(cat "$BENCH_TMP/serve.out")"
OURS="http://127.0.0.1:$OURS_PORT/v2/models"

KSERVE_PID=""
if [[ $WITH_KSERVE == 1 ]]; then
    bench_venv kserve "kserve==$BENCH_KSERVE_VERSION"
    VENV=$BENCH_VENV_DIR
    KSERVE_VERSION=$(bench_pip_version "$VENV" kserve)
    BENCH_RESULTS[kserve.version]=$KSERVE_VERSION
    KSERVE_PORT=$(bench_free_port) || exit 1
    bench_start_pinned "$BENCH_SERVER_CPU" "$BENCH_TMP/kserve.out" "$VENV/bin/python" \
        "$ROOT/scripts/lib/kserve_fraud.py" --http_port "$KSERVE_PORT" --grpc_port "$(bench_free_port)" \
        --workers 1 --model_file "$ROOT/examples/interop/fraud-logreg.json"
    KSERVE_PID=$BENCH_LAST_PID
    bench_wait_for_port "$KSERVE_PORT" "$KSERVE_PID" 60 || bench_die "kserve did not start: $(tail -20 "$BENCH_TMP/kserve.out")"
fi

# --- closed loop ------------------------------------------------------------------------------------
bench_measure_closed_loop nginx "$NGINX_PID" "$NGINX_URL" "$DURATION" "$WARMUP" || bench_die "wrk against nginx failed"
declare -A URLS=([json-1x4]="$OURS/fraud/infer" [json-32x4]="$OURS/fraud/infer" [binary-1x4]="$OURS/fraud/infer"
    [xgboost-1x4]="$OURS/xgboost/infer")
WORKLOADS=(json-1x4 json-32x4 binary-1x4 xgboost-1x4)
for w in "${WORKLOADS[@]}"; do
    extra=()
    [[ $w == binary-* ]] && extra=(-H "Inference-Header-Content-Length: $(cat "$BENCH_TMP/$w.hlen")")
    curl -sf -o "$BENCH_TMP/$w.check" -X POST --data-binary "@$BENCH_TMP/$w.body" "${extra[@]}" "${URLS[$w]}" \
        || bench_die "$w: the request fails against our server"
    bench_measure_closed_loop "$w" "$OURS_PID" "${URLS[$w]}" "$DURATION" "$WARMUP" -s "$BENCH_TMP/$w.lua" \
        || bench_die "wrk $w failed"
done
if [[ -n $KSERVE_PID ]]; then
    KSERVE_URL="http://127.0.0.1:$KSERVE_PORT/v2/models/fraud/infer"
    curl -sf -o "$BENCH_TMP/kserve.check" -H 'Content-Type: application/json' --data-binary "@$BENCH_TMP/json-1x4.body" \
        "$KSERVE_URL" || bench_die "the request fails against kserve: $(tail -5 "$BENCH_TMP/kserve.out")"
    bench_measure_closed_loop kserve "$KSERVE_PID" "$KSERVE_URL" "$DURATION" "$WARMUP" -s "$BENCH_TMP/json-1x4.lua" \
        || bench_die "wrk against kserve failed"
fi

# --- open loop at half of nginx's req/s -------------------------------------------------------------
OPEN_RATE=$(awk -v r="$(bench_result nginx rps)" 'BEGIN { printf "%d", r / 2 }')
bench_measure_open_loop nginx "$NGINX_PID" "$OPENLOOP" "$NGINX_URL" "$OPEN_RATE" "$DURATION" || bench_die "OpenLoop nginx"
bench_measure_open_loop json-1x4 "$OURS_PID" "$OPENLOOP" "${URLS[json-1x4]}" "$OPEN_RATE" "$DURATION" \
    --method POST --body-file "$BENCH_TMP/json-1x4.body" --header 'Content-Type: application/json' \
    || bench_die "OpenLoop json-1x4 failed"
bench_measure_open_loop binary-1x4 "$OURS_PID" "$OPENLOOP" "${URLS[binary-1x4]}" "$OPEN_RATE" "$DURATION" \
    --method POST --body-file "$BENCH_TMP/binary-1x4.body" --header 'Content-Type: application/octet-stream' \
    --header "Inference-Header-Content-Length: $(cat "$BENCH_TMP/binary-1x4.hlen")" \
    || bench_die "OpenLoop binary-1x4 failed"
for name in nginx json-1x4 binary-1x4; do BENCH_RESULTS[$name.open_rate]=$OPEN_RATE; done
if [[ -n $KSERVE_PID ]]; then
    # KServe cannot take half of nginx's rate: its open loop runs at half of its own closed-loop req/s.
    KSERVE_RATE=$(awk -v r="$(bench_result kserve rps)" 'BEGIN { printf "%d", r / 2 }')
    [[ $KSERVE_RATE -gt 0 ]] || bench_die "kserve measured no throughput"
    bench_measure_open_loop kserve "$KSERVE_PID" "$OPENLOOP" "$KSERVE_URL" "$KSERVE_RATE" "$DURATION" \
        --method POST --body-file "$BENCH_TMP/json-1x4.body" --header 'Content-Type: application/json' \
        || bench_die "OpenLoop against kserve failed"
    BENCH_RESULTS[kserve.open_rate]=$KSERVE_RATE
fi

# --- report -------------------------------------------------------------------------------------------
row() {
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$2" "$(bench_result "$1" rps)" "$(bench_result "$1" cpu_us)" \
        "$(bench_ratio "$(bench_result "$1" rps)" "$(bench_result nginx rps)")" "$(bench_result "$1" p50_us)" \
        "$(bench_result "$1" p99_us)" "$(bench_result "$1" wrk_errors)"
}
echo
echo "## Inference benchmark: ${DURATION}s wrk -t1 -c32 runs; open loop at $OPEN_RATE req/s (half of nginx)"
echo
echo "| server / workload | req/s | CPU µs/req | req/s vs nginx | p50 µs | p99 µs | wrk errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
row nginx "nginx static 200 (GET)"
for w in "${WORKLOADS[@]}"; do row "$w" "ours $w"; done
[[ -n $KSERVE_PID ]] && row kserve "KServe $KSERVE_VERSION json-1x4 (open loop at $KSERVE_RATE req/s)"
echo
echo "CPU idle before the runs: ${IDLE_BEFORE}%."
echo
limit() { awk -v v="$(bench_result "$1" "$2")" -v f="$3" 'BEGIN { if (v == "n/a") print "n/a"; else printf "%.2f", v * f }'; }
STATUS=0
bench_check "json-1x4 req/s >= 70% of nginx" "$(bench_result json-1x4 rps)" ">=" "$(limit nginx rps 0.7)" || STATUS=$?
bench_check "json-1x4 open-loop p99 <= 1.5x nginx" "$(bench_result json-1x4 p99_us)" "<=" "$(limit nginx p99_us 1.5)" || STATUS=$?
if [[ -n $KSERVE_PID ]]; then
    bench_check "json-1x4 req/s >= 40x KServe" "$(bench_result json-1x4 rps)" ">=" "$(limit kserve rps 40)" || STATUS=$?
fi
echo
echo "Commands run (servers on CPU $BENCH_SERVER_CPU, load on CPU $BENCH_CLIENT_CPU):"
bench_print_commands
[[ $STATUS == 0 ]] || exit 3
exit 0
