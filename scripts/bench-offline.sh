#!/usr/bin/env bash
# Benchmark: point-in-time training set (serve training-set) over a store of EVENTS events for ENTITIES
# entities, ROWS entity rows x 10 features (5 plain, 5 windowed aggregates). Prints rows/s and peak RSS.
# Full size (the issue's): --rows 1000000 --entities 100000 --events 5000000.
# --feast additionally runs Feast's get_historical_features (file offline store, in the venv
# .venv-bench/feast that bench-enrich.sh --with-feast uses) on the same data.
# env: BENCH_RESULTS_FILE=path also writes the measurements as "name.key<TAB>value" lines (scripts/bench.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/bench-common.sh
source scripts/lib/bench-common.sh
ROWS=100000 ENTITIES=10000 EVENTS=500000 FEAST=0 SKIP_BUILD=0
while [ $# -gt 0 ]; do
    case "$1" in
    --rows) ROWS=$2; shift 2 ;;
    --entities) ENTITIES=$2; shift 2 ;;
    --events) EVENTS=$2; shift 2 ;;
    --feast) FEAST=1; shift ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    *) echo "usage: $0 [--rows N] [--entities N] [--events N] [--feast] [--skip-build]" >&2; exit 2 ;;
    esac
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ "$SKIP_BUILD" = 1 ] || swift build -c release --product serve >/dev/null
serve=.build/release/serve

python3 - "$work" "$ROWS" "$ENTITIES" "$EVENTS" <<'PY'
import json, random, sys
work, rows, entities, events = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
random.seed(7)
base = 1767225600  # 2026-01-01T00:00:00Z
span = 30 * 86400
json.dump({"name": "tx", "entities": [{"name": "key", "type": "string"}], "timestamp_key": "timestamp",
           "features": [{"name": f"f{i}", "type": "double"} for i in range(1, 6)],
           "aggregations": [{"name": "f1", "column": "f1", "operations": ["sum", "count", "avg", "min", "max"],
                             "windows": ["1h"], "period": "10m"}]}, open(f"{work}/fs.json", "w"))
json.dump({"name": "v", "features": [f"tx.f{i}" for i in range(1, 6)]
           + [f"tx.f1_{op}_1h" for op in ["sum", "count", "avg", "min", "max"]]}, open(f"{work}/v.json", "w"))
times = sorted(base + random.random() * span for _ in range(events))
with open(f"{work}/events.csv", "w") as out:
    out.write("key,timestamp,f1,f2,f3,f4,f5\n")
    for t in times:
        vals = ",".join(f"{random.random() * 100:.3f}" for _ in range(5))
        out.write(f"k{random.randrange(entities)},{t:.3f},{vals}\n")
with open(f"{work}/entities.csv", "w") as out:
    out.write("key,timestamp\n")
    for _ in range(rows):
        out.write(f"k{random.randrange(entities)},{base + random.random() * span:.3f}\n")
PY

echo "--- ingest $EVENTS events for $ENTITIES entities"
$serve ingest "$work/fs.json" "$work/events.csv" --store "$work/store.db" 2>&1 | tail -1
echo "--- serve training-set: $ROWS rows x 10 features"
/usr/bin/time -f "%e s elapsed, %U s user, %S s system, peak RSS %M KiB" \
    $serve training-set "$work/v.json" "$work/entities.csv" --store "$work/store.db" --out "$work/train.csv" \
    2>"$work/time.log" || { cat "$work/time.log"; exit 1; }
cat "$work/time.log"
seconds=$(sed -n 's/^\([0-9.]*\) s elapsed.*/\1/p' "$work/time.log")
ours=$(python3 -c "print(int($ROWS / max($seconds, 1e-9)))")
echo "serve training-set: $ours rows/s"
[ "$(wc -l <"$work/train.csv")" -eq $((ROWS + 1)) ] || { echo "wrong row count" >&2; exit 1; }
if [ -n "${BENCH_RESULTS_FILE:-}" ]; then
    awk -v rows="$ROWS" -v rate="$ours" '/ s elapsed, / {
        printf "training_set.rows_per_s\t%s\ntraining_set.cpu_us\t%.2f\ntraining_set.rss_kib\t%s\n",
            rate, ($4 + $7) * 1e6 / rows, $(NF - 1) }' "$work/time.log" >"$BENCH_RESULTS_FILE"
fi

if [ "$FEAST" = 1 ]; then
    echo "--- Feast get_historical_features (file offline store)"
    bench_venv feast "feast==$BENCH_FEAST_VERSION"
    venv=$BENCH_VENV_DIR
    "$venv/bin/python" - "$work" "$ROWS" <<'PY'
import os, sys, time, pandas as pd
from datetime import timedelta
work, rows = sys.argv[1], int(sys.argv[2])
from feast import Entity, FeatureStore, FeatureView, Field, FileSource, RepoConfig
from feast.types import Float64
ev = pd.read_csv(f"{work}/events.csv")
ev["event_timestamp"] = pd.to_datetime(ev["timestamp"], unit="s", utc=True)
ev.drop(columns=["timestamp"]).to_parquet(f"{work}/events.parquet")
repo = RepoConfig(project="bench", registry=f"{work}/registry.db", provider="local",
                  offline_store={"type": "file"}, online_store={"type": "sqlite", "path": f"{work}/online.db"},
                  entity_key_serialization_version=3)
store = FeatureStore(config=repo)
key = Entity(name="key", join_keys=["key"])
view = FeatureView(name="tx", entities=[key], ttl=timedelta(days=0),
                   schema=[Field(name=f"f{i}", dtype=Float64) for i in range(1, 6)],
                   source=FileSource(path=f"{work}/events.parquet", timestamp_field="event_timestamp"))
store.apply([key, view])
entities = pd.read_csv(f"{work}/entities.csv")
entities["event_timestamp"] = pd.to_datetime(entities["timestamp"], unit="s", utc=True)
start = time.time()
df = store.get_historical_features(entity_df=entities[["key", "event_timestamp"]],
                                   features=[f"tx:f{i}" for i in range(1, 6)]).to_df()
elapsed = time.time() - start
print(f"feast get_historical_features: {len(df)} rows x 5 plain features in {elapsed:.2f} s: {int(rows / elapsed)} rows/s"
      " (plain features only: Feast computes no windowed aggregates)")
open(f"{work}/feast.rate", "w").write(str(int(rows / elapsed)))
PY
fi

# Target checks (issue #9): >= 20x Feast's rows/s in this run (with --feast), peak RSS under 1 GiB.
rss=$(sed -n 's/.*peak RSS \([0-9]*\) KiB.*/\1/p' "$work/time.log")
status=0
echo
if [ "$FEAST" = 1 ]; then
    feast_rate=$(cat "$work/feast.rate")
    python3 -c "print(f'ours / Feast rows/s = {$ours / max($feast_rate, 1):.2f}')"
    if [ "$ours" -ge $((20 * feast_rate)) ]; then verdict=PASS; else verdict=FAIL; status=3; fi
    echo "    $verdict rows/s >= 20x Feast: $ours >= $((20 * feast_rate))"
fi
if [ "$rss" -lt 1048576 ]; then verdict=PASS; else verdict=FAIL; status=3; fi
echo "    $verdict peak RSS < 1 GiB (KiB): $rss < 1048576"
exit $status
