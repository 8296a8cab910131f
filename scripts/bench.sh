#!/usr/bin/env bash
# One benchmark for the whole server: builds release once, then runs the per-area scripts (protocol of
# docs/BENCHMARKS.md: servers --loops 1 on CPU 0, load on CPU 1) with --skip-build and prints ONE
# markdown table: req/s (rows/s for ingest and training set), open-loop p50/p99, server CPU µs per
# request (per row), RSS after the run (peak RSS for batch commands).
#   health             scripts/bench-http.sh      GET /v2/health/live, and nginx's empty 200 as the ceiling
#   infer              scripts/bench-infer.sh     OIP JSON 1x4, 32x4, binary 1x4, XGBoost 1x4
#   enrich, lookup     scripts/bench-enrich.sh    update + enrich 10 + logistic; /get-online-features 1x3
#   ingest             scripts/bench-ingest.sh    batch CSV (serve ingest), HTTP 1 and 10 events/request
#   training set       scripts/bench-offline.sh   serve training-set, 10 features (5 windowed)
# --with-peers installs KServe and Feast (pinned, venvs under .venv-bench/) and adds their rows, measured
# in the same run: KServe serving the same logistic model, Feast's `feast serve` the same 3 features.
#
# usage: scripts/bench.sh [--with-peers] [--duration S] [--events N] [--keys N]
#                         [--rows N] [--entities N] [--history N] [--skip-build]
#   --duration S   seconds of every wrk and OpenLoop run (default 5)
#   --events/--keys       ingest: events in the CSV and HTTP runs, distinct keys (default 1000000 / 100000)
#   --rows/--entities/--history  training set: entity rows, entities, events in the store
#                                (default 100000 / 10000 / 500000)
# exit: 0 every target check passed; 1 a component failed (nothing is printed for it); 3 a target missed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/bench-common.sh
source "$ROOT/scripts/lib/bench-common.sh"

COMMAND_LINE="bash scripts/bench.sh${*:+ $*}"
DURATION=5 EVENTS=1000000 KEYS=100000 ROWS=100000 ENTITIES=10000 HISTORY=500000
WITH_PEERS=0 SKIP_BUILD=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --with-peers) WITH_PEERS=1; shift ;;
        --duration) DURATION=${2:?--duration needs seconds}; shift 2 ;;
        --events) EVENTS=${2:?--events needs a count}; shift 2 ;;
        --keys) KEYS=${2:?--keys needs a count}; shift 2 ;;
        --rows) ROWS=${2:?--rows needs a count}; shift 2 ;;
        --entities) ENTITIES=${2:?--entities needs a count}; shift 2 ;;
        --history) HISTORY=${2:?--history needs a count}; shift 2 ;;
        --skip-build) SKIP_BUILD=1; shift ;;
        -h | --help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) bench_die "unknown option '$1' (see --help)" ;;
    esac
done
for value in "$DURATION" "$EVENTS" "$KEYS" "$ROWS" "$ENTITIES" "$HISTORY"; do
    [[ $value =~ ^[1-9][0-9]*$ ]] || bench_die "'$value': durations and sizes must be positive whole numbers"
done

bench_init
bench_require_tools
cd "$ROOT" || bench_die "cannot enter $ROOT"
if [[ $SKIP_BUILD == 0 ]]; then
    bench_log "building release: serve, then OpenLoop"
    bench_record "swift build -c release --product serve"
    swift build -c release --product serve >&2 || bench_die "building serve failed"
    bench_record "swift build -c release --product OpenLoop"
    swift build -c release --product OpenLoop >&2 || bench_die "building OpenLoop failed"
fi
PEER_FLAGS_INFER=() PEER_FLAGS_ENRICH=()
if [[ $WITH_PEERS == 1 ]]; then
    # Installed up front, so an install failure stops the run before anything is measured.
    bench_venv kserve "kserve==$BENCH_KSERVE_VERSION"
    bench_venv feast "feast==$BENCH_FEAST_VERSION"
    PEER_FLAGS_INFER=(--with-kserve) PEER_FLAGS_ENRICH=(--with-feast)
