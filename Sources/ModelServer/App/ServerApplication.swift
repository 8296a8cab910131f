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
        let enrichmentConfiguration = try configuration.graphPath.map(EnrichmentConfiguration.init) ?? .init()
        let store = try Self.openStore(configuration, extra: enrichmentConfiguration.featureSets)
        self.store = store
        let vectors = try configuration.featureVectorPaths.map { try FeatureVectorDefinition(contentsOfFile: $0) }
        let (enrichment, services) = try Self.enrichment(enrichmentConfiguration, store: store)
        let readiness = self.readiness
        let catalog = self.catalog
        let metrics = self.metrics
        guard configuration.graphPath != nil || configuration.graphJSON != nil, enrichmentConfiguration.servesGraph
        else {
            startupGraph = nil
            server = try HTTPServer(configuration: configuration.http, logger: Logger(label: "http")) { _ in
                ServerResponder(
                    readiness: readiness, metrics: metrics,
                    featureStore: FeatureStoreResponder(store: store, vectors: vectors), enrichment: enrichment)
            }
            metrics.attach(server.counters)
            return
        }
        var loaderConfiguration = configuration
        var registry =
            configuration.registry
            ?? .serving(
                baseDirectory: configuration.graphPath.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
            )
        registry.registerEnrichment(services: services, store: store)
        registry.registerEnrichmentRouters(services: services)
        loaderConfiguration.registry = registry
        let loader = try GraphLoader(configuration: loaderConfiguration)
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
                    featureStore: FeatureStoreResponder(store: store, vectors: vectors), enrichment: enrichment)
            } catch {
                logger.error("cannot build the graph for a loop", [("loop", "\(index)"), ("error", "\(error)")])
                return ServerResponder(
                    readiness: readiness, catalog: catalog, metrics: metrics,
                    featureStore: FeatureStoreResponder(store: store, vectors: vectors), enrichment: enrichment)
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

    /// Opens the online store over the configured feature sets (nil when there are none).
    private static func openStore(_ configuration: ServeConfiguration, extra: [FeatureSetDefinition]) throws
        -> SQLiteOnlineStore?
    {
        let definitions = try configuration.featureSetPaths.map { try FeatureSetDefinition(contentsOfFile: $0) } + extra
        guard !definitions.isEmpty else { return nil }
        return try SQLiteOnlineStore(
            path: configuration.storePath, featureSets: definitions, rebuild: configuration.rebuildStore)
    }

    /// Resolves the service file's feature vectors against the store (errors name the vector and feature).
    private static func enrichment(_ configuration: EnrichmentConfiguration, store: SQLiteOnlineStore?) throws
        -> (EnrichmentResponder, [String: OnlineFeatureService])
    {
        var services: [String: OnlineFeatureService] = [:]
        for definition in configuration.featureVectors {
            let resolved = try definition.resolve(featureSets: store?.featureSets ?? [])
            guard let store else { throw OnlineFeatureError.unknownVector(name: definition.name) }
            services[definition.name] = try OnlineFeatureService(vector: resolved, store: store)
        }
        let responder = EnrichmentResponder(
            vectors: FeatureVectorEndpoints(services: services),
            feast: FeastResponder(
                store: store, featureServices: configuration.featureServices, pushSources: configuration.pushSources))
        return (responder, services)
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
