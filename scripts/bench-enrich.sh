#!/usr/bin/env bash
# Enrichment benchmark (protocol of docs/BENCHMARKS.md via scripts/lib/bench-common.sh: server on CPU 0,
# load on CPU 1). Store pre-loaded with 100k customers (Feast view) and 100k accounts (fraud feature set).
#   (a) POST /get-online-features, 1 entity x 3 features (random id per request), vs GET /v2/health/ready
#   (b) fraud graph on POST /: UpdateAggregates + EnrichWithFeatures (10 features) + logistic model, durable
#       (answered after the commit); closed loop (wrk) and open loop (OpenLoop, one account) p50/p99
#   (c) hot keys: every request on 10 keys; the final amount_count_24h sum must equal the 2xx answers
#
# usage: scripts/bench-enrich.sh [--duration S] [--open-rate R] [--skip-build] [--with-feast]
# --with-feast: not implemented yet (prints n/a for Feast's row).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/bench-common.sh
source "$ROOT/scripts/lib/bench-common.sh"

DURATION=10
OPEN_RATE=2000
SKIP_BUILD=0
WITH_FEAST=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --duration) DURATION=${2:?--duration needs seconds}; shift 2 ;;
        --open-rate) OPEN_RATE=${2:?--open-rate needs req/s}; shift 2 ;;
        --skip-build) SKIP_BUILD=1; shift ;;
        --with-feast) WITH_FEAST=1; shift ;;
        -h | --help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) bench_die "unknown option '$1' (see --help)" ;;
    esac
done

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
SERVE=$BIN/serve
OPENLOOP=$BIN/OpenLoop

# --- data: 100k customers, 100k accounts -------------------------------------------------------------
python3 - "$BENCH_TMP" <<'PY'
import random, sys
d = sys.argv[1]
random.seed(7)
with open(f"{d}/customers.csv", "w") as f:
    f.write("customer_id,amount_avg_1d,txn_count_7d,country\n")
    for i in range(1, 100001):
        f.write(f"{i},{random.uniform(1, 500):.2f},{random.randint(0, 50)},{random.choice(['US','DE','FR','IN'])}\n")
with open(f"{d}/accounts.csv", "w") as f:
    f.write("account,amount\n")
    for i in range(100000):
        f.write(f"acct{i},{random.uniform(1, 500):.2f}\n")
