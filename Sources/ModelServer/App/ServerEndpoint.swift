/// Every endpoint the server answers; the router maps method + path to one of these.
enum ServerEndpoint: Sendable {
    case healthLive
    case healthReady
    case serverMetadata
    case featureSets
    case featureSet
    case featureSetIngest
    case featureSetEntity

    /// True for the endpoints ``FeatureStoreResponder`` answers.
    var isFeatureStore: Bool {
        switch self {
        case .featureSets, .featureSet, .featureSetIngest, .featureSetEntity: true
        case .healthLive, .healthReady, .serverMetadata: false
        }
    }

    /// The route table of the server (DESIGN.md, "HTTP surface").
    static func makeRouter() -> Router<ServerEndpoint> {
        var router = Router<ServerEndpoint>()
        router.add(.get, "/v2/health/live", .healthLive)
        router.add(.get, "/v2/health/ready", .healthReady)
        router.add(.get, "/v2", .serverMetadata)
        router.add(.get, "/v2/feature-sets", .featureSets)
        router.add(.get, "/v2/feature-sets/{set}", .featureSet)
        router.add(.post, "/v2/feature-sets/{set}/ingest", .featureSetIngest)
        router.add(.get, "/v2/feature-sets/{set}/entities/{key}", .featureSetEntity)
        return router
    }
}
