import ServingGraph

/// The feature matrix a built-in model reads: the input tensor (`x` by default) of shape [N, k], or
/// MLRun rows (lists of numbers, or objects keyed by the model's `feature_names`).
enum LinearFeatures {
    /// Row-major features and the row count, checked against `features` columns.
    static func read(
        _ request: InferenceRequest, input: String, features: Int, featureNames: [String]?
    ) throws -> (values: Tensor, rows: Int) {
        if request.format == .mlrun, request.inputs.isEmpty, let names = featureNames,
            let rows = request.body["inputs"]?.arrayValue
        {
            return (try objectRows(rows, names: names), rows.count)
        }
        let tensor = try request.input(input)
        guard tensor.shape.count == 2, tensor.shape[1] == features else {
            throw ServingError.invalidInput(
                "input '\(input)': shape \(tensor.shape) does not match [-1, \(features)] (\(features) features)")
        }
        return (tensor, tensor.shape[0])
    }

    /// MLRun dict rows ordered by `names` (MLRun's `infer_dict`); a missing key is named.
    private static func objectRows(_ rows: [Value], names: [String]) throws -> Tensor {
        var values: [Double] = []
        values.reserveCapacity(rows.count * names.count)
        for (i, row) in rows.enumerated() {
            guard case .object(let object) = row else {
                throw ServingError.invalidInput("inputs[\(i)]: expected a list of numbers or an object")
            }
            for name in names {
                guard let number = object[name]?.doubleValue else {
                    throw ServingError.invalidInput(
                        "inputs[\(i)]: missing numeric feature '\(name)' (expected keys: \(names.joined(separator: ", ")))"
                    )
                }
                values.append(number)
            }
        }
        return Tensor(name: "inputs", shape: [rows.count, names.count], doubles: values)
    }
}
