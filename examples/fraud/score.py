#!/usr/bin/env python3
"""Scores training-set rows with the trained model in xgboost itself, to compare with what the server answered.

    .venv-fraud/bin/python examples/fraud/score.py ROWS_CSV [--vector fraud-vector.json] [--model fraud-model.json]

ROWS_CSV is `serve training-set` output (any entity columns, then the vector's columns). Empty cells are
imputed with the vector's impute_policy, as train.py and the online service do. Prints each row's entity
columns and xgboost's probability (float32, printed as the server prints it).
"""
import argparse
import csv
import os

import numpy as np
import xgboost as xgb

from train import HERE, columns_and_impute


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows_csv")
    parser.add_argument("--vector", default=os.path.join(HERE, "fraud-vector.json"))
    parser.add_argument("--model", default=os.path.join(HERE, "fraud-model.json"))
    args = parser.parse_args()
    columns, fill = columns_and_impute(args.vector)
    with open(args.rows_csv, newline="") as f:
        rows = list(csv.DictReader(f))
    x = np.array([[float(r[c]) if r[c] != "" else np.nan for c in columns] for r in rows], dtype=np.float64)
    x = np.where(np.isnan(x), fill, x).astype(np.float32)
    booster = xgb.Booster(model_file=args.model)
    probabilities = booster.predict(xgb.DMatrix(x, feature_names=columns))
    for row, probability in zip(rows, probabilities):
        keys = ",".join(v for k, v in row.items() if k not in columns)
        print(f"{keys},{float(probability)!r}")


if __name__ == "__main__":
    main()
