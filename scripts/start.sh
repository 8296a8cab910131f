#!/usr/bin/env bash
# The project's main job: installs what is missing, builds release and runs the fraud-detection demo
# (`serve demo`: generates and ingests examples/fraud's data into .serve-demo/ on the first start, then
# serves examples/fraud/serve.json and prints three curl commands to try).
# Extra arguments go to `serve demo` (for example --port 8081 or --regenerate); with a graph file first,
# that graph is served with `serve run` instead (for example examples/interop/graph.json --port 8081).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product serve
if [ $# -gt 0 ] && [[ "$1" != -* ]]; then
    exec .build/release/serve run "$@"
fi
exec .build/release/serve demo "$@"
