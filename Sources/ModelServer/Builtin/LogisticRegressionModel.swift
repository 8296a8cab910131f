import ServingGraph

/// A logistic regression served from a JSON model file `{"weights", "bias", "classes"?,
/// "feature_names"?}`: binary (`weights` [k], `bias` a number) gives `probability` = sigmoid(x · W + b)
/// of shape [N]; multi-class (`weights` [[k] per class], `bias` per class) gives softmax
/// `probability` [N, C]. With `classes`, output `label` holds the predicted class
/// (probability ≥ 0.5 picks `classes[1]` for binary; the most probable class otherwise).
///
/// `class_args` as ``LinearModel``: `model_path`, `input_name` (default `x`), `input_datatype`
/// (default `FP32`). Input: an OIP tensor [N, k] or MLRun rows.
public final class LogisticRegressionModel: LinearWeightsModel {
    /// `swift_logreg` in model metadata.
    public override var platform: String { "swift_logreg" }

    /// The outputs once loaded (empty before).
    public override var outputs: [TensorMetadata] {
        guard let (weights, probability) = scoresMetadata("probability") else { return [] }
        var declared = [probability]
        if let classes = weights.classes {
            declared.append(TensorMetadata(name: "label", datatype: Self.labelType(classes), shape: [-1]))
        }
        return declared
    }

    /// Scores every row of the input.
    public override func predict(_ request: InferenceRequest) throws -> [Tensor] {
        let (weights, rows, isFP32, scores) = try scores(request)
        var probabilities = scores
        let classCount = weights.outputs
        if classCount == 1 {
            ScoreTransform.sigmoid(&probabilities)
        } else {
            ScoreTransform.softmax(&probabilities, rows: rows, width: classCount)
        }
        let shape = classCount == 1 ? [rows] : [rows, classCount]
        var result = [Self.scoresTensor("probability", shape: shape, probabilities, isFP32: isFP32)]
        if let classes = weights.classes {
            let picks = (0..<rows).map { r -> Int in
                if classCount == 1 { return probabilities[r] >= 0.5 ? 1 : 0 }
                return ScoreTransform.argmax(probabilities, row: r, width: classCount)
            }
            result.append(Self.labels(picks.map { classes[$0] }))
        }
        return result
    }

    private static func labelType(_ classes: [Value]) -> TensorDatatype {
        if classes.allSatisfy({ if case .int = $0 { return true } else { return false } }) { return .int64 }
        if classes.allSatisfy({ $0.doubleValue != nil }) { return .fp64 }
        return .bytes
    }

    private static func labels(_ picked: [Value]) -> Tensor {
        switch labelType(picked) {
        case .int64: Tensor(name: "label", shape: [picked.count], integers: picked.compactMap(\.intValue))
        case .fp64: Tensor(name: "label", shape: [picked.count], doubles: picked.compactMap(\.doubleValue))
        default: Tensor(name: "label", shape: [picked.count], strings: picked.map { $0.stringValue ?? $0.jsonString })
        }
    }
}
