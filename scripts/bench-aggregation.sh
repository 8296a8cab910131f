#!/usr/bin/env bash
# In-process aggregation throughput (events/s, µs/event) and memory per key; prints a markdown table.
#   scripts/bench-aggregation.sh [events] [keys] [memoryKeys]     (defaults 1000000 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product AggregationBench >&2
exec .build/release/AggregationBench "${1:-1000000}" "${2:-10000}" "${3:-100000}"