fi

STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
START_SECONDS=$SECONDS
IDLE_BEFORE=$(bench_idle_percent 1)

# run_area NAME SCRIPT ARGS...: runs one per-area script; its measurements land in $BENCH_TMP/NAME.tsv,
# its report in NAME.out, its log in NAME.err. Exit 0 or 3 (a target missed) is a measurement; anything
# else stops this script with the area's log, so no row is printed without its measurement.
run_area() {
    local name=$1 script=$2 status
    shift 2
    bench_log "running $script $* (log: $name.err)"
    bench_record "bash scripts/$script $*"
    BENCH_RESULTS_FILE="$BENCH_TMP/$name.tsv" bash "$ROOT/scripts/$script" "$@" \
        >"$BENCH_TMP/$name.out" 2>"$BENCH_TMP/$name.err"
    status=$?
    if [[ $status != 0 && $status != 3 ]]; then
        cat "$BENCH_TMP/$name.out" >&2
        tail -30 "$BENCH_TMP/$name.err" >&2
        bench_die "$script failed (exit $status): no table printed"
    fi
    [[ -s "$BENCH_TMP/$name.tsv" ]] || bench_die "$script wrote no measurements"
    local key value
    while IFS=$'\t' read -r key value; do BENCH_RESULTS[$name.$key]=$value; done <"$BENCH_TMP/$name.tsv"
}

run_area http bench-http.sh --skip-build --duration "$DURATION"
run_area infer bench-infer.sh --skip-build --duration "$DURATION" "${PEER_FLAGS_INFER[@]}"
run_area enrich bench-enrich.sh --skip-build --duration "$DURATION" "${PEER_FLAGS_ENRICH[@]}"
run_area ingest bench-ingest.sh --skip-build --http-duration "$DURATION" --no-inprocess "$EVENTS" "$KEYS"
run_area training bench-offline.sh --skip-build --rows "$ROWS" --entities "$ENTITIES" --events "$HISTORY"
ELAPSED=$((SECONDS - START_SECONDS))

# value NAME KEY: a measurement that must exist (a missing one stops the script: no made-up cell).
value() {
    local found=${BENCH_RESULTS[$1.$2]:-}
    [[ -n $found && $found != n/a ]] || bench_die "no '$2' measured for '$1' (see $1's output)"
    echo "$found"
}
# row LABEL NAME [latency]: one table row; with "latency", p50/p99 come from the area's open-loop run.
row() {
    local label=$1 name=$2 rate="–" p50="–" p99="–" rss="–"
    local rps cpu
    rps=$(value "$name" rps) || exit 1
    cpu=$(value "$name" cpu_us) || exit 1
    if [[ ${3:-} == latency ]]; then
        p50=$(value "$name" p50_us) || exit 1
        p99=$(value "$name" p99_us) || exit 1
        rate=$(value "$name" open_rate) || exit 1
    fi
    [[ -n ${BENCH_RESULTS[$name.rss_kib]:-} ]] && rss=${BENCH_RESULTS[$name.rss_kib]}
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$(printf '%.0f' "$rps")" "$p50" "$p99" "$rate" \
        "$cpu" "$rss"
}
# rows_row LABEL NAME: a rows/s row (batch or HTTP ingest, training set).
rows_row() {
    local rows cpu rss
    rows=$(value "$2" rows_per_s) || exit 1
    cpu=$(value "$2" cpu_us) || exit 1
    rss=$(value "$2" rss_kib) || exit 1
    printf '| %s | %s rows/s | – | – | – | %s | %s |\n' "$1" "$(printf '%.0f' "$rows")" "$cpu" "$rss"
}