PY
cat >"$BENCH_TMP/serve.json" <<JSON
{"feature_sets": ["$ROOT/examples/feast/customer_stats.json", "$ROOT/examples/enrich/transactions.json"],
 "feature_services": [{"name": "customer_stats_v1", "features": ["customer_stats:amount_avg_1d",
   "customer_stats:txn_count_7d", "customer_stats:country"]}],
 "feature_vectors": $(python3 -c "import json;print(json.dumps(json.load(open('$ROOT/examples/enrich/serve.json'))['feature_vectors']))"),
 "graph": $(python3 -c "
import json
g = json.load(open('$ROOT/examples/enrich/serve.json'))['graph']
g['steps']['fraud']['class_args']['model_path'] = '$ROOT/examples/enrich/fraud-model.json'
print(json.dumps(g))")}
JSON
STORE=$BENCH_TMP/bench.db
bench_record "serve ingest examples/feast/customer_stats.json customers.csv --store bench.db"
"$SERVE" ingest "$ROOT/examples/feast/customer_stats.json" "$BENCH_TMP/customers.csv" --store "$STORE" >&2 \
    || bench_die "ingesting customers failed"
bench_record "serve ingest examples/enrich/transactions.json accounts.csv --store bench.db"
"$SERVE" ingest "$ROOT/examples/enrich/transactions.json" "$BENCH_TMP/accounts.csv" --store "$STORE" >&2 \
    || bench_die "ingesting accounts failed"

PORT=$(bench_free_port) || exit 1
bench_record "serve run serve.json --store bench.db --loops 1 --port $PORT --log-level warning"
bench_start_pinned "$BENCH_SERVER_CPU" "$BENCH_TMP/serve.out" \
    "$SERVE" run "$BENCH_TMP/serve.json" --store "$STORE" --loops 1 --port "$PORT" --log-level warning
PID=$BENCH_LAST_PID
bench_wait_for_port "$PORT" "$PID" 30 || bench_die "serve did not start: $(head -c 600 "$BENCH_TMP/serve.out")"
BASE=http://127.0.0.1:$PORT

cat >"$BENCH_TMP/feast.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
math.randomseed(11)
request = function()
  local body = '{"features": ["customer_stats:amount_avg_1d", "customer_stats:txn_count_7d", "customer_stats:country"], "entities": {"customer_id": [' .. math.random(1, 100000) .. ']}}'
  return wrk.format(nil, "/get-online-features", nil, body)
end
LUA
cat >"$BENCH_TMP/fraud.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
math.randomseed(13)
request = function()
  return wrk.format(nil, "/", nil, '{"account": "acct' .. math.random(0, 99999) .. '", "amount": ' .. math.random(1, 500) .. '}')
end
LUA
cat >"$BENCH_TMP/hot.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  return wrk.format(nil, "/", nil, '{"account": "hot' .. math.random(0, 9) .. '", "amount": 1}')
end
LUA
echo '{"account": "acct42", "amount": 10}' >"$BENCH_TMP/fraud-body.json"

bench_measure_closed_loop ready "$PID" "$BASE/v2/health/ready" "$DURATION" 1 || bench_die "wrk ready failed"
bench_measure_closed_loop feast "$PID" "$BASE/get-online-features" "$DURATION" 1 -s "$BENCH_TMP/feast.lua" \
    || bench_die "wrk /get-online-features failed"
bench_measure_closed_loop fraud "$PID" "$BASE/" "$DURATION" 1 -s "$BENCH_TMP/fraud.lua" || bench_die "wrk fraud failed"
bench_measure_open_loop fraud "$PID" "$OPENLOOP" "$BASE/" "$OPEN_RATE" "$DURATION" --method POST \
    --body-file "$BENCH_TMP/fraud-body.json" --header "Content-Type: application/json" \
    || bench_log "OpenLoop on the fraud graph failed"
# (c): a client that waits for every answer (wrk stops with requests in flight, whose commits would count
# without an acknowledgement): 8 threads x 500 requests on 10 keys, counting the 2xx answers.
bench_record "python3 hot-key client: 8 threads x 500 POST / on hot0..hot9"
HOT_OK=$(taskset -c "$BENCH_CLIENT_CPU" python3 - "$PORT" <<'PY'
import http.client, random, sys, threading
port = int(sys.argv[1]); ok = [0] * 8
def worker(i):
    c = http.client.HTTPConnection("127.0.0.1", port)
    for n in range(500):
        body = '{"account": "hot%d", "amount": 1}' % random.randint(0, 9)
        c.request("POST", "/", body, {"Content-Type": "application/json"})
        r = c.getresponse(); r.read()
        if 200 <= r.status < 300: ok[i] += 1
threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
print(sum(ok))
PY
)
HOT_COUNTED=0
for key in $(seq 0 9); do
    count=$(curl -s "$BASE/v2/feature-sets/transactions/entities/hot$key?features=amount_count_24h" \
        | python3 -c "import json,sys; print(int(json.load(sys.stdin)['features']['amount_count_24h'] or 0))")
    HOT_COUNTED=$((HOT_COUNTED + count))
done

row() { printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$(bench_result "$2" rps)" "$(bench_result "$2" cpu_us)" \
    "$(bench_result "$2" wrk_p99_us)" "$(bench_result "$2" p50_us) / $(bench_result "$2" p99_us)" \
    "$(bench_result "$2" wrk_errors)"; }
echo
echo "## Enrichment benchmark: ${DURATION}s runs, 1 loop, 100k customers + 100k accounts pre-loaded"
echo
echo "| run | req/s (wrk -c32) | CPU µs/req | wrk p99 µs | open loop p50 / p99 µs @ ${OPEN_RATE}/s | errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
row "GET /v2/health/ready" ready
row "(a) /get-online-features 1x3" feast
row "(b) fraud graph: update + enrich 10 + logistic" fraud
[[ $WITH_FEAST == 1 ]] && echo "| Feast feature server | n/a (--with-feast not implemented) | | | | |"
echo
echo "(a)/ready = $(bench_ratio "$(bench_result feast rps)" "$(bench_result ready rps)")"
echo "(c) acknowledged (2xx) = $HOT_OK, counted in amount_count_24h over the 10 keys = $HOT_COUNTED"
echo "CPU idle before: see [bench] lines; commands run (server on CPU $BENCH_SERVER_CPU, load on CPU $BENCH_CLIENT_CPU):"
bench_print_commands
[[ $HOT_OK == "$HOT_COUNTED" ]] || { echo "FAIL: hot-key run lost or double-counted updates"; exit 3; }
exit 0
