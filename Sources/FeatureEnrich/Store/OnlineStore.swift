public import ServingGraph

/// An online feature store: ingests events into feature sets and serves each entity's latest features and
/// windowed aggregates (DESIGN.md, "Online store"). ``SQLiteOnlineStore`` is the embedded implementation.
///
/// Every method may be called from any thread. `ingest` never blocks on storage: its completion fires after
/// the events are durable.
public protocol OnlineStore: Sendable {
    /// The feature sets the store serves, in registration order.
    var featureSets: [FeatureSetDefinition] { get }

    /// Validates every event of `events` for `featureSet`, then applies them all and calls `completion` with
    /// their count once they are committed, together (or with the failure: then none is). Throws
    /// ``OnlineStoreError`` at once, before applying anything, for an unknown feature set, an invalid event or an
    /// event its feature validators reject (policy `reject`; see ``ValidationPolicy``).
    /// With an `eventID` seen within the horizon the earlier count is answered and nothing is ingested again.
    func ingest(
        _ events: [Value], into featureSet: String, eventID: String?,
        completion: @escaping @Sendable (Result<Int, any Error>) -> Void
    ) throws(OnlineStoreError)

    /// The plain features and aggregation columns of one entity as of `time` (epoch ms; nil = now), windows
    /// aged to that time; only `features` (in that order) when given. Nil for an entity never ingested.
    func read(featureSet: String, key: EntityKey, features: [String]?, at time: Int64?) throws -> ValueObject?
}

extension OnlineStore {
    /// ``ingest(_:into:eventID:completion:)`` without an event id.
    public func ingest(
        _ events: [Value], into featureSet: String, completion: @escaping @Sendable (Result<Int, any Error>) -> Void
    ) throws(OnlineStoreError) {
        try ingest(events, into: featureSet, eventID: nil, completion: completion)
    }

    /// ``ingest(_:into:eventID:completion:)`` that blocks the calling thread until the commit (for the CLI and tests;
    /// never call it from an event loop).
    public func ingestAndWait(_ events: [Value], into featureSet: String, eventID: String? = nil) throws -> Int {
        let outcome = BlockingOutcome<Int>()
        try ingest(events, into: featureSet, eventID: eventID) { outcome.report($0) }
        return try outcome.wait().get()
    }
}
