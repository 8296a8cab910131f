#!/usr/bin/env bash
# Feature-store ingestion benchmarks; prints a markdown table and the commands it ran.
#   scripts/bench-ingest.sh [events] [keys]        (defaults 1000000 100000)
# 1. Batch: `serve ingest` of a deterministic CSV (scripts/gen-ingest-events.py) into a new SQLite store,
#    wall time of the whole process (open, one transaction, COMMIT, WAL checkpoint: durable at exit).
# 2. In process: real-time ingest through SQLiteOnlineStore and memory per key (OnlineStoreBench).
# 3. HTTP: POST /v2/feature-sets/transactions/ingest with wrk (Lua POST script, a new key and time per
#    request), server `--loops 1` pinned to CPU 0, wrk pinned to CPU 1, 32 connections, 10 s; 1 event per
#    request and 10 events per request (JSON array). Every 200 is after its commit.
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-1000000}
keys=${2:-100000}
fs=../shared/oracle/cases/inorder-sliding/fs.json
port=${BENCH_PORT:-18181}
swift build -c release --product serve >&2
swift build -c release --product OnlineStoreBench >&2
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
.build/release/serve ingest "$fs" "$tmp/events.csv" --store "$tmp/batch.db" 2> "$tmp/ingest.log"
end=$(date +%s.%N)
batch_rate=$(python3 -c "print(int($events / ($end - $start)))")

echo "\$ OnlineStoreBench $keys 10" >&2
inprocess=$(.build/release/OnlineStoreBench "$keys" 10 2>/dev/null)

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
    echo "\$ ${pin1[*]} wrk -t1 -c32 -d10s -s ingest.lua http://127.0.0.1:$port/v2/feature-sets/transactions/ingest" >&2
    "${pin1[@]}" wrk -t1 -c32 -d10s -s "$tmp/ingest.lua" \
        "http://127.0.0.1:$port/v2/feature-sets/transactions/ingest" > "$tmp/wrk.txt"
    after=$(awk '{print $14 + $15}' "/proc/$server/stat")
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
"
}

echo
echo "## Feature-store ingestion ($events events, $keys keys, $(nproc) cores)"
echo
echo "| measure | value |"
echo "| --- | --- |"
echo "| batch CSV ingest into SQLite (serve ingest, durable at exit) | $batch_rate rows/s |"
echo "$inprocess" | tail -n +3
if command -v wrk >/dev/null; then
    http_run 1
    http_run 10
else
    echo "| HTTP ingest | wrk not installed |"
fi
