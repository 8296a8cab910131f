import ServingGraph

/// The short path of an inference request when the served graph is one ``ModelRouter`` (the usual
/// `{"kind": "router"}` graph): the model is picked from the URL as the router picks it, and the body
/// bytes go straight to ``V2ModelServer/inferDirectly(json:binary:eventID:)``, with no ``Event``, no
/// `Value` tree and no graph walk. The router step's run is still counted in the graph's metrics and
/// the model's hooks, metrics and errors are those of the general path.
///
/// Anything else (another operation, an unknown model, an ensemble, a blocking or unready model, a
/// raw binary body, a body the fast reader does not take) returns nil before any hook runs, and the
/// server runs the graph as usual. Loop-confined, like the graph it belongs to.
final class DirectInference {
    /// How many distinct request paths the route cache keeps (clients choose paths: it must stay bounded).
    static let maxCachedPaths = 64

    private let graph: CompiledGraph
    private let router: ModelRouter
    /// The model an inference path is answered by directly (nil: not an inference path), for paths
    /// the router resolved; the router is immutable, so its answers can be kept.
    private var modelByPath: [String: V2ModelServer?] = [:]
    /// The last path looked up and its answer: a string comparison instead of hashing for a client
    /// that sends the same path again (the usual case).
    private var lastPath = ""
    private var lastModel: V2ModelServer?

    /// The short path of `graph`, or nil when the graph is not one model router.
    init?(graph: CompiledGraph?) {
        guard let graph, let router = graph.singleStep as? ModelRouter else { return nil }
        self.graph = graph
        self.router = router
    }

    /// The answer to `request` (`eventID` names it in the response when the body has no `id`): the
    /// response, or the error a hook threw; nil when the request needs the general path.
    func respond(to request: HTTPRequest, eventID: String) -> Result<HTTPResponse, any Error>? {
        guard let model = model(forPath: request.path), let (jsonLength, binary) = HTTPEventCodec.split(request),
            jsonLength > 0
        else { return nil }
        let start = CompiledGraph.now()
        do {
            let answer = try request.body.withUnsafeBytes { raw in
                try model.inferDirectly(
                    json: UnsafeRawBufferPointer(rebasing: raw[..<jsonLength]), binary: binary, eventID: eventID)
            }
            guard let answer else { return nil }
            graph.recordSingleStepRun(nanoseconds: CompiledGraph.now() &- start, failed: false)
            return .success(HTTPEventCodec.response(json: answer.json, binary: answer.binary))
        } catch {
            graph.recordSingleStepRun(nanoseconds: CompiledGraph.now() &- start, failed: true)
            return .failure(error)
        }
    }

    /// The model answering inference at `path`, from the cache or the router.
    private func model(forPath path: String) -> V2ModelServer? {
        if path == lastPath { return lastModel }
        if let cached = modelByPath[path] {
            (lastPath, lastModel) = (path, cached)
            return cached
        }
        guard let (model, operation) = router.model(forPath: path) else { return nil }
        let inference = operation == "infer" || operation == "predict" ? model : nil
        if modelByPath.count < Self.maxCachedPaths { modelByPath.updateValue(inference, forKey: path) }
        return inference
    }
}

@available(*, unavailable)
extension DirectInference: Sendable {}
