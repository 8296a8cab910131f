#!/usr/bin/env python3
"""Trains the fraud demo's XGBoost model on the point-in-time training set that `serve training-set` builds.

    python train.py TRAIN_CSV [--vector fraud-vector.json] [--out fraud-model.json] [--holdout-days 2]

The feature columns are the vector's, in its order (the order the serving graph's ToTensor step uses). Empty
cells (features missing at that time) are filled with the vector's impute_policy constants, exactly as the
online service imputes them, so the model trains on what it will be served. The last --holdout-days days (by
transaction time) are held out; the held-out AUC is printed. The model is saved with Booster.save_model in
XGBoost's JSON format, which the server's XGBoostModel loads. Deterministic: fixed seed, one thread.
"""
import argparse
import csv
import json
import os
import sys

import numpy as np
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))


def columns_and_impute(vector_path):
    vector = json.load(open(vector_path))
    columns = [f.split(".", 1)[1].split(" as ")[-1].strip() for f in vector["features"]]
    policy = vector.get("impute_policy", {})
    fill = []
    for column in columns:
        rule = policy.get(column, policy.get("*"))
        if isinstance(rule, str):
            sys.exit(f"impute rule {rule!r} for {column}: only constants are reproducible offline")
        fill.append(np.nan if rule is None else float(rule))
    return columns, np.array(fill, dtype=np.float64)


def load(train_csv, columns, fill):
    with open(train_csv, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit(f"{train_csv}: no rows")
    x = np.array([[float(r[c]) if r[c] != "" else np.nan for c in columns] for r in rows], dtype=np.float64)
    x = np.where(np.isnan(x), fill, x)
    y = np.array([int(r["is_fraud"]) for r in rows], dtype=np.float32)
    days = np.array([r["timestamp"][:10] for r in rows])
    return x.astype(np.float32), y, days


def auc(y, score):
    """Area under the ROC curve from ranks (ties get their average rank)."""
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score), dtype=np.float64)
    sorted_scores = score[order]
    i = 0
    while i < len(score):
        j = i
        while j + 1 < len(score) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    positives = y == 1
    n_pos, n_neg = positives.sum(), (~positives).sum()
    return (ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train_csv")
    parser.add_argument("--vector", default=os.path.join(HERE, "fraud-vector.json"))
    parser.add_argument("--out", default=os.path.join(HERE, "fraud-model.json"))
    parser.add_argument("--holdout-days", type=int, default=2)
    args = parser.parse_args()

    columns, fill = columns_and_impute(args.vector)
    x, y, days = load(args.train_csv, columns, fill)
    distinct = sorted(set(days))
    if len(distinct) <= args.holdout_days:
        sys.exit(f"{len(distinct)} days of data: nothing left to train on with --holdout-days {args.holdout_days}")
    first_holdout = distinct[-args.holdout_days]
    test = days >= first_holdout
    train = ~test
    print(f"xgboost {xgb.__version__}, numpy {np.__version__}")
    print(f"train: {train.sum()} rows ({int(y[train].sum())} fraud), days {distinct[0]}..{distinct[-args.holdout_days - 1]}")
    print(f"held out: {test.sum()} rows ({int(y[test].sum())} fraud), days {first_holdout}..{distinct[-1]}")

    params = {"objective": "binary:logistic", "eval_metric": "auc", "max_depth": 4, "eta": 0.1,
              "subsample": 0.9, "colsample_bytree": 0.9, "min_child_weight": 2, "nthread": 1, "seed": 7,
              "tree_method": "hist"}
    dtrain = xgb.DMatrix(x[train], label=y[train], feature_names=columns)
    booster = xgb.train(params, dtrain, num_boost_round=150)
    held_out = booster.predict(xgb.DMatrix(x[test], feature_names=columns))
    print(f"held-out AUC: {auc(y[test], held_out.astype(np.float64)):.4f}")
    booster.save_model(args.out)
    print(f"saved {os.path.relpath(args.out)} ({len(columns)} features, {booster.num_boosted_rounds()} trees)")


if __name__ == "__main__":
    main()
