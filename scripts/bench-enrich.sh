#!/usr/bin/env bash
# Enrichment benchmark (protocol of docs/BENCHMARKS.md via scripts/lib/bench-common.sh: server on CPU 0,
# load on CPU 1). Store pre-loaded with 100k customers (Feast view) and 100k accounts (fraud feature set).
#   (a) POST /get-online-features, 1 entity x 3 features (random id per request), vs GET /v2/health/ready;
#       open loop (one customer) at the rate of --open-rate, or with --with-feast at Feast's (below)
#   (b) fraud graph on POST /: UpdateAggregates + EnrichWithFeatures (10 features) + logistic model, durable
#       (answered after the commit); closed loop (wrk) and open loop (OpenLoop, one account) p50/p99
#   (c) hot keys: every request on 10 keys; the final amount_count_24h sum must equal the 2xx answers
# --with-feast: installs Feast (pinned, venv .venv-bench/feast), materializes the same 100k customers into
#   its SQLite online store and runs `feast serve` (1 worker, CPU 0) beside ours; the same wrk script, then
#   OpenLoop on both at half of Feast's closed-loop req/s (capped at --open-rate). Checks the targets:
#   (a) >= 30x Feast and >= 60% of /v2/health/ready, (b) >= 25x Feast, open-loop p99 < 2 ms, (c).
#
# usage: scripts/bench-enrich.sh [--duration S] [--open-rate R] [--skip-build] [--with-feast]
# exit: 0 all checks pass; 1 setup error; 3 a check failed.
# env: BENCH_RESULTS_FILE=path also writes every measurement as "name.key<TAB>value" lines (scripts/bench.sh).
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
        -h | --help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
SERVE=${BENCH_SERVE:-$BIN/serve}
OPENLOOP=$BIN/OpenLoop
[[ -x $SERVE && -x $OPENLOOP ]] || bench_die "serve or OpenLoop not built (run without --skip-build)"

# --- data: 100k customers, 100k accounts -------------------------------------------------------------
python3 - "$BENCH_TMP" <<'PY' || bench_die "writing the data failed"
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

FEAST_PID=""
if [[ $WITH_FEAST == 1 ]]; then
    bench_venv feast "feast==$BENCH_FEAST_VERSION"
    FEAST_VENV=$BENCH_VENV_DIR
    FEAST_VERSION=$(bench_pip_version "$FEAST_VENV" feast)
    BENCH_RESULTS[feast.version]=$FEAST_VERSION
    bench_record "python scripts/lib/feast_customers.py --repo feast-repo --csv customers.csv  # feast $FEAST_VERSION"
    "$FEAST_VENV/bin/python" "$ROOT/scripts/lib/feast_customers.py" --repo "$BENCH_TMP/feast-repo" \
        --csv "$BENCH_TMP/customers.csv" >"$BENCH_TMP/feast-repo.out" 2>&1 \
        || bench_die "preparing the Feast repo failed: $(tail -20 "$BENCH_TMP/feast-repo.out")"
    bench_log "feast: $(tail -1 "$BENCH_TMP/feast-repo.out")"
    FEAST_PORT=$(bench_free_port) || exit 1
    bench_feast_start "$FEAST_VENV" "$BENCH_TMP/feast-repo" "$FEAST_PORT" "$BENCH_TMP/feast.out"
    FEAST_PID=$BENCH_LAST_PID
    bench_wait_for_port "$FEAST_PORT" "$FEAST_PID" 180 || bench_die "feast serve did not start: $(tail -20 "$BENCH_TMP/feast.out")"
    FEAST_BASE=http://127.0.0.1:$FEAST_PORT
fi

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
echo '{"features": ["customer_stats:amount_avg_1d", "customer_stats:txn_count_7d", "customer_stats:country"],
 "entities": {"customer_id": [42]}}' >"$BENCH_TMP/lookup-body.json"

