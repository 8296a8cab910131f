#!/usr/bin/env bash
# The project's main job: installs what is missing, builds release and starts the server.
# Extra arguments go to `serve run` (for example --port 8081).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product serve
exec .build/release/serve run "$@"
