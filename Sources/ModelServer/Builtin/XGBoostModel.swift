public import ServingGraph

/// A tree ensemble read from XGBoost's JSON model format (`Booster.save_model("m.json")`), so a
/// model trained in Python is served with no Swift code. Predictions match XGBoost's own to 1e-6
/// (checked against fixtures made by `scripts/make-xgboost-fixtures.sh`).
///
/// Outputs by objective: `binary:logistic` / `reg:logistic` → `probability` [N];
/// `multi:softprob` → `probability` [N, C]; `multi:softmax` → `prediction` [N] (the class);
/// `reg:squarederror`, `reg:absoluteerror`, `binary:logitraw` → `prediction` [N]. All FP32, as XGBoost
/// predicts. `class_args`: `model_path`, `input_name` (default `x`). Input: [N, num_feature] of any
/// numeric datatype (converted to FP32 as XGBoost does), or MLRun rows.
public final class XGBoostModel: V2ModelServer {
    let inputName: String

    /// A model from `class_args` (see the type's documentation).
    public override init(
        name: String, version: String? = nil, modelPath: String? = nil, classArgs: ValueObject = ValueObject(),
        blocking: Bool? = nil, timeout: Duration? = nil
    ) {
        inputName = classArgs["input_name"]?.stringValue ?? "x"
        super.init(
            name: name, version: version, modelPath: modelPath, classArgs: classArgs, blocking: blocking,
            timeout: timeout)
    }

    /// Reads and flattens the trees.
    public override func load() throws -> (any Sendable)? {
        guard let modelPath else { throw ModelFileError.missingPath(model: modelName) }
        return try XGBoostForest(ModelFile.read(modelPath), path: modelPath)
    }

    /// `xgboost_json` in model metadata.
    public override var platform: String { "xgboost_json" }

    /// The input [-1, features] once loaded (empty before).
    public override var inputs: [TensorMetadata] {
        guard let forest = try? loadedModel(as: XGBoostForest.self) else { return [] }
        return [TensorMetadata(name: inputName, datatype: .fp32, shape: [-1, forest.features])]
    }

    /// The outputs once loaded (empty before).
    public override var outputs: [TensorMetadata] {
        guard let forest = try? loadedModel(as: XGBoostForest.self) else { return [] }
        let (name, shape) = Self.output(forest)
        return [TensorMetadata(name: name, datatype: .fp32, shape: shape.map { $0 == 0 ? -1 : $0 })]
    }

    /// Shapes are checked in `predict`, which also accepts MLRun rows.
    public override func validate(_ request: InferenceRequest) throws {}

    /// Scores every row of the input.
    public override func predict(_ request: InferenceRequest) throws -> [Tensor] {
        let forest = try loadedModel(as: XGBoostForest.self)
        let (x, rows) = try LinearFeatures.read(request, input: inputName, features: forest.features, featureNames: nil)
        var margins = forest.margins(try x.floats(), rows: rows)
        let groups = forest.groups
        switch forest.objective {
        case .binaryLogistic, .regLogistic:
            ScoreTransform.sigmoid(&margins)
        case .multiSoftprob:
            ScoreTransform.softmax(&margins, rows: rows, width: groups)
        case .multiSoftmax:
            margins = (0..<rows).map { r in Double(ScoreTransform.argmax(margins, row: r, width: groups)) }
        case .squaredError, .linear, .absoluteError, .binaryLogitRaw:
            break
        }
        let (name, shape) = Self.output(forest)
        return [Tensor(name: name, shape: shape.map { $0 == 0 ? rows : $0 }, floats: margins.map { Float($0) })]
    }

    /// The output's name and shape (0 stands for the row count).
    private static func output(_ forest: XGBoostForest) -> (String, [Int]) {
        switch forest.objective {
        case .binaryLogistic, .regLogistic: ("probability", [0])
        case .multiSoftprob: ("probability", [0, forest.groups])
        default: ("prediction", [0])
        }
    }
}
