import ServingGraph

/// Answers the server's endpoints for one event loop. Loop-confined: built by the server's factory on the
/// loop's thread, so it holds per-loop state without locks.
final class ServerResponder: HTTPResponder {
    private let router: Router<ServerEndpoint>
    private let readiness: ServerReadiness
    private let metadataBody: [UInt8]
    private let featureStore: FeatureStoreResponder

    init(readiness: ServerReadiness, featureStore: FeatureStoreResponder = FeatureStoreResponder(store: nil)) {
        self.router = ServerEndpoint.makeRouter()
        self.readiness = readiness
        self.featureStore = featureStore
        self.metadataBody = JSONWriter.bytes(ServerResponder.serverMetadata())
    }

    func respond(to request: HTTPRequest) -> HTTPResponderResult {
        switch router.lookup(request.method, request.path[...]) {
        case .found(let endpoint, let captures):
            if endpoint.isFeatureStore {
                return featureStore.respond(to: endpoint, captures: captures, request: request)
            }
            return .response(answer(endpoint))
        case .methodNotAllowed(let allowed):
            let error = RoutingError.methodNotAllowed(
                method: request.method.name, path: String(request.path), allowed: allowed.map(\.name))
            return .response(ErrorResponse.response(for: error))
        case .notFound:
            let error = RoutingError.noRoute(method: request.method.name, path: String(request.path))
            return .response(ErrorResponse.response(for: error))
        }
    }

    private func answer(_ endpoint: ServerEndpoint) -> HTTPResponse {
        switch endpoint {
        case .featureSets, .featureSet, .featureSetIngest, .featureSetEntity:
            // Answered by the FeatureStoreResponder before reaching here.
            return ErrorResponse.response(for: RoutingError.noRoute(method: "GET", path: "/v2/feature-sets"))
        case .healthLive:
            return HTTPResponse(status: .ok, headers: HTTPHeaders(), body: [])
        case .healthReady:
            return HTTPResponse(status: readiness.isReady ? .ok : .serviceUnavailable, headers: HTTPHeaders(), body: [])
        case .serverMetadata:
            return HTTPResponse.json(.ok, metadataBody)
        }
    }

    /// `GET /v2`: name, version and the protocol extensions this server implements.
    static func serverMetadata() -> Value {
        [
            "name": .string(ServerInfo.name),
            "version": .string(ServerInfo.version),
            "extensions": [],
        ]
    }
}

@available(*, unavailable)
extension ServerResponder: Sendable {}
