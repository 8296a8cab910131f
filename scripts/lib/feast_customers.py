"""A Feast feature repo holding the benchmark's customers, for scripts/bench-enrich.sh --with-feast.

The same feature view as examples/feast/customer_stats.json: entity `customer` (join key `customer_id`,
int64), features `amount_avg_1d` (Float64), `txn_count_7d` (Int64) and `country` (String), and the
feature service `customer_stats_v1` over the three. The rows come from the same CSV our store ingests
(no timestamp column: every row is stamped with one time, as `serve ingest` stamps them with the
ingest time). The CSV becomes a parquet file source, `feast apply` registers the definitions and
`materialize` copies the rows into the SQLite online store that `feast serve` then reads.

    python feast_customers.py --repo DIR --csv customers.csv

Prints `materialized N rows in S s` on success; any failure raises (non-zero exit).
"""
import argparse
import os
import time
from datetime import datetime, timedelta, timezone

import pandas as pd
from feast import Entity, FeatureService, FeatureStore, FeatureView, Field, FileSource, ValueType
from feast.types import Float64, Int64, String

parser = argparse.ArgumentParser()
parser.add_argument("--repo", required=True, help="directory to create the feature repo in")
parser.add_argument("--csv", required=True, help="customer_id,amount_avg_1d,txn_count_7d,country")
args = parser.parse_args()

repo = os.path.abspath(args.repo)
os.makedirs(repo, exist_ok=True)
with open(os.path.join(repo, "feature_store.yaml"), "w") as f:
    f.write(
        "project: bench\n"
        f"registry: {repo}/registry.db\n"
        "provider: local\n"
        "online_store:\n"
        "  type: sqlite\n"
        f"  path: {repo}/online.db\n"
        "offline_store:\n"
        "  type: file\n"
        "entity_key_serialization_version: 3\n"
    )

stamp = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=1)
rows = pd.read_csv(args.csv, dtype={"customer_id": "int64", "txn_count_7d": "int64", "country": "string"})
rows["event_timestamp"] = stamp
rows.to_parquet(os.path.join(repo, "customers.parquet"))

customer = Entity(name="customer", join_keys=["customer_id"], value_type=ValueType.INT64)
view = FeatureView(
    name="customer_stats",
    entities=[customer],
    ttl=timedelta(days=3650),
    schema=[
        Field(name="customer_id", dtype=Int64),
        Field(name="amount_avg_1d", dtype=Float64),
        Field(name="txn_count_7d", dtype=Int64),
        Field(name="country", dtype=String),
    ],
    online=True,
    source=FileSource(path=os.path.join(repo, "customers.parquet"), timestamp_field="event_timestamp"),
)
service = FeatureService(name="customer_stats_v1", features=[view])

store = FeatureStore(repo_path=repo)
store.apply([customer, view, service])
start = time.time()
store.materialize(start_date=stamp - timedelta(minutes=1), end_date=stamp + timedelta(minutes=1))
print(f"materialized {len(rows)} rows in {time.time() - start:.1f} s")
