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
        let store =
            definitions.isEmpty
            ? nil
            : try SQLiteOnlineStore(
                path: configuration.storePath, featureSets: definitions, rebuild: configuration.rebuildStore)
        var services: [String: OnlineFeatureService] = [:]
        do {
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
}
