public import ServingGraph

extension V2ModelServer {
    /// Runs one event: readiness, metadata, inference, explanation or a custom operation, chosen
    /// from the event path (see ``ModelOperation``). Inference of a blocking model is handed to
    /// the server as a ``DeferredResponse`` instead of running here.
    public func run(_ event: Event) throws -> Event {
        let operation = ModelOperation(
            path: event.path, method: event.method, bodyOperation: event.body["operation"]?.stringValue,
            modelName: modelName, version: version)
        var output = event
        switch operation {
        case .ready:
            try ensureReady()
            output.body = ["name": .string(modelName), "ready": true]
        case .metadata:
            output.body = metadata
        case .infer, .explain:
            if isBlocking { return try deferred(event, explain: operation == .explain) }
            let (body, binary) = try infer(event, explain: operation == .explain)
            output.body = body
            output[BinaryOutputKey.self] = binary
        case .inferDict:
            return try run(dictInputsConverted(event))
        case .custom(let name):
            try ensureReady()
            output.body = try hook("op_\(name)") { try self.operation(name, body: event.body, event: event) }
        }
        return output
    }

    /// `GET /v2/models/{m}`: name, versions, platform and the declared tensors.
    public var metadata: Value {
        var object = ValueObject(minimumCapacity: 5)
        object.appendNew("name", .string(modelName))
        if let version { object.appendNew("versions", [.string(version)]) }
        object.appendNew("platform", .string(platform))
        object.appendNew("inputs", .array(inputs.map(\.value)))
        object.appendNew("outputs", .array(outputs.map(\.value)))
        return .object(object)
    }

    /// Decodes the request and runs the hooks in MLRun's order; returns the response body and any
    /// binary output bytes. Counts the outcome and times each stage in ``metrics``.
    func infer(_ event: Event, explain: Bool) throws -> (Value, BinaryTensorPayload?) {
        try countingOutcome { stages in
            try ensureReady()
            let start = ModelMetrics.now()
            let binary = event[BinaryInputKey.self].map { $0.bytes[...] }
            let decoded =
                if let binary, event.body.isNull {
                    try InferenceRequestDecoder.decodeRaw(binary, declared: inputs, limits: limits)
                } else {
                    try InferenceRequestDecoder.decode(event.body, binary: binary, limits: limits)
                }
            return try runHooks(decoded, eventID: event.id, explain: explain, start: start, stages: &stages) {
                response, request in
                try InferenceResponseEncoder.encode(
                    response, for: request, receivedAtMicroseconds: explain ? nil : event.receivedAtMicroseconds)
            }
        }
    }

    /// Runs `body` and counts its outcome with the stage times it recorded.
    func countingOutcome<R>(_ body: (inout ModelMetrics.StageTimes) throws -> R) throws -> R {
        var stages = ModelMetrics.StageTimes()
        do {
            let answer = try body(&stages)
            metrics.record(.success, stages: stages)
            return answer
        } catch {
            metrics.record(ErrorResponse.status(for: error).code < 500 ? .clientError : .serverError, stages: stages)
            throw error
        }
    }

    /// The hooks after decoding, in MLRun's order: preprocess, validate, predict (or explain), the
    /// response (its id the request's, else `eventID`), postprocess, then `encode`. Stage times run from `start`.
    func runHooks<Encoded>(
        _ decoded: InferenceRequest, eventID: String, explain: Bool, start: UInt64,
        stages: inout ModelMetrics.StageTimes, encode: (InferenceResponse, InferenceRequest) throws -> Encoded
    ) throws -> Encoded {
        let request = try hook("preprocess") { try self.preprocess(decoded) }
        try hook("validate") { try self.validate(request) }
        let predicted = ModelMetrics.now()
        stages.preprocess = predicted &- start
        let outputs =
            explain
            ? try hook("explain") { try self.explain(request) } : try hook("predict") { try self.predict(request) }
        let posted = ModelMetrics.now()
        stages.predict = posted &- predicted
        let built = InferenceResponse(
            modelName: modelName, modelVersion: version, id: request.id ?? eventID, outputs: outputs)
        let response = try hook("postprocess") { try self.postprocess(built) }
        let encoded = try encode(response, request)
        stages.postprocess = ModelMetrics.now() &- posted
        return encoded
    }

    /// Runs `body`, wrapping errors that are not client or serving errors as a bug of `name`.
    func hook<R>(_ name: String, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as ServingError {
            throw error
        } catch let error as InferenceProtocolError {
            throw error
        } catch let error as ModelHookError {
            throw error
        } catch {
            throw ModelHookError(model: modelName, hook: name, underlying: error)
        }
    }

    /// The event carrying a ``DeferredResponse`` that runs the hooks on this instance's queue.
    private func deferred(_ event: Event, explain: Bool) throws -> Event {
        try ensureReady()
        let box = UncheckedModelServer(server: self)
        let queue = blockingQueue
        var output = event
        output[DeferredResponseKey.self] = DeferredResponse(timeout: timeout) { deadline, completion in
            queue.async {
                guard DispatchTimeCheck.now() < deadline else {
                    completion(.failure(ServingError.timeout("model '\(box.server.modelName)' did not start in time")))
                    return
                }
                completion(
                    Result {
                        var answered = event
                        let (body, binary) = try box.server.infer(event, explain: explain)
                        answered.body = body
                        answered[BinaryOutputKey.self] = binary
                        return answered
                    })
            }
        }
        output.isTerminated = true
        return output
    }
}

/// A model instance handed to its own serial queue. `@unchecked Sendable`: after a blocking
/// model's request is deferred, its hooks run only on that instance's serial queue, one at a time;
/// the event loop reads only immutable properties of the instance.
struct UncheckedModelServer: @unchecked Sendable {
    let server: V2ModelServer
}
