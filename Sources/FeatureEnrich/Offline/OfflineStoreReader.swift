import ServingGraph

/// Read access to the offline half of a store file: the registered feature-set definitions (the catalog)
/// and each entity's logged events in ingestion order (`event_log`, see ``StoreSchema``).
///
/// Opens its own read-only connection (WAL: never blocks the store writer). Confined to one thread.
public final class OfflineStoreReader {
    /// The store file.
    public let path: String
    let connection: SQLiteConnection

    /// Opens the store at `path` read-only; it must exist and have this build's schema (a writer migrates it).
    public init(path: String) throws {
        self.path = path
        connection = try SQLiteConnection(path: path, configuration: .readOnly)
        let found = try SchemaMigrator.currentVersion(connection)
        let latest = StoreSchema.migrator.latestVersion
        if found > latest {
            throw SchemaMigrationError.databaseNewerThanCode(path: path, found: found, supported: latest)
        }
        if found < latest {
            throw SchemaMigrationError.databaseOlderThanCode(path: path, found: found, needed: latest)
        }
    }

    /// Every registered feature-set definition, by name order.
    public func featureSets() throws -> [FeatureSetDefinition] {
        var result: [FeatureSetDefinition] = []
        for row in try connection.query("SELECT name, definition FROM feature_sets ORDER BY name") {
            guard row.count == 2, let name = row[0].textValue, let json = row[1].textValue else { continue }
            do {
                result.append(try FeatureSetDefinition(jsonText: json))
            } catch {
                throw OnlineStoreError.storedDefinitionUnreadable(name: name, reason: error.description)
            }
        }
        return result
    }

    /// The events of entity `key` in `featureSet` with `event_ts <= upTo`, decoded, in ingestion order.
    func events(
        featureSet: String, key: EntityKey, upTo time: Int64, decoder: FeatureEventDecoder
    ) throws -> [FeatureEvent] {
        try keyEvents(Self.keyEventsSQL, featureSet: featureSet, key: key, upTo: time, decoder: decoder)
    }

    /// The events of `featureSet` above the log index's mark with `event_ts <= upTo`, decoded, by entity key, each
    /// in ingestion order: what every per-key read would scan the log for, read once for a pass over many keys
    /// (``events(featureSet:key:upTo:decoder:unindexed:)``, in the same read transaction).
    func unindexedEvents(
        featureSet: String, upTo time: Int64, decoder: FeatureEventDecoder
    ) throws -> [String: [FeatureEvent]] {
        let statement = try connection.cachedStatement(
            sql: """
                SELECT seq, entity_key, event FROM event_log NOT INDEXED
                WHERE seq > \(StoreStatements.logIndexMarkSQL) AND feature_set = ?1 AND event_ts_ms <= ?2 ORDER BY seq
                """)
        defer { statement.reset() }
        try statement.bind(featureSet, at: 1)
        try statement.bind(time, at: 2)
        var events: [String: [FeatureEvent]] = [:]
        while try statement.step() {
            do {
                events[statement.text(at: 1), default: []].append(try decoder.decodeLogged(statement, at: 2))
            } catch {
                throw TrainingSetError.unreadableEvent(
                    featureSet: featureSet, seq: statement.int64(at: 0), reason: "\(error)")
            }
        }
        return events
    }

    /// As ``events(featureSet:key:upTo:decoder:)``, with the events above the log index's mark taken from
    /// `unindexed` (read by ``unindexedEvents(featureSet:upTo:decoder:)`` in the same read transaction) instead of a
    /// scan of the log: the index's events come first (every `seq` up to the mark), then those.
    func events(
        featureSet: String, key: EntityKey, upTo time: Int64, decoder: FeatureEventDecoder,
        unindexed: [String: [FeatureEvent]]
    ) throws -> [FeatureEvent] {
        var events = try keyEvents(
            Self.indexedKeyEventsSQL, featureSet: featureSet, key: key, upTo: time, decoder: decoder)
        events.append(contentsOf: unindexed[key.encoded] ?? [])
        return events
    }

    /// A key's events by `sql` (columns `seq`, `event`; bound feature set, key and time), decoded, in its order.
    private func keyEvents(
        _ sql: String, featureSet: String, key: EntityKey, upTo time: Int64, decoder: FeatureEventDecoder
    ) throws -> [FeatureEvent] {
        let statement = try connection.cachedStatement(sql: sql)
        defer { statement.reset() }
        try statement.bind(featureSet, at: 1)
        try statement.bind(key.encoded, at: 2)
        try statement.bind(time, at: 3)
        var events: [FeatureEvent] = []
        while try statement.step() {
            do {
                events.append(try decoder.decodeLogged(statement, at: 1))
            } catch {
                throw TrainingSetError.unreadableEvent(
                    featureSet: featureSet, seq: statement.int64(at: 0), reason: "\(error)")
            }
        }
        return events
    }

    /// A key's events up to a time (feature set, key, time: 1, 2, 3) from the index up to its mark and from the
    /// log above it, in one statement (one snapshot), in `seq` order.
    private static let keyEventsSQL = """
        \(indexedKeyEventsArm)
        UNION ALL
        SELECT seq, event FROM event_log NOT INDEXED
        WHERE seq > \(StoreStatements.logIndexMarkSQL) AND feature_set = ?1 AND entity_key = ?2
        AND event_ts_ms <= ?3
        ORDER BY 1
        """

    /// ``keyEventsSQL``'s first half: the key's events the index holds, up to its mark, in `seq` order.
    private static let indexedKeyEventsSQL = indexedKeyEventsArm + " ORDER BY 1"

    /// The key's events up to a time that the index holds, up to its mark, from its main table and its recent runs
    /// (feature set, key, time: 1, 2, 3).
    private static let indexedKeyEventsArm = StoreStatements.indexedKeyEventsSQL(where: "k.event_ts_ms <= ?3")
}

extension OfflineStoreReader {
    /// Calls `body` with every event of `featureSet` with `from <= event_ts < to`, in ingestion order.
    func forEachEvent(
        featureSet: String, from: Int64, to: Int64, decoder: FeatureEventDecoder, _ body: (FeatureEvent) -> Void
    ) throws {
        let statement = try connection.prepare(
            sql:
                "SELECT seq, event FROM event_log WHERE feature_set = ? AND event_ts_ms >= ? AND event_ts_ms < ? ORDER BY seq"
        )
        try statement.bind(featureSet, at: 1)
        try statement.bind(from, at: 2)
        try statement.bind(to, at: 3)
        while try statement.step() {
            do {
                body(try decoder.decodeLogged(statement, at: 1))
            } catch {
                throw TrainingSetError.unreadableEvent(
                    featureSet: featureSet, seq: statement.int64(at: 0), reason: "\(error)")
            }
        }
    }
}
