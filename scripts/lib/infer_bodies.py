"""Writes the inference benchmarks' request bodies into DIR (scripts/bench-infer.sh and
scripts/bench-infer-instructions.sh): json-1x4, json-32x4 and xgboost-1x4 (OIP JSON), binary-1x4 (binary
tensor extension, its JSON header length in binary-1x4.hlen), and graph.json: the router that serves them
(model `fraud`, the logistic regression of examples/interop; model `xgboost`, the 12-tree test fixture). With
--wrk, also a wrk Lua script per body.

usage: python3 scripts/lib/infer_bodies.py DIR [--wrk]
"""
import json
import os
import struct
import sys

d = sys.argv[1]
row = [0.5, -1.25, 2.0, 0.75]


def oip(rows):
    return json.dumps({"inputs": [{"name": "x", "shape": [len(rows), 4], "datatype": "FP32", "data": rows}]},
                      separators=(",", ":")).encode()


open(f"{d}/json-1x4.body", "wb").write(oip([row]))
open(f"{d}/json-32x4.body", "wb").write(oip([[v + i * 0.01 for v in row] for i in range(32)]))
open(f"{d}/xgboost-1x4.body", "wb").write(oip([row]))
header = json.dumps({"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32",
                                 "parameters": {"binary_data_size": 16}}],
                     "outputs": [{"name": "probability", "parameters": {"binary_data": True}}]},
                    separators=(",", ":")).encode()
open(f"{d}/binary-1x4.body", "wb").write(header + struct.pack("<4f", *row))
open(f"{d}/binary-1x4.hlen", "w").write(str(len(header)))

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
graph = {"kind": "router", "routes": {
    "fraud": {"class_name": "LogisticRegressionModel",
              "class_args": {"model_path": f"{root}/examples/interop/fraud-logreg.json"}},
    "xgboost": {"class_name": "XGBoostModel",
                "class_args": {"model_path": f"{root}/Tests/Fixtures/xgboost/binary-logistic.model.json"}}}}
open(f"{d}/graph.json", "w").write(json.dumps(graph, indent=1))

if "--wrk" in sys.argv[2:]:
    def lua(name, extra=""):
        body = open(f"{d}/{name}.body", "rb").read()
        escaped = "".join(f"\\{b}" for b in body)
        open(f"{d}/{name}.lua", "w").write(
            f'wrk.method = "POST"\nwrk.body = "{escaped}"\n'
            f'wrk.headers["Content-Type"] = "application/json"\n{extra}')

    for name in ("json-1x4", "json-32x4", "xgboost-1x4"):
        lua(name)
    lua("binary-1x4", 'wrk.headers["Content-Type"] = "application/octet-stream"\n'
                      f'wrk.headers["Inference-Header-Content-Length"] = "{len(header)}"\n')
