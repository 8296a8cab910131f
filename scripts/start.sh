#!/usr/bin/env bash
# The project's main job: installs what is missing, builds release and serves. Without a graph file it
# serves examples/interop/graph.json (model `fraud`: logistic regression over input x [N, 4]).
# Extra arguments go to `serve run` (for example --port 8081, or another graph file first).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product serve
if [ $# -eq 0 ] || [[ "$1" == -* ]]; then
    set -- examples/interop/graph.json "$@"
fi
exec .build/release/serve run "$@"
