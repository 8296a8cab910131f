public import ServingGraph

/// The part ``LinearModel`` and ``LogisticRegressionModel`` share: a JSON weights file
/// (``LinearWeights``) read at load, `class_args` `model_path`, `input_name` (default `x`) and
/// `input_datatype` (default `FP32`; other numeric types are converted), the input metadata and the scores
/// x · Wᵀ + b of every row. Subclasses name the platform and turn the scores into their outputs.
public class LinearWeightsModel: V2ModelServer {
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

    /// The input [-1, features] once loaded (empty before).
    public override var inputs: [TensorMetadata] {
        guard let weights = try? loadedModel(as: LinearWeights.self) else { return [] }
        return [input.metadata(features: weights.features)]
    }

    /// `feature_names` of `class_args`, else of the model file once loaded (for `infer_dict`).
    public override var featureNames: [String]? {
        super.featureNames ?? (try? loadedModel(as: LinearWeights.self))?.featureNames
    }

    /// Shapes are checked in `predict`, which also accepts MLRun object rows.
    public override func validate(_ request: InferenceRequest) throws {}

    /// The loaded weights and the metadata of the scores output `name`: shape [-1] for one output, else
    /// [-1, outputs]; nil before the model is loaded.
    func scoresMetadata(_ name: String) -> (LinearWeights, TensorMetadata)? {
        guard let weights = try? loadedModel(as: LinearWeights.self) else { return nil }
        let shape = weights.outputs == 1 ? [-1] : [-1, weights.outputs]
        return (weights, TensorMetadata(name: name, datatype: input.outputDatatype, shape: shape))
    }

    /// The loaded weights, the request's rows, whether its input is FP32 and x · Wᵀ + b for every row
    /// (row-major, `weights.outputs` per row).
    func scores(_ request: InferenceRequest) throws -> (
        weights: LinearWeights, rows: Int, isFP32: Bool, scores: [Double]
    ) {
        let weights = try loadedModel(as: LinearWeights.self)
        let (x, rows) = try LinearFeatures.read(
            request, input: input.name, features: weights.features, featureNames: weights.featureNames)
        let scores = try x.withDoubles { weights.scores($0, rows: rows) }
        return (weights, rows, x.datatype == .fp32, scores)
    }

    /// The output `name` holding `values` in `shape`: FP32 when the input was FP32, FP64 otherwise.
    static func scoresTensor(_ name: String, shape: [Int], _ values: [Double], isFP32: Bool) -> Tensor {
        isFP32
            ? Tensor(name: name, shape: shape, floats: values.map { Float($0) })
            : Tensor(name: name, shape: shape, doubles: values)
    }
}
