package import ServingGraph

/// Everything `serve run` needs to start: HTTP settings, logging and what to serve.
package struct ServeConfiguration: Sendable {
    /// Listener, loops and limits of the HTTP server.
    package var http = HTTPServerConfiguration()
    /// Minimum level of log lines.
    package var logLevel: LogLevel = .info
    /// A graph file to serve; `nil` serves only health and metadata.
    package var graphPath: String?
    /// A graph given directly as JSON text (used instead of `graphPath` when set).
    package var graphJSON: String?
    /// Classes graph files may name; default ``StepRegistry/serving(baseDirectory:)`` for the graph's folder.
    package var registry: StepRegistry?
    /// Load models after binding (ready says 503 until loaded) instead of before. Default false.
    package var loadInBackground = false
    /// Answer every error of a model path as MLRun does: 400 `text/plain` `<Type>: <message>`
    /// (instead of 400/404/500/503/504 with `{"error"}`). Default false.
    package var mlrunErrors = false
    /// Feature-set definition files served by the online store (`--feature-set`, repeatable); none: no store.
    package var featureSetPaths: [String] = []
    /// Feature-vector files served by `POST /v2/feature-vectors/{vec}/offline` (`--feature-vector`, repeatable).
    package var featureVectorPaths: [String] = []
    /// The SQLite file of the online store (`--store`); default `features.db`.
    package var storePath = "features.db"
    /// Recompute a feature set's state from the event log when its stored definition differs (`--rebuild`).
    package var rebuildStore = false
    /// Preload the stored entity states into memory, up to its capacity, before serving (`--warm-cache`);
    /// default true.
    package var warmCache = true
    /// Longest time entity states wait behind the event log before they are written (`--state-flush-interval`);
    /// nil: the store's default (``OnlineStoreConfiguration/stateFlushIntervalMilliseconds``).
    package var stateFlushIntervalMilliseconds: Int?

    /// The defaults: no graph, models loaded before binding.
    package init() {}
}
