import FeatureEnrich
import Foundation
import ServingGraph

/// The feature side of a served configuration, opened before any graph is built or port bound: the online store
/// of the configured feature sets (`--feature-set` files and the service file's `feature_sets`), the service
/// file's feature vectors resolved against it, and what serves them (responders, graph steps). Shared by
/// ``ServerApplication`` and ``InProcessServer``, so `serve test` answers a service file as `serve run` does.
struct FeatureServing: Sendable {
    /// The online store; nil when no feature set is configured.
    let store: SQLiteOnlineStore?
    /// Online feature services by vector name (for `EnrichWithFeatures` and the enrichment routers).
    let services: [String: OnlineFeatureService]
    /// The feature-vector and Feast endpoints.
    let enrichment: EnrichmentResponder
    /// The `--feature-vector` files (the offline vector endpoint).
    let offlineVectors: [FeatureVectorDefinition]
    /// False when the service file has feature sections but no graph (only the feature endpoints are served).
    let servesGraph: Bool

    /// Opens the store and resolves the vectors; errors name the file, vector and feature.
    init(configuration: ServeConfiguration) throws {
        let sections = try configuration.graphPath.map(EnrichmentConfiguration.init) ?? .init()
        let definitions =
            try configuration.featureSetPaths.map { try FeatureSetDefinition(contentsOfFile: $0) }
            + sections.featureSets
        var storeConfiguration = OnlineStoreConfiguration()
        if let interval = configuration.stateFlushIntervalMilliseconds {
            storeConfiguration.stateFlushIntervalMilliseconds = interval
        }
        let store =
            definitions.isEmpty
            ? nil
            : try SQLiteOnlineStore(
                path: configuration.storePath, featureSets: definitions, rebuild: configuration.rebuildStore,
                configuration: storeConfiguration)
        var services: [String: OnlineFeatureService] = [:]
        do {
            if let store, configuration.warmCache { try Self.warm(store) }
            for definition in sections.featureVectors {
                let resolved = try definition.resolve(featureSets: store?.featureSets ?? [])
                guard let store else { throw OnlineFeatureError.unknownVector(name: definition.name) }
                services[definition.name] = try OnlineFeatureService(vector: resolved, store: store)
            }
            offlineVectors = try configuration.featureVectorPaths.map {
                try FeatureVectorDefinition(contentsOfFile: $0)
            }
        } catch {
            store?.close()
            throw error
        }
        self.store = store
        self.services = services
        self.servesGraph = sections.servesGraph
        self.enrichment = EnrichmentResponder(
            vectors: FeatureVectorEndpoints(services: services),
            feast: FeastResponder(
                store: store, featureServices: sections.featureServices, pushSources: sections.pushSources))
    }

    /// Preloads `store`'s entity states into memory and logs how many and how long it took.
    private static func warm(_ store: SQLiteOnlineStore) throws {
        let clock = ContinuousClock()
        let start = clock.now
        let loaded = try store.warmCache()
        let elapsed = start.duration(to: clock.now)
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        Logger(label: "serve").info(
            "warmed the online store cache",
            [("states", String(loaded)), ("milliseconds", String(milliseconds))])
    }

    /// A responder for the `/v2/feature-sets` and offline vector endpoints (one per loop).
    func featureStoreResponder() -> FeatureStoreResponder {
        FeatureStoreResponder(store: store, vectors: offlineVectors)
    }

    /// The configured registry (default: the built-in steps and models, model paths relative to the graph
    /// file) with the enrichment steps and routers over this store and these vectors.
    func registry(for configuration: ServeConfiguration) -> StepRegistry {
        var registry =
            configuration.registry
            ?? .serving(
                baseDirectory: configuration.graphPath.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
            )
        registry.registerEnrichment(services: services, store: store)
        registry.registerEnrichmentRouters(services: services)
        return registry
    }

    /// One warning per `EnrichWithFeatures` step of `spec` that runs before (an ancestor by `after` links) an
    /// `UpdateAggregates` step of a feature set its vector reads: that fetch and that update are two operations,
    /// so a concurrent request on the same key can slip in between (docs/ENRICHMENT.md). The atomic form is
    /// `UpdateAggregates` with `"update": "after_fetch"` placed before the enrichment.
    func splitReadAndUpdateWarnings(_ spec: GraphSpec) -> [String] {
        let steps = Dictionary(spec.steps.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var warnings: [String] = []
        for update in spec.steps where update.className == "UpdateAggregates" {
            guard let featureSet = update.classArgs["feature_set"]?.stringValue else { continue }
            var visited: Set<String> = [update.name]
            var pending = update.after
            while let name = pending.popLast() {
                guard visited.insert(name).inserted, let step = steps[name] else { continue }
                pending.append(contentsOf: step.after)
                guard step.className == "EnrichWithFeatures", let vector = step.classArgs["vector"]?.stringValue,
                    let service = services[vector],
                    service.vector.featureSets.contains(where: { $0.name == featureSet })
                else { continue }
                warnings.append(
                    "\(step.path) reads feature set '\(featureSet)' before \(update.path) updates it: the fetch and "
                        + "the update are not atomic; place \(update.path) first with \"update\": \"after_fetch\"")
            }
        }
        return warnings
    }
}
