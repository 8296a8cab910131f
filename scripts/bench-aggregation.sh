#!/usr/bin/env bash
# In-process aggregation throughput (events/s, µs/event), memory per key and replay rows/s; prints markdown.
#   scripts/bench-aggregation.sh [events] [keys] [memoryKeys]     (defaults 1000000 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product AggregationBench >&2
.build/release/AggregationBench "${1:-1000000}" "${2:-10000}" "${3:-100000}"

# Replay (CSV parse + aggregate + JSON line per row) over oracle-style generated events.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 ../shared/oracle/tools/gen_events.py --n "${REPLAY_EVENTS:-200000}" --keys 2000 --seed 5 > "$tmp/events.csv"
echo
echo "## Replay: gen_events.py --n ${REPLAY_EVENTS:-200000} --keys 2000 --seed 5, cases/late-sliding/fs.json"
echo
.build/release/AggregationBench --replay ../shared/oracle/cases/late-sliding/fs.json "$tmp/events.csv"
