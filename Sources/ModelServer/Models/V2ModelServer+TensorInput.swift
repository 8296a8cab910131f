package import ServingGraph

extension V2ModelServer: TensorInputStep {
    /// Inference on the numbers of the ``ToTensorStep`` before this model: the request their body decodes to
    /// (one FP64 or FP32 tensor `[rows, columns]`, no id, parameters or requested outputs) is built directly, and
    /// the hooks, metrics, errors and response are those of ``run(_:)``. Anything else (another operation, a
    /// blocking model, binary input bytes, an empty or oversized tensor) runs ``run(_:)`` on that body.
    package func run(_ event: Event, tensor: TensorRows, body: () -> Value) throws -> Event {
        let operation = ModelOperation(
            path: event.path, method: event.method, bodyOperation: nil, modelName: modelName, version: version)
        guard operation == .infer, !isBlocking, event[BinaryInputKey.self] == nil, tensor.rows > 0,
            tensor.columns > 0, tensor.values.count <= limits.maxTensorElements,
            let datatype = Self.datatype(tensor.datatype)
        else {
            var materialized = event
            materialized.body = body()
            return try run(materialized)
        }
        let (answer, binary) = try countingOutcome { stages in
            try ensureReady()
            let start = ModelMetrics.now()
            let shape = [tensor.rows, tensor.columns]
            let input =
                datatype == .fp64
                ? Tensor(name: tensor.name, shape: shape, doubles: tensor.values)
                : Tensor(name: tensor.name, shape: shape, floats: tensor.values.map { Float($0) })
            return try runHooks(
                InferenceRequest(inputs: [input]), eventID: event.id, explain: false, start: start, stages: &stages
            ) { response, request in
                try InferenceResponseEncoder.encode(
                    response, for: request, receivedAtMicroseconds: event.receivedAtMicroseconds)
            }
        }
        var output = event
        output.body = answer
        output[BinaryOutputKey.self] = binary
        return output
    }

    /// `.fp64` or `.fp32` for their exact spellings (what ToTensor writes), nil for anything else.
    private static func datatype(_ name: String) -> TensorDatatype? {
        switch name {
        case "FP64": .fp64
        case "FP32": .fp32
        default: nil
        }
    }
}
