#!/usr/bin/env python3
"""Deterministic events CSV for the ingest benchmarks (standard library only, fast for millions of rows).

    python3 scripts/gen-ingest-events.py --n 1000000 --keys 100000 --seed 7 > events.csv

Columns key,timestamp,amount (the oracle cases' feature sets read them): keys "c000000".. drawn uniformly,
ISO 8601 UTC timestamps advancing 20-60 ms per row from 2026-01-01, amounts with 2 decimals.
"""
import argparse
import random
import sys
from datetime import datetime, timedelta, timezone

parser = argparse.ArgumentParser()
parser.add_argument("--n", type=int, default=1_000_000)
parser.add_argument("--keys", type=int, default=100_000)
parser.add_argument("--seed", type=int, default=7)
args = parser.parse_args()

rng = random.Random(args.seed)
start = datetime(2026, 1, 1, tzinfo=timezone.utc)
millis = 0
out = sys.stdout
out.write("key,timestamp,amount\n")
lines = []
for _ in range(args.n):
    millis += rng.randint(20, 60)
    ts = start + timedelta(milliseconds=millis)
    stamp = ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}+00:00"
    lines.append(f"c{rng.randrange(args.keys):06d},{stamp},{rng.randint(1, 50000) / 100:.2f}\n")
    if len(lines) >= 10000:
        out.write("".join(lines))
        lines.clear()
out.write("".join(lines))
