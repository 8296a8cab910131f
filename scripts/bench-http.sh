#!/usr/bin/env bash
# HTTP benchmark: our `serve run` against nginx serving an empty 200 on the same path, following the
# protocol of docs/BENCHMARKS.md (servers on CPU 0, load on CPU 1, wrk closed loop then OpenLoop at
# half of nginx's req/s). Prints one markdown table, the target checks and the commands it ran.
#
# usage: scripts/bench-http.sh [--duration S] [--path /v2/health/live] [--warmup S] [--rounds N] [--skip-build]
# --rounds N alternates nginx and ours N times per measurement and reports medians (default 1).
# env: BENCH_SERVE=path runs that binary as "ours"; BENCH_KEEP_TMP=1 keeps logs and configs;
# BENCH_RESULTS_FILE=path also writes every measurement as "name.key<TAB>value" lines (scripts/bench.sh).
# exit: 0 all checks pass; 1 setup error; 2 our server unavailable (nginx still measured); 3 a check failed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/bench-common.sh
source "$ROOT/scripts/lib/bench-common.sh"

DURATION=10
URL_PATH=/v2/health/live
WARMUP=1
ROUNDS=1
SKIP_BUILD=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --duration) DURATION=${2:?--duration needs seconds}; shift 2 ;;
        --path) URL_PATH=${2:?--path needs a path}; shift 2 ;;
        --warmup) WARMUP=${2:?--warmup needs seconds}; shift 2 ;;
        --rounds) ROUNDS=${2:?--rounds needs a count}; shift 2 ;;
        --skip-build) SKIP_BUILD=1; shift ;;
        -h | --help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) bench_die "unknown option '$1' (see --help)" ;;
    esac
done
[[ $DURATION =~ ^[0-9]+$ && $DURATION -gt 0 ]] || bench_die "--duration must be a positive whole number of seconds"
[[ $WARMUP =~ ^[0-9]+$ ]] || bench_die "--warmup must be a whole number of seconds"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || bench_die "--rounds must be a positive whole number"
[[ $URL_PATH =~ ^/[A-Za-z0-9/_.~%-]*$ ]] || bench_die "--path must start with / and hold only URL path characters"

bench_init
bench_require_tools
cd "$ROOT" || bench_die "cannot enter $ROOT"

if [[ $SKIP_BUILD == 0 ]]; then
    bench_record "swift build -c release --product serve"
    swift build -c release --product serve >&2 || bench_log "building serve failed; our server will be missing"
    bench_record "swift build -c release --product OpenLoop"
    swift build -c release --product OpenLoop >&2 || bench_die "building OpenLoop failed"
fi
BIN=$(swift build -c release --show-bin-path)
OPENLOOP="$BIN/OpenLoop"
SERVE=${BENCH_SERVE:-$BIN/serve}   # BENCH_SERVE: run another build (or a stand-in) as "ours"
[[ -x $OPENLOOP ]] || bench_die "$OPENLOOP not built (run without --skip-build)"

IDLE_BEFORE=$(bench_idle_percent 1)
[[ $IDLE_BEFORE -ge 80 ]] || bench_log "warning: CPUs only ${IDLE_BEFORE}% idle before the runs; other load will skew the numbers"

# --- servers: both started up front, each idle while the other is measured ----------------------
NGINX_PORT=$(bench_free_port) || exit 1
NGINX_URL="http://127.0.0.1:$NGINX_PORT$URL_PATH"
NGINX_CONF=$(bench_nginx_config "$BENCH_TMP/nginx" "$NGINX_PORT" "$URL_PATH")
bench_start_pinned "$BENCH_SERVER_CPU" "$BENCH_TMP/nginx.out" \
    "$(bench_nginx_binary)" -c "$NGINX_CONF" -p "$BENCH_TMP/nginx" -e "$BENCH_TMP/nginx/error.log"
NGINX_PID=$BENCH_LAST_PID
bench_wait_for_port "$NGINX_PORT" "$NGINX_PID" \
    || bench_die "nginx did not start: $(cat "$BENCH_TMP/nginx.out" "$BENCH_TMP/nginx/error.log" 2>/dev/null)"

OURS_ERROR=""
OURS_UP=0
if [[ ! -x $SERVE ]]; then
    OURS_ERROR="our server is missing: $SERVE was not built"
else
    OURS_PORT=$(bench_free_port) || exit 1
    OURS_URL="http://127.0.0.1:$OURS_PORT$URL_PATH"
    bench_start_pinned "$BENCH_SERVER_CPU" "$BENCH_TMP/serve.out" \
        "$SERVE" run --loops 1 --port "$OURS_PORT" --log-level warning
    OURS_PID=$BENCH_LAST_PID
    if bench_wait_for_port "$OURS_PORT" "$OURS_PID"; then
        OURS_UP=1
    else
        OURS_ERROR="our server did not start listening on port $OURS_PORT ('serve run' is missing or failed);"
        OURS_ERROR+=" its output: $(head -c 400 "$BENCH_TMP/serve.out" | tr '\n' ' ')"
    fi
fi

