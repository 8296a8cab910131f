public import ServingGraph

/// Reads a feature set's entities as they were at a past instant T, from the offline event log (time travel:
/// `serve features --as-of`, the `as_of` of `POST /v2/feature-vectors/{vec}/online`).
///
/// Each entity is computed exactly as a training row for T is (``TrainingSetBuilder``, ``PointInTimeReplay``):
/// the key's events with `event_ts <= T`, in ingestion order, through the set's ``FeatureSetAggregator``, read
/// at T with the online read's row code. Plain features are the latest event at or before T (ties to the later
/// arrival, none within the ttl: absent); aggregation columns are the windows ending at T. Nothing is imputed:
/// the running statistics imputing reads are those of now, which would leak the future into the past.
///
/// ```swift
/// let reader = try TimeTravelReader(store: OfflineStoreReader(path: "features.db"))
/// let row = try reader.row(featureSet: "transactions", key: EntityKey(parts: ["a"]), at: t)
/// ```
///
/// Confined to one thread, as its ``OfflineStoreReader``.
public final class TimeTravelReader {
    private let store: OfflineStoreReader
    private var definitions: [String: FeatureSetDefinition]
    private var compiled: [String: RegisteredFeatureSet] = [:]

    /// A reader over `store`; reads its catalog of feature-set definitions once.
    public init(store: OfflineStoreReader) throws {
        self.store = store
        definitions = Dictionary(
            try store.featureSets().map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The stored definition of feature set `name`; throws ``OnlineStoreError/unknownFeatureSet(name:)``.
    public func definition(of name: String) throws(OnlineStoreError) -> FeatureSetDefinition {
        guard let definition = definitions[name] else { throw .unknownFeatureSet(name: name) }
        return definition
    }

    /// The entity `key` of `featureSet` as of `time` (epoch ms): its plain features then its aggregation
    /// columns (only `features`, in that order, when given), or nil when no event of it has `event_ts <= time`.
    public func row(featureSet: String, key: EntityKey, at time: Int64, features: [String]? = nil) throws
        -> ValueObject?
    {
        let set = try registered(featureSet)
        let events = try store.events(featureSet: featureSet, key: key, upTo: time, decoder: set.decoder)
        return replayed(set, events, at: time, features: features)
    }

    /// The row of a key whose `events` (up to `time`, in ingestion order) were read: as ``row(featureSet:key:at:features:)``.
    private func replayed(_ set: RegisteredFeatureSet, _ events: [FeatureEvent], at time: Int64, features: [String]?)
        -> ValueObject?
    {
        var replay = PointInTimeReplay(set: set, events: events)
        return replay.row(at: time, lastVisible: time, features: features)
    }

    /// Calls `body` with every entity of `featureSet` that has an event with `event_ts <= time`, in key order,
    /// and its row as of `time` (as ``row(featureSet:key:at:features:)``). Streams: one key's events in memory
    /// at a time, plus the log's few rows above the index's mark (read once, not once per key).
    public func forEachEntity(
        featureSet: String, at time: Int64, features: [String]? = nil,
        _ body: (_ key: EntityKey, _ row: ValueObject) throws -> Void
    ) throws {
        _ = try registered(featureSet)
        let keys = try store.connection.prepare(
            sql: """
                SELECT entity_key FROM event_log_keys
                WHERE feature_set = ?1 AND event_ts_ms <= ?2 AND seq <= \(StoreStatements.logIndexMarkSQL)
                UNION
                SELECT entity_key FROM event_log_keys_recent
                WHERE run IN \(StoreStatements.liveRunsSQL) AND feature_set = ?1 AND event_ts_ms <= ?2
                UNION
                SELECT entity_key FROM event_log NOT INDEXED
                WHERE seq > \(StoreStatements.logIndexMarkSQL) AND feature_set = ?1 AND event_ts_ms <= ?2
                ORDER BY 1
                """)
        try keys.bind(featureSet, at: 1)
        try keys.bind(time, at: 2)
        let set = try registered(featureSet)
        // The log's rows above the index's mark, read once (not scanned again per key); while `keys` is stepping,
        // every statement of the connection reads the same snapshot.
        var unindexed: [String: [FeatureEvent]]?
        while try keys.step() {
            let key = EntityKey(encoded: keys.text(at: 0))
            let tail = try unindexed ?? store.unindexedEvents(featureSet: featureSet, upTo: time, decoder: set.decoder)
            unindexed = tail
            let events = try store.events(
                featureSet: featureSet, key: key, upTo: time, decoder: set.decoder, unindexed: tail)
            guard let row = replayed(set, events, at: time, features: features) else { continue }
            try body(key, row)
        }
    }

    private func registered(_ name: String) throws(OnlineStoreError) -> RegisteredFeatureSet {
        if let set = compiled[name] { return set }
        let set = RegisteredFeatureSet(try definition(of: name))
        compiled[name] = set
        return set
    }
}

@available(*, unavailable)
extension TimeTravelReader: Sendable {}
