#!/usr/bin/env python3
"""Trains small XGBoost models with the real xgboost package and writes them, with the predictions
xgboost itself makes, as test fixtures (Tests/Fixtures/xgboost/). Run through
make-xgboost-fixtures.sh, which creates the venv. Deterministic: fixed seeds, one thread.

Each case writes <name>.model.json (Booster.save_model, the JSON format with base_score and the
objective) and <name>.expected.json: {"objective", "inputs": rows (null = missing), "predictions"}.
"""
import json
import os
import sys

import numpy as np
import xgboost as xgb

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "xgboost")


def data(seed, n=300, k=4):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, k)).astype(np.float32)
    return rng, x


def write(name, booster, x, params):
    os.makedirs(OUT, exist_ok=True)
    booster.save_model(os.path.join(OUT, f"{name}.model.json"))
    test = x[:60].copy()
    test[3, 1] = np.nan  # missing values take each split's default branch
    test[7, 0] = np.nan
    test[11] = np.nan
    preds = booster.predict(xgb.DMatrix(test, missing=np.nan))
    rows = [[None if np.isnan(v) else float(v) for v in row] for row in test]
    doc = {"objective": params["objective"], "xgboost_version": xgb.__version__, "inputs": rows,
           "predictions": np.asarray(preds, dtype=np.float64).tolist()}
    with open(os.path.join(OUT, f"{name}.expected.json"), "w") as f:
        json.dump(doc, f)
    print(f"wrote {name}: {len(rows)} rows, objective {params['objective']}")


def main():
    common = {"max_depth": 3, "eta": 0.3, "nthread": 1, "seed": 7}
    rng, x = data(1)
    y = (x[:, 0] * 0.8 - x[:, 1] * 0.5 + x[:, 2] * 1.2 + rng.normal(scale=0.5, size=len(x)) > 0).astype(np.float32)
    params = dict(common, objective="binary:logistic")
    write("binary-logistic", xgb.train(params, xgb.DMatrix(x, label=y), num_boost_round=12), x, params)

    rng, x = data(2)
    y = (2.0 * x[:, 0] - x[:, 3] + 0.5 * x[:, 1] * x[:, 2] + rng.normal(scale=0.1, size=len(x))).astype(np.float32)
    params = dict(common, objective="reg:squarederror")
    write("regression", xgb.train(params, xgb.DMatrix(x, label=y), num_boost_round=15), x, params)

    rng, x = data(3)
    y = np.digitize(x[:, 0] + x[:, 1], [-0.7, 0.7]).astype(np.float32)
    params = dict(common, objective="multi:softprob", num_class=3)
    write("multiclass", xgb.train(params, xgb.DMatrix(x, label=y), num_boost_round=8), x, params)


if __name__ == "__main__":
    main()
