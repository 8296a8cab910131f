/// Every endpoint the server answers; the router maps method + path to one of these.
///
/// `.graph` covers the model paths: the request becomes an `Event` and runs through the served
/// graph, whose model router resolves model, version and operation. Feature-store endpoints get
/// their own cases here.
enum ServerEndpoint: Sendable {
    case healthLive
    case healthReady
    case serverMetadata
    /// `GET /metrics`: Prometheus text.
    case metrics
    /// `/v2/models...` and `POST /`: run the request through the served graph.
    case graph
    case featureSets
    case featureSet
    case featureSetIngest
    case featureSetEntity
    /// `POST /v2/feature-vectors/{vec}/offline`: point-in-time training rows.
    case featureVectorOffline
    /// `GET /v2/feature-vectors` and `GET /v2/feature-vectors/{vec}`: the served vectors, resolved.
    case featureVectors
    case featureVector
    /// `POST /v2/feature-vectors/{vector}/online`.
    case featureVectorOnline
    /// Feast `POST /get-online-features`.
    case feastOnlineFeatures
    /// Feast `POST /push`.
    case feastPush
    /// Feast `GET /health`.
    case feastHealth

    /// True for the endpoints ``FeatureStoreResponder`` answers.
    var isFeatureStore: Bool {
        switch self {
        case .featureSets, .featureSet, .featureSetIngest, .featureSetEntity, .featureVectorOffline, .featureVectors,
            .featureVector:
            true
        case .healthLive, .healthReady, .serverMetadata, .metrics, .graph: false
        case .featureVectorOnline, .feastOnlineFeatures, .feastPush, .feastHealth: false
        }
    }

    /// True for the endpoints ``EnrichmentResponder`` answers.
    var isEnrichment: Bool {
        switch self {
        case .featureVectorOnline, .feastOnlineFeatures, .feastPush, .feastHealth: true
        default: false
        }
    }

    /// The route table of the server (DESIGN.md, "HTTP surface").
    static func makeRouter() -> Router<ServerEndpoint> {
        var router = Router<ServerEndpoint>()
        // Inference first: the router returns the first match, so the hot path scans one entry; the
        // graph reads the path itself, so these routes build no captures.
        for method in [HTTPMethod.post, .put] {
            router.add(method, "/v2/models/{model}/{operation}", .graph, capturing: false)
            router.add(method, "/v2/models/{model}/versions/{version}/{operation}", .graph, capturing: false)
            router.add(method, "/v2/models/{model}", .graph, capturing: false)
            router.add(method, "/", .graph, capturing: false)
        }
        router.add(.get, "/v2/health/live", .healthLive)
        router.add(.get, "/v2/health/ready", .healthReady)
        router.add(.get, "/v2", .serverMetadata)
        router.add(.get, "/metrics", .metrics)
        router.add(.get, "/v2/models", .graph)
        router.add(.get, "/v2/models/{model}", .graph)
        router.add(.get, "/v2/models/{model}/ready", .graph)
        router.add(.get, "/v2/models/{model}/versions/{version}", .graph)
        router.add(.get, "/v2/models/{model}/versions/{version}/ready", .graph)
        router.add(.get, "/v2/feature-sets", .featureSets)
        router.add(.get, "/v2/feature-sets/{set}", .featureSet)
        router.add(.post, "/v2/feature-sets/{set}/ingest", .featureSetIngest)
        router.add(.get, "/v2/feature-sets/{set}/entities/{key}", .featureSetEntity)
        router.add(.post, "/v2/feature-vectors/{vec}/offline", .featureVectorOffline)
        router.add(.get, "/v2/feature-vectors", .featureVectors)
        router.add(.get, "/v2/feature-vectors/{vec}", .featureVector)
        router.add(.post, "/v2/feature-vectors/{vector}/online", .featureVectorOnline)
        router.add(.post, "/get-online-features", .feastOnlineFeatures)
        router.add(.post, "/push", .feastPush)
        router.add(.get, "/health", .feastHealth)
        return router
    }
}
