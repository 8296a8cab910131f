import Dispatch
import FeatureEnrich
import ServingGraph

/// Answers the server's endpoints for one event loop. Loop-confined: built by the server's factory on the
/// loop's thread, with that loop's own instance of the served graph, so it holds per-loop state without locks.
final class ServerResponder: HTTPResponder {
    private let router: Router<ServerEndpoint>
    private let readiness: ServerReadiness
    private let graph: CompiledGraph?
    private let catalog: ModelCatalog?
    private let metadataBody: [UInt8]
    private let logger = Logger(label: "serve")
    private var eventIDs = EventIDGenerator()
    private let mlrunErrors: Bool
    private let featureStore: FeatureStoreResponder
    /// What `GET /metrics` reports; this loop's request counters are registered in it.
    private let metrics: ServerMetrics?
    private let requests: RequestCounters?
    /// A flow graph answers every path no fixed endpoint takes (MLRun: the event path is the URL path).
    private let graphServesAllPaths: Bool
    private let enrichment: EnrichmentResponder
    /// Inference without the graph walk when the graph is one model router.
    private let direct: DirectInference?
    /// The last lookup that found a route with no captures, by method and path: a client repeating its
    /// path (the usual keep-alive case; the parser even hands back the same `String`) skips the router.
    private var lastRoute: (method: HTTPMethod, path: String, endpoint: ServerEndpoint)?

    /// A responder serving `graph` (or only health and metadata when `nil`). With `metrics`, it
    /// counts its requests and its graph's steps there; with `graphServesAllPaths` (a flow), a
    /// request no endpoint matches runs through the graph instead of getting 404.
    init(
        readiness: ServerReadiness, graph: CompiledGraph? = nil, catalog: ModelCatalog? = nil,
        mlrunErrors: Bool = false,
        metrics: ServerMetrics? = nil, graphServesAllPaths: Bool = false,
        featureStore: FeatureStoreResponder = FeatureStoreResponder(store: nil),
        enrichment: EnrichmentResponder = EnrichmentResponder()
    ) {
        self.enrichment = enrichment
        self.mlrunErrors = mlrunErrors
        self.metrics = metrics
        self.requests = metrics?.makeLoopCounters()
        self.graphServesAllPaths = graphServesAllPaths && graph != nil
        if let metrics, let graph { metrics.register(graph.metrics) }
        self.router = ServerEndpoint.makeRouter()
        self.readiness = readiness
        self.graph = graph
        self.direct = DirectInference(graph: graph)
        self.catalog = catalog
        self.featureStore = featureStore
        self.metadataBody = JSONWriter.bytes(ServerResponder.serverMetadata())
    }

    /// Answers one request and counts it by route and status (a pending answer when it completes).
    func respond(to request: HTTPRequest) -> HTTPResponderResult {
        guard let requests else { return dispatch(request).result }
        requests.requestStarted()
        let (route, result) = dispatch(request)
        switch result {
        case .response(let response):
            requests.requestFinished(route: route, status: response.status.code)
        case .pending(let pending):
            pending.observeCompletion { requests.requestFinished(route: route, status: $0.status.code) }
        }
        return result
    }

    /// The route label and the answer: the one dispatch the HTTP server and ``InProcessServer`` share.
    private func dispatch(_ request: HTTPRequest) -> (route: String, result: HTTPResponderResult) {
        switch lookup(request) {
        case .found(let endpoint, let captures):
            if endpoint.isFeatureStore {
                return (endpoint.metricsLabel, featureStore.respond(to: endpoint, captures: captures, request: request))
            }
            if endpoint.isEnrichment {
                return (endpoint.metricsLabel, enrichment.respond(to: endpoint, captures: captures, request: request))
            }
            return (endpoint.metricsLabel, answer(endpoint, request))
        case .methodNotAllowed(let allowed):
            let error = RoutingError.methodNotAllowed(
                method: request.method.name, path: String(request.path), allowed: allowed.map(\.name))
            return (ServerEndpoint.unmatchedLabel, .response(ErrorResponse.response(for: error)))
        case .notFound:
            if graphServesAllPaths { return (ServerEndpoint.graph.metricsLabel, runGraph(request)) }
            let error = RoutingError.noRoute(method: request.method.name, path: String(request.path))
            return (ServerEndpoint.unmatchedLabel, .response(ErrorResponse.response(for: error)))
        }
    }

    /// The router's answer for `request`, from the last-route memo when the method and path repeat.
    private func lookup(_ request: HTTPRequest) -> Router<ServerEndpoint>.RouteLookup {
        if let last = lastRoute, last.method == request.method, last.path == request.path {
            return .found(last.endpoint, captures: [])
        }
        let found = router.lookup(request.method, request.path[...])
        if case .found(let endpoint, let captures) = found, captures.isEmpty {
            lastRoute = (request.method, request.path, endpoint)
        }
        return found
    }

