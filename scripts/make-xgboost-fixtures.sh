#!/usr/bin/env bash
# Re-creates Tests/Fixtures/xgboost/ with the real xgboost package: makes .venv-fixtures (gitignored)
# with xgboost (the CPU-only wheel, xgboost-cpu) and numpy from PyPI, then runs make-xgboost-fixtures.py. The fixtures are committed;
# run this only to regenerate them (another version: XGBOOST_VERSION=3.1.3; 3.3 and later need Python 3.12).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${FIXTURES_VENV:-.venv-fixtures}
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "xgboost-cpu==${XGBOOST_VERSION:-3.2.0}" numpy
"$VENV/bin/python" scripts/make-xgboost-fixtures.py Tests/Fixtures/xgboost
