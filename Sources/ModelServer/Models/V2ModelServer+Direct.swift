import ServingGraph

extension V2ModelServer {
    /// Inference straight from the bytes of an Open Inference Protocol JSON body (`json`, followed by
    /// `binary` for the binary extension) to the response's bytes, without an ``Event``: the short
    /// path the server takes when the graph is one model router. Returns nil, having run nothing,
    /// when the request needs the general path (a blocking model, a model not ready, a body
    /// ``InferenceRequestReader`` does not take). Otherwise the hooks run, and their errors are thrown,
    /// exactly as in ``run(_:)``, and the outcome and stage times are counted in ``metrics`` the same way.
    func inferDirectly(
        json: UnsafeRawBufferPointer, binary: ArraySlice<UInt8>?, eventID: String
    ) throws -> (json: [UInt8], binary: BinaryTensorPayload?)? {
        guard !isBlocking, (try? ensureReady()) != nil else { return nil }
        let start = ModelMetrics.now()
        guard let decoded = InferenceRequestReader.read(json, binary: binary, limits: limits) else { return nil }
        return try countingOutcome { stages in
            try runHooks(decoded, eventID: eventID, explain: false, start: start, stages: &stages) {
                response, request in
                try InferenceResponseEncoder.encodeJSON(
                    response, for: request,
                    receivedAtMicroseconds: request.format == .mlrun ? Event.nowMicroseconds() : nil)
            }
        }
    }
}
