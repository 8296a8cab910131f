public import ServingGraph

/// A linear regression served from a JSON model file `{"weights", "bias", "feature_names"?}`:
/// output `prediction` = x · Wᵀ + b, shape [N] (or [N, m] for m rows of weights).
///
/// `class_args`: `model_path` (the file), `input_name` (default `x`), `input_datatype` (the declared
/// datatype, default `FP32`; other numeric types are converted). FP32 inputs give FP32 outputs,
/// others FP64.
public final class LinearModel: V2ModelServer {
    let input: TabularInput

    /// A model from `class_args` (see the type's documentation).
    public override init(
        name: String, version: String? = nil, modelPath: String? = nil, classArgs: ValueObject = ValueObject(),
        blocking: Bool? = nil, timeout: Duration? = nil
    ) {
        input = TabularInput(classArgs: classArgs)
        super.init(
            name: name, version: version, modelPath: modelPath, classArgs: classArgs, blocking: blocking,
            timeout: timeout)
    }

    /// Reads the weights file.
    public override func load() throws -> (any Sendable)? {
        guard let modelPath else { throw ModelFileError.missingPath(model: modelName) }
        return try LinearWeights(ModelFile.read(modelPath), path: modelPath)
    }

    /// `swift_linear` in model metadata.
    public override var platform: String { "swift_linear" }

    /// The input [-1, features] once loaded (empty before).
    public override var inputs: [TensorMetadata] {
        guard let weights = try? loadedModel(as: LinearWeights.self) else { return [] }
        return [input.metadata(features: weights.features)]
    }

    /// The outputs once loaded (empty before).
    public override var outputs: [TensorMetadata] {
        guard let weights = try? loadedModel(as: LinearWeights.self) else { return [] }
        let datatype = input.outputDatatype
        return [
            TensorMetadata(
                name: "prediction", datatype: datatype, shape: weights.outputs == 1 ? [-1] : [-1, weights.outputs])
        ]
    }

    /// `feature_names` of `class_args`, else of the model file once loaded (for `infer_dict`).
    public override var featureNames: [String]? {
        super.featureNames ?? (try? loadedModel(as: LinearWeights.self))?.featureNames
    }

    /// Shapes are checked in `predict`, which also accepts MLRun object rows.
    public override func validate(_ request: InferenceRequest) throws {}

    /// Scores every row of the input.
    public override func predict(_ request: InferenceRequest) throws -> [Tensor] {
        let weights = try loadedModel(as: LinearWeights.self)
        let (x, rows) = try LinearFeatures.read(
            request, input: input.name, features: weights.features, featureNames: weights.featureNames)
        let scores = try x.withDoubles { weights.scores($0, rows: rows) }
        let shape = weights.outputs == 1 ? [rows] : [rows, weights.outputs]
        if x.datatype == .fp32 { return [Tensor(name: "prediction", shape: shape, floats: scores.map { Float($0) })] }
        return [Tensor(name: "prediction", shape: shape, doubles: scores)]
    }
}
