// MARK: - Entity states, their `through_seq` and the flush marks (schema migration 6)

extension StoreStatements {
    /// A stored state and the highest `event_log.seq` it includes: its row's `through_seq` or the feature set's
    /// flush mark, whichever is higher (every event of the key up to it is in the state).
    struct StoredState {
        let bytes: [UInt8]
        let throughSeq: Int64
    }

    /// The stored state of one entity, or nil when it has none.
    static func loadState(_ connection: SQLiteConnection, featureSet: String, key: String) throws -> StoredState? {
        let statement = try connection.cachedStatement(
            sql: """
                SELECT state, MAX(through_seq, COALESCE(
                    (SELECT through_seq FROM state_flush_marks WHERE state_flush_marks.feature_set = entity_state.feature_set),
                    0))
                FROM entity_state WHERE feature_set = ? AND entity_key = ?
                """)
        defer { statement.reset() }
        try statement.bind(featureSet, at: 1)
        try statement.bind(key, at: 2)
        guard try statement.step() else { return nil }
        return StoredState(bytes: statement.blob(at: 0), throughSeq: statement.int64(at: 1))
    }

    /// Calls `body` with every (entity key, serialized state) of `featureSet`, in key order, until it returns
    /// false.
    static func forEachState(
        _ connection: SQLiteConnection, featureSet: String, _ body: (String, [UInt8]) throws -> Bool
    ) throws {
        let statement = try connection.cachedStatement(
            sql: "SELECT entity_key, state FROM entity_state WHERE feature_set = ? ORDER BY entity_key")
        defer { statement.reset() }
        try statement.bind(featureSet, at: 1)
        while try statement.step() {
            guard try body(statement.text(at: 0), statement.blob(at: 1)) else { return }
        }
    }

    /// Inserts or replaces the state of one entity, which includes every event of `key` up to `throughSeq`; a row
    /// that already includes later events is kept (within one store a key's `through_seq` only grows; a row
    /// brought further by another process, such as `serve ingest` or an open-time replay, is not set back).
    static func upsertState(
        _ connection: SQLiteConnection, featureSet: String, key: String, state: [UInt8], throughSeq: Int64,
        now: Int64
    ) throws {
        let statement = try connection.cachedStatement(sql: upsertStateSQL)
        try statement.bind(featureSet, at: 1)
        try statement.bind(key, at: 2)
        try statement.bind(bytes: state, at: 3)
        try statement.bind(now, at: 4)
        try statement.bind(throughSeq, at: 5)
        defer { statement.reset() }
        while try statement.step() {}
    }

    static let upsertStateSQL = """
        INSERT INTO entity_state(feature_set, entity_key, state, updated_at_ms, through_seq) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(feature_set, entity_key) DO UPDATE SET state = excluded.state,
        updated_at_ms = excluded.updated_at_ms, through_seq = excluded.through_seq
        WHERE excluded.through_seq >= entity_state.through_seq
        """

    /// Inserts or replaces the states of many entities with one statement (batch ingestion), binding each key
    /// and state without a copy; each includes every event of its key up to `throughSeq`.
    static func upsertStates(
        _ connection: SQLiteConnection, featureSet: String, now: Int64, throughSeq: Int64,
        states: [(key: String, state: [UInt8])]
    ) throws {
        let statement = try connection.cachedStatement(sql: upsertStateSQL)
        defer {
            statement.reset()
            statement.clearBindings()
        }
        try statement.bind(featureSet, at: 1)
        try statement.bind(now, at: 4)
        try statement.bind(throughSeq, at: 5)
        for (key, state) in states {
            var key = key
            try key.withUTF8 { key in
                try state.withUnsafeBytes { state in
                    try statement.bind(borrowedUTF8: UnsafeRawBufferPointer(key), at: 2)
                    try statement.bind(borrowedBytes: state, at: 3)
                    while try statement.step() {}
                    statement.reset()
                    // The borrowed bytes die with these closures.
                    try statement.bindNull(at: 2)
                    try statement.bindNull(at: 3)
                }
            }
        }
    }

    /// The highest `event_log.seq` (0 for an empty log).
    static func maxSeq(_ connection: SQLiteConnection) throws -> Int64 {
        let statement = try connection.cachedStatement(sql: "SELECT COALESCE(MAX(seq), 0) FROM event_log")
        defer { statement.reset() }
        guard try statement.step() else { return 0 }
        return statement.int64(at: 0)
    }

    /// The flush mark of `featureSet`, or nil when it has none (then no event of it is known to be included).
    static func flushMark(_ connection: SQLiteConnection, featureSet: String) throws -> Int64? {
        let statement = try connection.cachedStatement(
            sql: "SELECT through_seq FROM state_flush_marks WHERE feature_set = ?")
        defer { statement.reset() }
        try statement.bind(featureSet, at: 1)
        guard try statement.step() else { return nil }
        return statement.int64(at: 0)
    }

    /// Sets the flush mark of `featureSet`: every event of it up to `throughSeq` is in its key's stored state.
    static func setFlushMark(_ connection: SQLiteConnection, featureSet: String, throughSeq: Int64) throws {
        try connection.cachedStatement(
            sql: """
                INSERT INTO state_flush_marks(feature_set, through_seq) VALUES (?, ?)
                ON CONFLICT(feature_set) DO UPDATE SET through_seq = excluded.through_seq
                """
        ).execute([.text(featureSet), .integer(throughSeq)])
    }

    /// Raises the stored state of `key` to `throughSeq` without changing it (its row already holds every event
    /// of the key the online state includes; the ones up to `throughSeq` it lacks are offline-only). No row: no-op.
    static func raiseThroughSeq(
        _ connection: SQLiteConnection, featureSet: String, key: String, to throughSeq: Int64
    ) throws {
        try connection.cachedStatement(
            sql: """
                UPDATE entity_state SET through_seq = ?3
                WHERE feature_set = ?1 AND entity_key = ?2 AND through_seq < ?3
                """
        ).execute([.text(featureSet), .text(key), .integer(throughSeq)])
    }

    /// Lowers every `through_seq` (and the log index mark) above `maxSeq` to it (after the event log lost its newest rows, so their `seq`s
    /// are not taken again as if included).
    static func clampThroughSeq(_ connection: SQLiteConnection, to maxSeq: Int64) throws {
        try connection.cachedStatement(sql: "UPDATE entity_state SET through_seq = ?1 WHERE through_seq > ?1")
            .execute([.integer(maxSeq)])
        try connection.cachedStatement(sql: "UPDATE state_flush_marks SET through_seq = ?1 WHERE through_seq > ?1")
            .execute([.integer(maxSeq)])
        try connection.cachedStatement(sql: "UPDATE log_index_mark SET through_seq = ?1 WHERE through_seq > ?1")
            .execute([.integer(maxSeq)])
    }

    /// A statement over the logged events of `featureSet` with a `seq` above a bound, in `seq` order (a range of
    /// the rowid, not the index): columns `seq`, `entity_key`, `event`; bind feature set and bound (1, 2).
    static let setEventsAfterSQL = """
        SELECT seq, entity_key, event FROM event_log NOT INDEXED WHERE feature_set = ? AND seq > ? ORDER BY seq
        """
}
