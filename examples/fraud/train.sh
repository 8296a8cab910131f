#!/usr/bin/env bash
# Trains the fraud demo's model: makes a venv (.venv-fraud at the repository root, gitignored) with pinned
# xgboost (the CPU-only wheel) and numpy from PyPI, then runs train.py on a training set built by
# `serve training-set`. Usage: bash examples/fraud/train.sh [TRAIN_CSV] [train.py options...]
# (default TRAIN_CSV: .serve-demo/train.csv). The trained model is committed, so serving needs no Python.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${FRAUD_VENV:-.venv-fraud}
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "xgboost-cpu==3.2.0" "numpy==2.2.6"
TRAIN_CSV=${1:-.serve-demo/train.csv}
shift || true
exec "$VENV/bin/python" examples/fraud/train.py "$TRAIN_CSV" "$@"
