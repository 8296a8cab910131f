import ServingGraph

// MARK: - Registering definitions and rebuilding from the event log

extension SQLiteOnlineStore {
    /// Registers `definition` (writer thread, inside the open transaction). A stored definition with another
    /// identity hash is registered as a new version when its state hash is the same (only validators changed);
    /// otherwise it is refused, or with `rebuild` recomputed from `event_log` and replaced.
    static func register(_ definition: FeatureSetDefinition, rebuild: Bool, connection: SQLiteConnection) throws {
        let now = StoreWriterLoop.nowMilliseconds()
        guard let stored = try StoreStatements.registeredDefinition(connection, featureSet: definition.name) else {
            try StoreStatements.register(connection, definition, now: now)
            // No state of a new set exists: nothing logged so far is behind one.
            try StoreStatements.setFlushMark(
                connection, featureSet: definition.name, throughSeq: StoreStatements.maxSeq(connection))
            return
        }
        guard stored.hash != StoreStatements.hashText(definition) else { return }
        let previous: FeatureSetDefinition
        do {
            previous = try FeatureSetDefinition(jsonText: stored.json)
        } catch {
            throw OnlineStoreError.storedDefinitionUnreadable(name: definition.name, reason: error.description)
        }
        if previous.definitionHash == definition.definitionHash {
            // Only validators, the policy or the retention changed: a new catalog version, the state stays valid.
            try StoreStatements.register(connection, definition, now: now)
            return
        }
        guard rebuild else {
            let differences = definition.differences(from: previous)
            throw OnlineStoreError.definitionChanged(
                name: definition.name, differences: differences.isEmpty ? ["definition hash changed"] : differences)
        }
        let summary = try rebuildState(of: definition, connection: connection, now: now)
        try StoreStatements.register(connection, definition, now: now)
        FeatureEnrich.logger.info(
            "rebuilt feature set from the event log",
            [("feature_set", definition.name), ("events", String(summary.events)), ("keys", String(summary.keys))])
    }

    /// Replaces every entity state and the statistics of `definition` with those recomputed from its event-log
    /// rows in ingestion order; rows whose entity key encodes differently under the new entities are re-keyed.
    /// The states include the whole log: their `through_seq` and the set's flush mark are its `MAX(seq)`.
    static func rebuildState(
        of definition: FeatureSetDefinition, connection: SQLiteConnection, now: Int64
    ) throws -> (events: Int, keys: Int) {
        let name = definition.name
        let set = RegisteredFeatureSet(definition)
        try connection.cachedStatement(sql: "DELETE FROM entity_state WHERE feature_set = ?").execute([.text(name)])
        try connection.cachedStatement(sql: "DELETE FROM feature_stats WHERE feature_set = ?").execute([.text(name)])
        var states: [String: EntityState] = [:]
        var statistics = Array(repeating: FeatureStatistics(), count: set.statisticsColumns.count)
        var rekeyed: [(seq: Int64, key: String, old: String, time: Int64)] = []
        var events = 0
        let emptyState = set.aggregator.makeState()
        // A statement of its own: the loop below uses cached statements of the same connection.
        let rows = try connection.prepare(
            sql: "SELECT seq, entity_key, event, event_ts_ms FROM event_log WHERE feature_set = ? ORDER BY seq")
        try rows.bind(name, at: 1)
        while try rows.step() {
            let seq = rows.int64(at: 0)
            let event = try decode(rows, eventColumn: 2, seq: seq, set)
            let stored = rows.text(at: 1)
            if event.key.encoded != stored { rekeyed.append((seq, event.key.encoded, stored, rows.int64(at: 3))) }
            apply(event, set, to: &states[event.key.encoded, default: emptyState])
            for (index, column) in set.statisticsColumns.enumerated() {
                RegisteredFeatureSet.observe(
                    column.source, in: event.aggregationValues, event.featureValues, into: &statistics[index])
            }
            events += 1
        }
        let maxSeq = try StoreStatements.maxSeq(connection)
        for (key, state) in states {
            try StoreStatements.upsertState(
                connection, featureSet: name, key: key, state: state.serialized(), throughSeq: maxSeq, now: now)
        }
        try StoreStatements.setFlushMark(connection, featureSet: name, throughSeq: maxSeq)
        for (column, value) in zip(set.statisticsColumns, statistics) {
            try StoreStatements.mergeStatistics(connection, featureSet: name, feature: column.name, value)
        }
        for row in rekeyed {
            try connection.cachedStatement(sql: "UPDATE event_log SET entity_key = ? WHERE seq = ?")
                .execute([.text(row.key), .integer(row.seq)])
            try connection.cachedStatement(
                sql: """
                    UPDATE event_log_keys SET entity_key = ?1
                    WHERE feature_set = ?2 AND entity_key = ?3 AND event_ts_ms = ?4 AND seq = ?5
                    """
            ).execute([.text(row.key), .text(name), .text(row.old), .integer(row.time), .integer(row.seq)])
        }
        return (events, states.count)
    }
}
