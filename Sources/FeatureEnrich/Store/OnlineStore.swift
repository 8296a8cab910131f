public import ServingGraph

/// An online feature store: ingests events into feature sets and serves each entity's latest features and
/// windowed aggregates (DESIGN.md, "Online store"). ``SQLiteOnlineStore`` is the embedded implementation.
///
/// Every method may be called from any thread. `ingest` never blocks on storage: its completion fires after
/// the events are durable.
public protocol OnlineStore: Sendable {
    /// The feature sets the store serves, in registration order.
    var featureSets: [FeatureSetDefinition] { get }

    /// Validates every event of `events` for `featureSet`, then applies them and calls `completion` with their
    /// count once all are committed (or with the first failure). Throws ``OnlineStoreError`` at once, before
    /// applying anything, for an unknown feature set or an invalid event.
    func ingest(
        _ events: [Value], into featureSet: String,
        completion: @escaping @Sendable (Result<Int, any Error>) -> Void
    ) throws(OnlineStoreError)

    /// The plain features and aggregation columns of one entity as of `time` (epoch ms; nil = now), windows
    /// aged to that time; only `features` (in that order) when given. Nil for an entity never ingested.
    func read(featureSet: String, key: EntityKey, features: [String]?, at time: Int64?) throws -> ValueObject?
}

extension OnlineStore {
    /// ``ingest(_:into:completion:)`` that blocks the calling thread until the commit (for the CLI and tests;
    /// never call it from an event loop).
    public func ingestAndWait(_ events: [Value], into featureSet: String) throws -> Int {
        let outcome = BlockingOutcome<Int>()
        try ingest(events, into: featureSet) { outcome.report($0) }
        return try outcome.wait().get()
    }
}
