#!/usr/bin/env bash
# Feature-store ingestion benchmarks; prints a markdown table and the commands it ran.
#   scripts/bench-ingest.sh [--skip-build] [--http-duration S] [--no-inprocess] [events] [keys]
#   (defaults 1000000 100000, 10 s HTTP runs; --no-inprocess skips 2., which needs OnlineStoreBench built)
# env: BENCH_RESULTS_FILE=path also writes the measurements as "name.key<TAB>value" lines (scripts/bench.sh).
# 1. Batch: `serve ingest` of a deterministic CSV (scripts/gen-ingest-events.py) into a new SQLite store,
#    wall time of the whole process (open, one transaction, COMMIT, WAL checkpoint: durable at exit).
# 2. In process: real-time ingest through SQLiteOnlineStore and memory per key (OnlineStoreBench).
# 3. HTTP: POST /v2/feature-sets/transactions/ingest with wrk (Lua POST script, a new key and time per
#    request), server `--loops 1` pinned to CPU 0, wrk pinned to CPU 1, 32 connections, 10 s; 1 event per
#    request and 10 events per request (JSON array). Every 200 is after its commit.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/bench-common.sh
source scripts/lib/bench-common.sh
skip_build=0 http_duration=10 inprocess=1 positional=()
while [ $# -gt 0 ]; do
    case "$1" in
    --skip-build) skip_build=1; shift ;;
    --http-duration) http_duration=${2:?--http-duration needs seconds}; shift 2 ;;
    --no-inprocess) inprocess=0; shift ;;
    -*) echo "usage: $0 [--skip-build] [--http-duration S] [--no-inprocess] [events] [keys]" >&2; exit 2 ;;
    *) positional+=("$1"); shift ;;
    esac
done
events=${positional[0]:-1000000}
keys=${positional[1]:-100000}
fs=../shared/oracle/cases/inorder-sliding/fs.json
port=${BENCH_PORT:-$(bench_free_port)}
if [ "$skip_build" = 0 ]; then
    swift build -c release --product serve >&2
    [ "$inprocess" = 0 ] || swift build -c release --product OnlineStoreBench >&2
fi
results() {  # results NAME KEY VALUE: one line for BENCH_RESULTS_FILE, when set
    [ -z "${BENCH_RESULTS_FILE:-}" ] || printf '%s.%s\t%s\n' "$1" "$2" "$3" >>"$BENCH_RESULTS_FILE"
}
[ -z "${BENCH_RESULTS_FILE:-}" ] || : >"$BENCH_RESULTS_FILE"
tmp=$(mktemp -d)
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
pin0=(); pin1=()
if command -v taskset >/dev/null; then pin0=(taskset -c 0); pin1=(taskset -c 1); fi

echo "\$ python3 scripts/gen-ingest-events.py --n $events --keys $keys --seed 7 > events.csv" >&2
python3 scripts/gen-ingest-events.py --n "$events" --keys "$keys" --seed 7 > "$tmp/events.csv"
echo "\$ serve ingest $fs events.csv --store batch.db" >&2
start=$(date +%s.%N)
/usr/bin/time -f "%U %S %M" -o "$tmp/ingest.time" \
    .build/release/serve ingest "$fs" "$tmp/events.csv" --store "$tmp/batch.db" 2> "$tmp/ingest.log"
end=$(date +%s.%N)
batch_rate=$(python3 -c "print(int($events / ($end - $start)))")
read -r user_s system_s peak_kib < "$tmp/ingest.time"
results ingest_batch rows_per_s "$batch_rate"
results ingest_batch cpu_us "$(python3 -c "print(f'{($user_s + $system_s) * 1e6 / $events:.2f}')")"
results ingest_batch rss_kib "$peak_kib"

inprocess_rows=""
if [ "$inprocess" = 1 ]; then
    echo "\$ OnlineStoreBench $keys 10" >&2
    inprocess_rows=$(.build/release/OnlineStoreBench "$keys" 10 2>/dev/null)
fi

http_run() {  # $1 = events per request
    rm -f "$tmp"/http.db*
    "${pin0[@]}" .build/release/serve run --port "$port" --loops 1 --log-level warning \
        --feature-set "$fs" --store "$tmp/http.db" 2> "$tmp/server.log" &
    server=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null && break; sleep 0.1; done
    cat > "$tmp/ingest.lua" <<LUA
counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
    local parts = {}
    for i = 1, $1 do
        counter = counter + 1
        parts[i] = string.format('{"key":"c%d","timestamp":%d,"amount":%d.5}', counter % $keys,
            1767225600 + math.floor(counter / 100), counter % 500)
    end
    local body = parts[1]
    if $1 > 1 then body = "[" .. table.concat(parts, ",") .. "]" end
    return wrk.format(nil, nil, nil, body)
end
LUA
    local before after
    before=$(awk '{print $14 + $15}' "/proc/$server/stat")
    echo "\$ ${pin1[*]} wrk -t1 -c32 -d${http_duration}s -s ingest.lua http://127.0.0.1:$port/v2/feature-sets/transactions/ingest" >&2
    "${pin1[@]}" wrk -t1 -c32 -d"${http_duration}s" -s "$tmp/ingest.lua" \
        "http://127.0.0.1:$port/v2/feature-sets/transactions/ingest" > "$tmp/wrk.txt"
    after=$(awk '{print $14 + $15}' "/proc/$server/stat")
    local rss_kib
    rss_kib=$(awk '/^VmRSS:/ { print $2 }' "/proc/$server/status")
    kill "$server"; wait "$server" 2>/dev/null || true; server=""
    local rps errors
    rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/wrk.txt")
    errors=$(awk '/Non-2xx/ {print $NF}' "$tmp/wrk.txt")
    local requests
    requests=$(awk '/requests in/ {print $1}' "$tmp/wrk.txt")
    local ticks
    ticks=$(getconf CLK_TCK)
    python3 -c "
rps=float('$rps'); n=$1; req=int('$requests')
cpu_us=($after-$before)/$ticks*1e6/max(1,req*n)
print(f'| HTTP ingest, {n} event(s)/request, 32 connections, --loops 1 | {int(rps*n)} events/s ({int(rps)} req/s, {cpu_us:.1f} server CPU µs/event, non-2xx: ${errors:-0}) |')
print(f'ingest_http$1.rows_per_s\t{int(rps*n)}\ningest_http$1.rps\t{rps}\ningest_http$1.cpu_us\t{cpu_us:.2f}', file=open('$tmp/http.results', 'w'))
"
    [ -z "${BENCH_RESULTS_FILE:-}" ] || cat "$tmp/http.results" >>"$BENCH_RESULTS_FILE"
    results "ingest_http$1" rss_kib "$rss_kib"
    results "ingest_http$1" errors "${errors:-0}"
}

echo
echo "## Feature-store ingestion ($events events, $keys keys, $(nproc) cores)"
echo
echo "| measure | value |"
echo "| --- | --- |"
echo "| batch CSV ingest into SQLite (serve ingest, durable at exit) | $batch_rate rows/s |"
[ -z "$inprocess_rows" ] || echo "$inprocess_rows" | tail -n +3
if command -v wrk >/dev/null; then
    http_run 1
    http_run 10
else
    echo "| HTTP ingest | wrk not installed |"
fi
