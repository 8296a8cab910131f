import ServingGraph

/// The tensor form of `EnrichWithFeatures`: entity keys from named Open Inference Protocol input tensors, the
/// vector appended as one FP64 input tensor `[N, k]`.
struct TensorEnrichment: Sendable {
    /// Entity key column → input tensor name.
    let keyTensors: [(column: String, tensor: String)]
    /// Name of the appended tensor.
    let outputTensor: String
    /// Vector column positions, in output order.
    let positions: [Int]

    /// The body with the features tensor appended to `inputs`.
    func enrich(
        _ body: Value, service: OnlineFeatureService, snapshots: [EntityStateSnapshot],
        onMissing: EnrichWithFeaturesStep.MissingPolicy
    ) throws -> Value {
        guard case .object(var object) = body, case .array(var inputs)? = object["inputs"] else {
            throw ServingError.invalidInput("inputs: expected an array of input tensors")
        }
        var keyColumns: [(String, [Value])] = []
        var rowCount: Int?
        for (column, tensor) in keyTensors {
            guard let input = inputs.first(where: { $0["name"]?.stringValue == tensor }) else {
                throw ServingError.invalidInput("inputs: missing input tensor '\(tensor)' (entity key '\(column)')")
            }
            guard case .array(let data)? = input["data"] else {
                throw ServingError.invalidInput("inputs.\(tensor).data: expected an array")
            }
            let flat = data.flatMap { $0.arrayValue ?? [$0] }
            if let rowCount, rowCount != flat.count {
                throw ServingError.invalidInput(
                    "inputs.\(tensor): \(flat.count) keys, other key tensors have \(rowCount)")
            }
            rowCount = flat.count
            keyColumns.append((column, flat))
        }
        var data: [Value] = []
        let count = rowCount ?? 0
        for row in 0..<count {
            var keys = ValueObject(minimumCapacity: keyColumns.count)
            for (column, values) in keyColumns { keys[column] = values[row] }
            let path = "inputs.\(keyTensors.first?.tensor ?? "")[\(row)]"
            let values: [Value]
            do {
                guard let found = try service.values(.object(keys), path: path, snapshots: snapshots) else {
                    if onMissing == .error {
                        throw ServingError.notFound(
                            "\(path): no features for entity \(JSONWriter.string(.object(keys)))")
                    }
                    throw ServingError.invalidInput("\(path): entity not found and a tensor cannot hold null")
                }
                values = found
            } catch let error as OnlineFeatureError {
                throw ServingError.invalidInput(error.description)
            }
            for position in positions {
                guard let number = values[position].doubleValue else {
                    let column = service.vector.columns[position].name
                    throw ServingError.invalidInput(
                        "\(path): feature '\(column)' is \(values[position].typeName), not a number")
                }
                data.append(.double(number))
            }
        }
        inputs.append([
            "name": .string(outputTensor), "datatype": "FP64",
            "shape": [.int(Int64(count)), .int(Int64(positions.count))], "data": .array(data),
        ])
        object["inputs"] = .array(inputs)
        return .object(object)
    }
}
