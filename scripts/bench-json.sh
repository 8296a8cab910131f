#!/usr/bin/env bash
# JSON reader/writer benchmark: ours vs JSONSerialization vs Codable on Open Inference Protocol bodies.
# Pinned to CPU 0 when taskset exists, like the other bench scripts; prints the exact command it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product JSONBench >&2
command=(swift run -c release JSONBench)
if command -v taskset >/dev/null; then command=(taskset -c 0 "${command[@]}"); fi
echo "\$ ${command[*]}"
"${command[@]}"