[[ -n $OURS_ERROR ]] && bench_log "error: $OURS_ERROR (measuring nginx anyway)"

# --- closed loop, rounds alternating nginx and ours --------------------------------------------------
for round in $(seq "$ROUNDS"); do
    bench_measure_closed_loop "nginx.r$round" "$NGINX_PID" "$NGINX_URL" "$DURATION" "$WARMUP" \
        || bench_die "wrk against nginx failed"
    if [[ $OURS_UP == 1 ]] && ! bench_measure_closed_loop "ours.r$round" "$OURS_PID" "$OURS_URL" "$DURATION" "$WARMUP"
    then
        OURS_ERROR="wrk against our server failed"
        OURS_UP=0
    fi
done
bench_median_rounds nginx "$ROUNDS" rps cpu_us wrk_p99_us
bench_median_rounds ours "$ROUNDS" rps cpu_us wrk_p99_us
bench_sum_rounds nginx "$ROUNDS" wrk_errors
bench_sum_rounds ours "$ROUNDS" wrk_errors
OPEN_RATE=$(awk -v r="$(bench_result nginx rps)" 'BEGIN { printf "%d", r / 2 }')
[[ $OPEN_RATE -gt 0 ]] || bench_die "nginx measured no throughput"

# --- open loop at half of nginx's req/s, same rounds ---------------------------------------------------
for round in $(seq "$ROUNDS"); do
    bench_measure_open_loop "nginx.r$round" "$NGINX_PID" "$OPENLOOP" "$NGINX_URL" "$OPEN_RATE" "$DURATION" \
        || bench_die "OpenLoop against nginx failed"
    if [[ $OURS_UP == 1 ]] \
        && ! bench_measure_open_loop "ours.r$round" "$OURS_PID" "$OPENLOOP" "$OURS_URL" "$OPEN_RATE" "$DURATION"
    then
        OURS_ERROR="OpenLoop against our server failed"
        OURS_UP=0
    fi
done
bench_median_rounds nginx "$ROUNDS" p50_us p99_us p999_us
bench_median_rounds ours "$ROUNDS" p50_us p99_us p999_us
bench_sum_rounds nginx "$ROUNDS" errors
bench_sum_rounds ours "$ROUNDS" errors
BENCH_RESULTS[nginx.rss_kib]=$(bench_rss_kib "$NGINX_PID")
BENCH_RESULTS[nginx.open_rate]=$OPEN_RATE
BENCH_RESULTS[ours.open_rate]=$OPEN_RATE
[[ $OURS_UP == 1 ]] && BENCH_RESULTS[ours.rss_kib]=$(bench_rss_kib "$OURS_PID")
[[ -n $OURS_ERROR ]] && bench_log "error: $OURS_ERROR"

# --- report ---------------------------------------------------------------------------------------
row() {
    local name=$1 label=$2
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$(bench_result "$name" rps)" \
        "$(bench_result "$name" cpu_us)" "$(bench_result "$name" p50_us)" "$(bench_result "$name" p99_us)" \
        "$(bench_result "$name" p999_us)" "$(bench_result "$name" rss_kib)" \
        "$(bench_result "$name" wrk_errors) / $(bench_result "$name" errors)"
}
ratio() { bench_ratio "$(bench_result ours "$1")" "$(bench_result nginx "$1")"; }

echo
echo "## HTTP benchmark: GET $URL_PATH, ${DURATION}s runs, open loop at $OPEN_RATE req/s (half of nginx)," \
    "median of $ROUNDS round(s)"
echo
echo "| server | req/s (wrk -c32) | CPU µs/req | p50 µs | p99 µs | p999 µs | RSS KiB | errors wrk / open loop |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
row ours "ours (serve)"
row nginx "nginx (1 worker)"
printf '| ours/nginx | %s | %s | %s | %s | %s | %s | |\n' "$(ratio rps)" "$(ratio cpu_us)" "$(ratio p50_us)" \
    "$(ratio p99_us)" "$(ratio p999_us)" "$(ratio rss_kib)"
echo
echo "CPU idle before the runs: ${IDLE_BEFORE}% (below ~80% other processes share the pinned CPUs)."
echo
limit() { awk -v v="$(bench_result nginx "$1")" -v f="$2" 'BEGIN { if (v == "n/a") print "n/a"; else printf "%.2f", v * f }'; }
STATUS=0
bench_check "req/s >= 80% of nginx" "$(bench_result ours rps)" ">=" "$(limit rps 0.8)" || STATUS=$?
bench_check "CPU/req <= 1.25x nginx" "$(bench_result ours cpu_us)" "<=" "$(limit cpu_us 1.25)" || STATUS=$?
bench_check "open-loop p99 <= 1.5x nginx" "$(bench_result ours p99_us)" "<=" "$(limit p99_us 1.5)" || STATUS=$?
echo
echo "Commands run (server on CPU $BENCH_SERVER_CPU, load on CPU $BENCH_CLIENT_CPU):"
bench_print_commands
if [[ -n $OURS_ERROR ]]; then
    echo
    echo "ERROR: $OURS_ERROR"
    exit 2
fi
[[ $STATUS == 0 ]] || exit 3
exit 0