# Both servers must answer the lookup with customer 42's row of the CSV before anything is measured.
EXPECTED=$(awk -F, '$1 == 42 { print $2 "," $3 "," $4 }' "$BENCH_TMP/customers.csv")
lookup_row() {  # lookup_row URL: customer 42's amount_avg_1d,txn_count_7d,country as the server answers them
    curl -sf -H 'Content-Type: application/json' --data-binary "@$BENCH_TMP/lookup-body.json" "$1" | python3 -c '
import json, sys
d = json.load(sys.stdin)
v = {n: r["values"][0] for n, r in zip(d["metadata"]["feature_names"], d["results"])}
print("%.2f,%d,%s" % (v["amount_avg_1d"], v["txn_count_7d"], v["country"]))'
}
GOT=$(lookup_row "$BASE/get-online-features") || bench_die "/get-online-features fails against our server"
[[ $GOT == "$EXPECTED" ]] || bench_die "our /get-online-features answered '$GOT' for customer 42, expected '$EXPECTED'"
if [[ -n $FEAST_PID ]]; then
    GOT=$(lookup_row "$FEAST_BASE/get-online-features") \
        || bench_die "/get-online-features fails against feast serve: $(tail -5 "$BENCH_TMP/feast.out")"
    [[ $GOT == "$EXPECTED" ]] || bench_die "feast answered '$GOT' for customer 42, expected '$EXPECTED'"
fi

IDLE_BEFORE=$(bench_idle_percent 1)
[[ $IDLE_BEFORE -ge 80 ]] || bench_log "warning: CPUs only ${IDLE_BEFORE}% idle before the runs"

LOOKUP_ARGS=(--method POST --body-file "$BENCH_TMP/lookup-body.json" --header "Content-Type: application/json")
bench_measure_closed_loop ready "$PID" "$BASE/v2/health/ready" "$DURATION" 1 || bench_die "wrk ready failed"
BENCH_RESULTS[ready.rss_kib]=$(bench_rss_kib "$PID")
bench_measure_closed_loop lookup "$PID" "$BASE/get-online-features" "$DURATION" 1 -s "$BENCH_TMP/feast.lua" \
    || bench_die "wrk /get-online-features failed"
LOOKUP_RATE=$OPEN_RATE
if [[ -n $FEAST_PID ]]; then
    bench_measure_closed_loop feast "$FEAST_PID" "$FEAST_BASE/get-online-features" "$DURATION" 1 \
        -s "$BENCH_TMP/feast.lua" || bench_die "wrk against feast serve failed"
    LOOKUP_RATE=$(awk -v r="$(bench_result feast rps)" -v cap="$OPEN_RATE" \
        'BEGIN { r = int(r / 2); print (r < cap ? r : cap) }')
    [[ $LOOKUP_RATE -gt 0 ]] || bench_die "feast serve measured no throughput"
    bench_measure_open_loop feast "$FEAST_PID" "$OPENLOOP" "$FEAST_BASE/get-online-features" "$LOOKUP_RATE" \
        "$DURATION" "${LOOKUP_ARGS[@]}" || bench_die "OpenLoop against feast serve failed"
    BENCH_RESULTS[feast.open_rate]=$LOOKUP_RATE
fi
bench_measure_open_loop lookup "$PID" "$OPENLOOP" "$BASE/get-online-features" "$LOOKUP_RATE" "$DURATION" \
    "${LOOKUP_ARGS[@]}" || bench_die "OpenLoop on /get-online-features failed"
BENCH_RESULTS[lookup.open_rate]=$LOOKUP_RATE
bench_measure_closed_loop fraud "$PID" "$BASE/" "$DURATION" 1 -s "$BENCH_TMP/fraud.lua" || bench_die "wrk fraud failed"
bench_measure_open_loop fraud "$PID" "$OPENLOOP" "$BASE/" "$OPEN_RATE" "$DURATION" --method POST \
    --body-file "$BENCH_TMP/fraud-body.json" --header "Content-Type: application/json" \
    || bench_die "OpenLoop on the fraud graph failed"
