extension ServerEndpoint {
    /// The `route` label of `serve_http_requests_total`; the switch is exhaustive, so a new endpoint
    /// cannot be added without its label.
    var metricsLabel: String {
        switch self {
        case .healthLive: "health_live"
        case .healthReady: "health_ready"
        case .serverMetadata: "server_metadata"
        case .metrics: "metrics"
        case .graph: "graph"
        case .featureSets: "feature_sets"
        case .featureSet: "feature_set"
        case .featureSetIngest: "feature_set_ingest"
        case .featureSetEntity: "feature_set_entity"
        case .featureVectorOffline: "feature_vector_offline"
        case .featureVectors: "feature_vectors"
        case .featureVector: "feature_vector"
        case .featureVectorOnline: "feature_vector_online"
        case .feastOnlineFeatures: "feast_get_online_features"
        case .feastPush: "feast_push"
        case .feastHealth: "feast_health"
        }
    }

    /// The `route` label of requests no endpoint matched (404, 405).
    static let unmatchedLabel = "unmatched"
}
