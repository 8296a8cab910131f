import FeatureEnrich
import Foundation
import ServingGraph

/// Wires a configuration to an HTTP server: loads and validates the graph and its models before
/// binding, builds one graph and responder per loop, starts, logs readiness, handles SIGTERM/SIGINT
/// and blocks until the server has stopped.
///
/// Models load once (each model's `load()` runs on the start-up graph's instance) and are shared by
/// every loop's graph through a ``ModelCatalog``. With `loadInBackground` the port is bound first and
/// `/v2/health/ready` answers 503 until every model has loaded.
package final class ServerApplication: Sendable {
    private let configuration: ServeConfiguration
    private let server: HTTPServer
    private let readiness = ServerReadiness()
    private let catalog = ModelCatalog(loadsOnFirstUse: false)
    /// What `GET /metrics` reports, summed over the loops.
    private let metrics = ServerMetrics()
    private let logger = Logger(label: "serve")
    /// The graph built at start-up: its models' `load()` runs on it; kept until loading has finished.
    private let startupGraph: StartupGraph?
    /// The online store, when feature sets are configured.
    private let store: SQLiteOnlineStore?

    /// Reads the graph, builds it once and loads its models (unless in the background); throws before any port is bound.
    package init(configuration: ServeConfiguration) throws {
        self.configuration = configuration
        let features = try FeatureServing(configuration: configuration)
        self.store = features.store
        let enrichment = features.enrichment
        let readiness = self.readiness
        let catalog = self.catalog
        let metrics = self.metrics
        guard configuration.graphPath != nil || configuration.graphJSON != nil, features.servesGraph else {
            startupGraph = nil
            server = try HTTPServer(configuration: configuration.http, logger: Logger(label: "http")) { _ in
                ServerResponder(
                    readiness: readiness, metrics: metrics, featureStore: features.featureStoreResponder(),
                    enrichment: enrichment)
            }
            metrics.attach(server.counters)
            return
        }
        var loaderConfiguration = configuration
        loaderConfiguration.registry = features.registry(for: configuration)
        let loader = try GraphLoader(configuration: loaderConfiguration)
        for warning in features.splitReadAndUpdateWarnings(loader.spec) { logger.warning(warning) }
        startupGraph = StartupGraph(graph: try loader.build(catalog: catalog))
        if !configuration.loadInBackground {
            if let failure = catalog.loadAll().first {
                throw ApplicationError.modelLoadFailed(model: failure.key, error: failure.error)
            }
        }
        let logger = self.logger
        let mlrunErrors = configuration.mlrunErrors
        let isFlow = loader.spec.kind == .flow
        server = try HTTPServer(configuration: configuration.http, logger: Logger(label: "http")) { index in
            do {
                return ServerResponder(
                    readiness: readiness, graph: try loader.build(catalog: catalog), catalog: catalog,
                    mlrunErrors: mlrunErrors, metrics: metrics, graphServesAllPaths: isFlow,
                    featureStore: features.featureStoreResponder(), enrichment: enrichment)
            } catch {
                logger.error("cannot build the graph for a loop", [("loop", "\(index)"), ("error", "\(error)")])
                return ServerResponder(
                    readiness: readiness, catalog: catalog, metrics: metrics,
                    featureStore: features.featureStoreResponder(), enrichment: enrichment)
            }
        }
        metrics.attach(server.counters)
    }

    /// Binds and starts the loops; returns the bound port. Background model loading starts here.
    package func start() throws -> Int {
        let port = try server.start()
        readiness.set(true)
        if configuration.loadInBackground, let startupGraph {
            let catalog = self.catalog
            let logger = self.logger
            let thread = Thread {
                for failure in catalog.loadAll() {
                    logger.error("model failed to load", [("model", failure.key), ("error", "\(failure.error)")])
                }
                startupGraph.release()
                logger.info("models loaded", [("models", catalog.keys.joined(separator: ","))])
            }
            thread.name = "model-loader"
            thread.start()
        }
        logger.info(
            "ready",
            [
                ("address", "http://\(configuration.http.host):\(port)"), ("loops", "\(configuration.http.loops)"),
                ("models", catalog.keys.joined(separator: ",")),
            ])
        return port
    }

    /// Starts, installs signal handlers, calls `started` with the bound port and blocks until a graceful
    /// shutdown has finished.
    package func run(started: (Int) -> Void = { _ in }) throws {
        server.installSignalHandlers()
        started(try start())
        waitUntilStopped()
        logger.info("stopped")
    }

    /// Begins a graceful shutdown (as SIGTERM does).
    package func shutdown() {
        readiness.set(false)
        server.shutdown()
    }

    /// Blocks until every loop has exited.
    package func waitUntilStopped() {
        server.waitUntilStopped()
        store?.close()
    }

    /// The models of the served graph and their states.
    package var models: [(key: String, state: ModelState)] { catalog.states }
}

/// The start-up graph, held until its models have loaded. `@unchecked Sendable`: it is built on the
/// thread that creates the application and afterwards only released, never run; its models'
/// `load()` calls go through the catalog, which runs each once.
private final class StartupGraph: @unchecked Sendable {
    private var graph: CompiledGraph?

    init(graph: CompiledGraph) {
        self.graph = graph
    }

    func release() {
        graph = nil
    }
}
