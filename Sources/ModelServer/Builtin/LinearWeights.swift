import ServingGraph

/// The contents of a linear model file `{"weights", "bias", "classes"?, "feature_names"?}`, loaded
/// once and shared read-only by every loop.
///
/// `weights` is `[k]` (one output) or `[[k], ...]` (one row per output or class, as scikit-learn's
/// `coef_`); `bias` a number or one per row.
struct LinearWeights: Sendable {
    /// Row-major `outputs × features`.
    let weights: [Double]
    let bias: [Double]
    let features: Int
    let outputs: Int
    /// Class labels (strings or numbers) when given.
    let classes: [Value]?
    let featureNames: [String]?

    init(_ value: Value, path: String) throws {
        guard let weightsValue = value["weights"], let rows = weightsValue.arrayValue, !rows.isEmpty else {
            throw ModelFileError.invalidField(path: path, key: "weights", reason: "expected a non-empty array")
        }
        if rows[0].arrayValue != nil {
            let matrix = try rows.map { try ModelFile.numbers($0, path: path, key: "weights") }
            let width = matrix[0].count
            guard width > 0, matrix.allSatisfy({ $0.count == width }) else {
                throw ModelFileError.invalidField(path: path, key: "weights", reason: "rows of different lengths")
            }
            features = width
            outputs = matrix.count
            weights = Array(matrix.joined())
        } else {
            weights = try ModelFile.numbers(weightsValue, path: path, key: "weights")
            features = weights.count
            outputs = 1
        }
        switch value["bias"] {
        case nil, .null?: bias = [Double](repeating: 0, count: outputs)
        case .array?: bias = try ModelFile.numbers(value["bias"], path: path, key: "bias")
        case let scalar?:
            guard let number = scalar.doubleValue else {
                throw ModelFileError.invalidField(path: path, key: "bias", reason: "expected a number or an array")
            }
            bias = [number]
        }
        guard bias.count == outputs else {
            throw ModelFileError.invalidField(
                path: path, key: "bias", reason: "\(bias.count) values for \(outputs) rows of weights")
        }
        classes = value["classes"]?.arrayValue
        if let classes, classes.count != (outputs == 1 ? 2 : outputs) {
            throw ModelFileError.invalidField(
                path: path, key: "classes", reason: "\(classes.count) classes for \(outputs) rows of weights")
        }
        featureNames = value["feature_names"]?.arrayValue?.compactMap(\.stringValue)
        if let featureNames, featureNames.count != features {
            throw ModelFileError.invalidField(
                path: path, key: "feature_names", reason: "\(featureNames.count) names for \(features) weights")
        }
    }

    /// `x · Wᵀ + b` for `rows` rows of `features` values: `rows × outputs` scores, row-major.
    func scores(_ x: UnsafeBufferPointer<Double>, rows: Int) -> [Double] {
        // Appended in row-major order into reserved room: `[Double](repeating:count:)` allocates through the
        // standard library's unspecialised path, a generic metadata lookup of about a thousand instructions.
        var out: [Double] = []
        out.reserveCapacity(rows * outputs)
        weights.withUnsafeBufferPointer { w in
            for r in 0..<rows {
                let row = r * features
                for o in 0..<outputs {
                    var sum = bias[o]
                    let wRow = o * features
                    for f in 0..<features { sum += x[row + f] * w[wRow + f] }
                    out.append(sum)
                }
            }
        }
        return out
    }
}
