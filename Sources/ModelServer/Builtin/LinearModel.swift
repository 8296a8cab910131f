import ServingGraph

/// A linear regression served from a JSON model file `{"weights", "bias", "feature_names"?}`:
/// output `prediction` = x · Wᵀ + b, shape [N] (or [N, m] for m rows of weights).
///
/// `class_args`: `model_path` (the file), `input_name` (default `x`), `input_datatype` (the declared
/// datatype, default `FP32`; other numeric types are converted). FP32 inputs give FP32 outputs,
/// others FP64.
public final class LinearModel: LinearWeightsModel {
    /// `swift_linear` in model metadata.
    public override var platform: String { "swift_linear" }

    /// The outputs once loaded (empty before).
    public override var outputs: [TensorMetadata] {
        guard let (_, prediction) = scoresMetadata("prediction") else { return [] }
        return [prediction]
    }

    /// Scores every row of the input.
    public override func predict(_ request: InferenceRequest) throws -> [Tensor] {
        let (weights, rows, isFP32, scores) = try scores(request)
        let shape = weights.outputs == 1 ? [rows] : [rows, weights.outputs]
        return [Self.scoresTensor("prediction", shape: shape, scores, isFP32: isFP32)]
    }
}
