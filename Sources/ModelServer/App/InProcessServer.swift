import FeatureEnrich
public import ServingGraph

#if canImport(Glibc)
    import Glibc
#endif

/// Why ``InProcessServer`` could not send a request.
public enum InProcessServerError: Error, CustomStringConvertible {
    /// The method is not one the HTTP server accepts.
    case unknownMethod(String)

    /// The message naming the problem.
    public var description: String {
        switch self {
        case .unknownMethod(let name):
            "unknown HTTP method '\(name)' (expected GET, POST, PUT, DELETE, HEAD, OPTIONS or PATCH)"
        }
    }
}

/// Answers requests in-process exactly as `serve run` answers them over HTTP, like MLRun's
/// `to_mock_server().test(path, body)`: the same graph loading (models load before the first
/// request), routes, request decoding, graph walk, error-to-status mapping and response encoding,
/// because it calls the very responder an event loop calls, minus the socket.
///
/// ```swift
/// let server = try InProcessServer(graphPath: "examples/graphs/preprocess-model/graph.json")
/// let response = try server.send(path: "/v2/models/fraud/infer", body: #"{"amount": 120}"#)
/// #expect(response.status == 200)
/// ```
///
/// Confined to the thread that created it, like an event loop's graph.
public final class InProcessServer {
    /// One answer: status, headers (without `Content-Length`) and body bytes.
    public struct Response: Sendable {
        /// The HTTP status code.
        public let status: Int
        /// Response headers in order.
        public let headers: [(name: String, value: String)]
        /// The body bytes.
        public let body: [UInt8]

        /// The body as UTF-8 text.
        public var text: String { String(decoding: body, as: UTF8.self) }
        /// The body parsed as JSON, `nil` when it is not JSON.
        public var json: Value? { try? JSONParser.parse(body) }
    }

    private let responder: ServerResponder
    /// The models of the graph, loaded in `init`.
    private let catalog = ModelCatalog()
    /// The online store of the configured feature sets, closed on release.
    private let store: SQLiteOnlineStore?

    /// A server for `configuration`'s graph and feature sections (the store at `storePath` is opened, the
    /// enrichment steps registered, as `serve run` does); throws what `serve run` would report (naming the
    /// file, step and field), and when a model fails to load.
    package init(configuration: ServeConfiguration) throws {
        let readiness = ServerReadiness()
        readiness.set(true)
        let features = try FeatureServing(configuration: configuration)
        store = features.store
        guard configuration.graphPath != nil || configuration.graphJSON != nil, features.servesGraph else {
            responder = ServerResponder(
                readiness: readiness, metrics: ServerMetrics(), featureStore: features.featureStoreResponder(),
                enrichment: features.enrichment)
            return
        }
        var loaderConfiguration = configuration
        loaderConfiguration.registry = features.registry(for: configuration)
        let loader = try GraphLoader(configuration: loaderConfiguration)
        let logger = Logger(label: "serve")
        for warning in features.splitReadAndUpdateWarnings(loader.spec) { logger.warning(warning) }
        let graph = try loader.build(catalog: catalog)
        if let failure = catalog.loadAll().first {
            throw ApplicationError.modelLoadFailed(model: failure.key, error: failure.error)
        }
        responder = ServerResponder(
            readiness: readiness, graph: graph, catalog: catalog, mlrunErrors: configuration.mlrunErrors,
            metrics: ServerMetrics(), graphServesAllPaths: loader.spec.kind == .flow,
            featureStore: features.featureStoreResponder(), enrichment: features.enrichment)
    }

    deinit {
        store?.close()
    }

    /// A server for the graph (or service) file at `graphPath`; `registry` defaults to the built-in steps and
    /// models. The file's feature sets are served from the SQLite store at `storePath` (created if absent).
    public convenience init(graphPath: String, storePath: String = "features.db", registry: StepRegistry? = nil) throws
    {
        var configuration = ServeConfiguration()
        configuration.graphPath = graphPath
        configuration.storePath = storePath
        configuration.registry = registry
        try self.init(configuration: configuration)
    }

    /// A server for a graph given as JSON text.
    public convenience init(graphJSON: String, registry: StepRegistry? = nil) throws {
        var configuration = ServeConfiguration()
        configuration.graphJSON = graphJSON
        configuration.registry = registry
        try self.init(configuration: configuration)
    }

    /// Sends one request and returns the answer; a deferred answer (a blocking model) is waited for.
    /// `method` defaults to POST with a body and GET without, as MLRun's test server.
    public func send(
        method: String? = nil, path: String, body: String? = nil, headers: [(name: String, value: String)] = []
    ) throws -> Response {
        let name = method?.uppercased() ?? (body == nil ? "GET" : "POST")
        let methods: [HTTPMethod] = [.get, .head, .post, .put, .delete, .options, .patch]
        guard let httpMethod = methods.first(where: { $0.name == name }) else {
            throw InProcessServerError.unknownMethod(name)
        }
        var fields = HTTPHeaders()
        for (name, value) in headers { fields.add(name: name, value: value) }
        let request = HTTPRequest(method: httpMethod, target: path, headers: fields, body: Array((body ?? "").utf8))
        let response: HTTPResponse
        switch responder.respond(to: request) {
        case .response(let answer):
            response = answer
        case .pending(let pending):
            response = Self.wait(for: pending)
        }
        return Response(
            status: response.status.code, headers: Array(response.headers),
            body: httpMethod == .head ? [] : response.body)
    }

    /// Polls until the pending answer is there; the responder always completes it (its own deadline
    /// answers 504).
    private static func wait(for pending: HTTPPendingResponse) -> HTTPResponse {
        while true {
            if let response = pending.takeResponse() { return response }
            usleep(200)
        }
    }
}

@available(*, unavailable)
extension InProcessServer: Sendable {}
