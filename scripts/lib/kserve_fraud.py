"""The fraud logistic regression (examples/interop/fraud-logreg.json) as a KServe 0.21 model, for
scripts/bench-infer.sh --with-kserve: the same weights and the same V2 endpoint, served by KServe's
own model server (one worker).

    python kserve_fraud.py --http_port 8080 --model_file examples/interop/fraud-logreg.json
"""
import argparse
import json
import uuid

import numpy as np
from kserve import InferOutput, InferRequest, InferResponse, Model, ModelServer, model_server


class FraudModel(Model):
    def __init__(self, name, path):
        super().__init__(name)
        with open(path) as f:
            doc = json.load(f)
        self.w = np.asarray(doc["weights"], dtype=np.float64)
        self.b = float(doc["bias"])
        self.ready = True

    def predict(self, payload: InferRequest, headers=None, response_headers=None) -> InferResponse:
        x = payload.inputs[0].as_numpy().astype(np.float64).reshape(-1, self.w.shape[0])
        p = (1.0 / (1.0 + np.exp(-(x @ self.w + self.b)))).astype(np.float32)
        out = InferOutput(name="probability", shape=list(p.shape), datatype="FP32")
        out.set_data_from_numpy(p, binary_data=False)
        return InferResponse(model_name=self.name, infer_outputs=[out], response_id=payload.id or uuid.uuid4().hex)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(parents=[model_server.parser])
    parser.add_argument("--model_file", required=True)
    args, _ = parser.parse_known_args()
    ModelServer().start([FraudModel("fraud", args.model_file)])
