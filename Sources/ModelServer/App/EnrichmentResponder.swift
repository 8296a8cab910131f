import FeatureEnrich
import ServingGraph

/// Answers the feature-vector and Feast endpoints (``FeatureVectorEndpoints``, ``FeastResponder``); shared by
/// every loop (both are thread-safe).
struct EnrichmentResponder: Sendable {
    private let vectors: FeatureVectorEndpoints
    private let feast: FeastResponder

    /// No store: every vector, view and service is unknown.
    init() {
        self.init(
            vectors: FeatureVectorEndpoints(services: [:]),
            feast: FeastResponder(
                store: nil, featureServices: [:], pushSources: [:]))
    }

    /// A responder over the given endpoints.
    init(vectors: FeatureVectorEndpoints, feast: FeastResponder) {
        self.vectors = vectors
        self.feast = feast
    }

    /// The answer to an enrichment `endpoint`.
    func respond(to endpoint: ServerEndpoint, captures: [Substring], request: HTTPRequest) -> HTTPResponderResult {
        switch endpoint {
        case .featureVectorOnline:
            let name = captures.first.flatMap { try? FeatureStoreQuery.percentDecoded($0) } ?? ""
            return vectors.online(vector: name, body: request.body)
        case .feastOnlineFeatures:
            return .response(feast.onlineFeatures(body: request.body))
        case .feastPush:
            return feast.push(body: request.body)
        case .feastHealth:
            return .response(HTTPResponse(status: .ok, headers: HTTPHeaders(), body: []))
        default:
            return .response(
                ErrorResponse.response(for: RoutingError.noRoute(method: request.method.name, path: request.path)))
        }
    }
}