BENCH_RESULTS[fraud.open_rate]=$OPEN_RATE
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
) || bench_die "the hot-key client failed"
HOT_COUNTED=0
for key in $(seq 0 9); do
    count=$(curl -sf "$BASE/v2/feature-sets/transactions/entities/hot$key?features=amount_count_24h" \
        | python3 -c "import json,sys; print(int(json.load(sys.stdin)['features']['amount_count_24h'] or 0))") \
        || bench_die "reading hot$key's amount_count_24h failed"
    HOT_COUNTED=$((HOT_COUNTED + count))
done
BENCH_RESULTS[hot.acknowledged]=$HOT_OK
BENCH_RESULTS[hot.counted]=$HOT_COUNTED

row() {
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$(bench_result "$2" rps)" "$(bench_result "$2" cpu_us)" \
        "$(bench_result "$2" wrk_p99_us)" \
        "$(bench_result "$2" p50_us) / $(bench_result "$2" p99_us) @ $(bench_result "$2" open_rate)/s" \
        "$(bench_result "$2" rss_kib)" "$(bench_result "$2" wrk_errors) / $(bench_result "$2" errors)"
}
echo
echo "## Enrichment benchmark: ${DURATION}s runs, 1 loop, 100k customers + 100k accounts pre-loaded"
echo
echo "| run | req/s (wrk -c32) | CPU µs/req | wrk p99 µs | open loop p50 / p99 µs | RSS KiB | errors wrk / open loop |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
row "ours GET /v2/health/ready" ready
row "ours (a) /get-online-features 1x3" lookup
row "ours (b) fraud graph: update + enrich 10 + logistic" fraud
[[ -n $FEAST_PID ]] && row "Feast $FEAST_VERSION feast serve (a) 1x3, SQLite" feast
echo
echo "CPU idle before the runs: ${IDLE_BEFORE}%."
echo "(a)/ready = $(bench_ratio "$(bench_result lookup rps)" "$(bench_result ready rps)")"
if [[ -n $FEAST_PID ]]; then
    echo "(a)/Feast = $(bench_ratio "$(bench_result lookup rps)" "$(bench_result feast rps)")," \
        "(b)/Feast = $(bench_ratio "$(bench_result fraud rps)" "$(bench_result feast rps)")," \
        "CPU µs/req Feast/(a) = $(bench_ratio "$(bench_result feast cpu_us)" "$(bench_result lookup cpu_us)")"
fi
echo "(c) acknowledged (2xx) = $HOT_OK, counted in amount_count_24h over the 10 keys = $HOT_COUNTED"
echo
limit() { awk -v v="$(bench_result "$1" "$2")" -v f="$3" 'BEGIN { if (v == "n/a") print "n/a"; else printf "%.2f", v * f }'; }
STATUS=0
bench_check "(a) req/s >= 60% of /v2/health/ready" "$(bench_result lookup rps)" ">=" "$(limit ready rps 0.6)" || STATUS=3
if [[ -n $FEAST_PID ]]; then
    bench_check "(a) req/s >= 30x Feast" "$(bench_result lookup rps)" ">=" "$(limit feast rps 30)" || STATUS=3
    bench_check "(b) req/s >= 25x Feast's lookup" "$(bench_result fraud rps)" ">=" "$(limit feast rps 25)" || STATUS=3
fi
bench_check "(b) open-loop p99 <= 2 ms (µs)" "$(bench_result fraud p99_us)" "<=" 2000 || STATUS=3
bench_check "(c) no lost update (counted >= acknowledged)" "$HOT_COUNTED" ">=" "$HOT_OK" || STATUS=3
bench_check "(c) no unacknowledged update counted" "$HOT_COUNTED" "<=" "$HOT_OK" || STATUS=3
echo
echo "Commands run (servers on CPU $BENCH_SERVER_CPU, load on CPU $BENCH_CLIENT_CPU):"
bench_print_commands
exit "$STATUS"
