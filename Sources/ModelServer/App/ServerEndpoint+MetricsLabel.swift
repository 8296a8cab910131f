extension ServerEndpoint {
    /// The `route` label of `serve_http_requests_total`. An endpoint added without a label here
    /// gets its case name (a compiler warning points at this switch).
    var metricsLabel: String {
        switch self {
        case .healthLive: "health_live"
        case .healthReady: "health_ready"
        case .serverMetadata: "server_metadata"
        case .metrics: "metrics"
        case .graph: "graph"
        @unknown default: "\(self)"
        }
    }

    /// The `route` label of requests no endpoint matched (404, 405).
    static let unmatchedLabel = "unmatched"
}