    private func answer(_ endpoint: ServerEndpoint, _ request: HTTPRequest) -> HTTPResponderResult {
        switch endpoint {
        case .featureSets, .featureSet, .featureSetIngest, .featureSetEntity, .featureVectorOffline, .featureVectors,
            .featureVector, .featureVectorOnline, .feastOnlineFeatures, .feastPush, .feastHealth:
            // Answered by the FeatureStoreResponder before reaching here.
            return .response(ErrorResponse.response(for: RoutingError.noRoute(method: "GET", path: "/v2/feature-sets")))
        case .healthLive:
            return .response(HTTPResponse(status: .ok, headers: HTTPHeaders(), body: []))
        case .healthReady:
            let ready = readiness.isReady && (catalog?.allReady ?? true)
            return .response(HTTPResponse(status: ready ? .ok : .serviceUnavailable, headers: HTTPHeaders(), body: []))
        case .serverMetadata:
            return .response(HTTPResponse.json(.ok, metadataBody))
        case .metrics:
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain; version=0.0.4")
            let text = metrics.map { $0.text(catalog: catalog) } ?? catalog.map(PrometheusWriter.text) ?? ""
            return .response(HTTPResponse(status: .ok, headers: headers, body: Array(text.utf8)))
        case .graph:
            return runGraph(request)
        }
    }

    /// Runs the request through the graph; deferred work (a blocking model) answers later.
    private func runGraph(_ request: HTTPRequest) -> HTTPResponderResult {
        let id = HTTPEventCodec.eventID(of: request) { eventIDs.next() }
        switch direct?.respond(to: request, eventID: id) {
        case .success(let response)?:
            return .response(response)
        case .failure(let error)?:
            let response = Self.errorResponse(error, eventID: id, logger: logger)
            return .response(mlrunErrors ? ErrorResponse.mlrunResponse(for: error) : response)
        case nil:
            break
        }
        var eventID: String?
        do {
            let event = try HTTPEventCodec.event(from: request, id: id)
            eventID = event.id
            guard let graph else {
                if event.path == "/v2/models" || event.path == "/v2/models/" {
                    return .response(HTTPResponse.json(.ok, JSONWriter.bytes(["models": []])))
                }
                throw Self.noGraph(event)
            }
            let answer = try graph.run(event)
            if let deferred = answer[DeferredResponseKey.self] { return .pending(start(deferred, id: event.id)) }
            if let ticket = answer[CommitTicketKey.self] { return .pending(afterCommit(ticket, answer)) }
            return .response(HTTPEventCodec.response(from: answer))
        } catch {
            let response = Self.errorResponse(error, eventID: eventID, logger: logger)
            return .response(mlrunErrors ? ErrorResponse.mlrunResponse(for: error) : response)
        }
    }

    /// The answer of `event`, released once the store writes of the request (`ticket`) are committed. Its bytes are
    /// written now, on this loop, and the event is released here: the store-writer thread, which completes the
    /// ticket and serves every loop, only hands the response over.
    private func afterCommit(_ ticket: CommitTicket, _ event: Event) -> HTTPPendingResponse {
        let pending = HTTPPendingResponse()
        let logger = self.logger
        let id = event.id
        let response = HTTPEventCodec.response(from: event)
        ticket.whenDone { result in
            switch result {
            case .success: pending.complete(response)
            case .failure(let error): pending.complete(Self.errorResponse(error, eventID: id, logger: logger))
            }
        }
        return pending
    }

    /// Starts deferred work with its deadline; 504 if the deadline passes first.
    private func start(_ deferred: DeferredResponse, id: String) -> HTTPPendingResponse {
        let pending = HTTPPendingResponse()
        let logger = self.logger
        let deadline = DispatchTime.now() + .nanoseconds(Int(clamping: Self.nanoseconds(deferred.timeout)))
        DispatchQueue.global().asyncAfter(deadline: deadline) {
            guard !pending.isCompleted else { return }
            let error = ServingError.timeout("no answer within \(deferred.timeout)")
            pending.complete(Self.errorResponse(error, eventID: id, logger: logger))
        }
        deferred.start(deadline) { result in
            switch result {
            case .success(let event): pending.complete(HTTPEventCodec.response(from: event))
            case .failure(let error): pending.complete(Self.errorResponse(error, eventID: id, logger: logger))
            }
        }
        return pending
    }

    /// The error response; failures that are the server's or a model's fault are logged with the request id.
    static func errorResponse(_ error: any Error, eventID: String?, logger: Logger) -> HTTPResponse {
        let response = ErrorResponse.response(for: error)
        let metadata = [("event", eventID ?? "-"), ("status", "\(response.status.code)"), ("error", "\(error)")]
        if response.status == .internalServerError {
            logger.error("request failed", metadata)
        } else if response.status.code > 500 {
            logger.warning("request failed", metadata)
        }
        return response
    }

    private static func noGraph(_ event: Event) -> ServingError {
        let parts = event.path.split(separator: "/")
        let model = parts.count > 2 ? String(parts[2]) : ""
        return .notFound(model.isEmpty ? "no models are served" : "unknown model '\(model)' (no models are served)")
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// `GET /v2`: name, version and the protocol extensions this server implements.
    static func serverMetadata() -> Value {
        [
            "name": .string(ServerInfo.name),
            "version": .string(ServerInfo.version),
            "extensions": ["binary_tensor_data"],
        ]
    }
}

@available(*, unavailable)
extension ServerResponder: Sendable {}