TABLE=$(
    echo "| workload | req/s (wrk -c32) | p50 µs | p99 µs | open loop req/s | CPU µs/req | RSS KiB |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    row "nginx static 200 (ceiling), GET /v2/health/live" http.nginx latency
    row "health: GET /v2/health/live" http.ours latency
    row "infer JSON 1x4: POST /v2/models/fraud/infer" infer.json-1x4 latency
    row "infer binary 1x4 (binary tensor extension)" infer.binary-1x4 latency
    row "infer JSON 32x4" infer.json-32x4
    row "infer XGBoost 1x4 (12 trees)" infer.xgboost-1x4
    [[ $WITH_PEERS == 1 ]] && row "KServe $(value infer kserve.version) infer JSON 1x4 (same model)" infer.kserve latency
    row "enrich + update + infer: POST / (fraud graph, durable)" enrich.fraud latency
    row "get-online-features 1 entity x 3 features" enrich.lookup latency
    [[ $WITH_PEERS == 1 ]] && row "Feast $(value enrich feast.version) feast serve, same 3 features (SQLite)" enrich.feast latency
    rows_row "ingest: serve ingest CSV, $EVENTS events / $KEYS keys (batch, durable)" ingest.ingest_batch
    rows_row "ingest: HTTP, 1 event/request" ingest.ingest_http1
    rows_row "ingest: HTTP, 10 events/request" ingest.ingest_http10
    rows_row "training set: $ROWS rows x 10 features, $HISTORY events / $ENTITIES entities" training.training_set
) || exit 1

echo "## Benchmark: \`$COMMAND_LINE\`"
echo
echo "$STARTED, $(nproc) cores, CPU idle before the runs ${IDLE_BEFORE}% (below ~80% other work shares the" \
    "pinned CPUs: compare CPU µs/req and same-run ratios, not absolute req/s). ${DURATION} s wrk -t1 -c32 and" \
    "OpenLoop runs (32 connections); servers --loops 1 on CPU $BENCH_SERVER_CPU, load on CPU $BENCH_CLIENT_CPU." \
    "p50/p99: open loop at the rate shown (half of nginx's req/s for health and infer; lookup at half of" \
    "Feast's req/s capped at 2000 with peers; enrich at 2000/s). CPU µs/req: server utime+stime per request" \
    "(per row for rows/s). RSS: after the run (peak for batch commands). Measured in ${ELAPSED} s."
echo
echo "$TABLE"
echo
LOOKUP=$(value enrich lookup.rps) FRAUD=$(value enrich fraud.rps) READY=$(value enrich ready.rps)
echo "Ratios in the same run: get-online-features / ready = $(bench_ratio "$LOOKUP" "$READY");" \
    "infer JSON 1x4 / nginx (bench-infer.sh's own nginx run) = $(bench_ratio "$(value infer json-1x4.rps)" "$(value infer nginx.rps)")"
if [[ $WITH_PEERS == 1 ]]; then
    echo "Peers: ours / KServe req/s = $(bench_ratio "$(value infer json-1x4.rps)" "$(value infer kserve.rps)")," \
        "CPU µs/req KServe / ours = $(bench_ratio "$(value infer kserve.cpu_us)" "$(value infer json-1x4.cpu_us)");" \
        "lookup / Feast req/s = $(bench_ratio "$LOOKUP" "$(value enrich feast.rps)")," \
        "CPU µs/req Feast / ours = $(bench_ratio "$(value enrich feast.cpu_us)" "$(value enrich lookup.cpu_us)");" \
        "enrich + update + infer / Feast lookup = $(bench_ratio "$FRAUD" "$(value enrich feast.rps)")"
fi
echo "Hot keys: $(value enrich hot.acknowledged) acknowledged updates, $(value enrich hot.counted) counted."
echo
echo "Target checks (from the per-area scripts):"
echo
CHECKS=$(grep -hE '^(PASS|FAIL|SKIP) ' "$BENCH_TMP"/{http,infer,enrich}.out)
while IFS= read -r line; do echo "    $line"; done <<<"$CHECKS"
echo
echo "Scripts run (each prints its own table and exact commands; BENCH_KEEP_TMP=1 keeps their output):"
bench_print_commands
if grep -qE '^(FAIL|SKIP) ' <<<"$CHECKS"; then exit 3; fi
exit 0
