package import ServingGraph

/// Everything `serve run` needs to start: HTTP settings, logging and what to serve.
package struct ServeConfiguration: Sendable {
    /// Listener, loops and limits of the HTTP server.
    package var http = HTTPServerConfiguration()
    /// Minimum level of log lines.
    package var logLevel: LogLevel = .info
    /// A graph file to serve; `nil` serves only health and metadata.
    package var graphPath: String?
    /// Feature-set definition files served by the online store (`--feature-set`, repeatable); none: no store.
    package var featureSetPaths: [String] = []
    /// The SQLite file of the online store (`--store`); default `features.db`.
    package var storePath = "features.db"
    /// Recompute a feature set's state from the event log when its stored definition differs (`--rebuild`).
    package var rebuildStore = false

    package init() {}
}
