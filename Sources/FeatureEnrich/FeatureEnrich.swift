import ServingGraph

/// Namespace of the feature-store side: feature sets, aggregations, online store, ingestion.
public enum FeatureEnrich {
    /// Logger for the feature store.
    static let logger = Logger(label: "store")
}
