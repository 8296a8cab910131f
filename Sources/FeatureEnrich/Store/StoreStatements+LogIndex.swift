// MARK: - The event log's key index, written behind the log (schema migration 7)

extension StoreStatements {
    /// The highest `seq` up to which every `event_log` row has its `event_log_keys` row, as a scalar subquery.
    static let logIndexMarkSQL = "(SELECT through_seq FROM log_index_mark)"

    /// The complete runs of `event_log_keys_recent` (listed, up to the mark), as a subquery for `run IN (...)`: one
    /// index seek per run.
    static let liveRunsSQL = "(SELECT run FROM log_key_runs WHERE run <= \(logIndexMarkSQL))"

    /// A statement over the (feature set, key, time, seq) of logged events matching `predicate` (columns
    /// `feature_set`, `entity_key`, `event_ts_ms`, `seq` only): `event_log_keys` up to the mark, the recent runs up to
    /// it, then the log's rows above it (a range of the rowid), selecting `columns`. One statement reads one
    /// snapshot: an event is seen exactly once however the writer moves the mark or merges runs meanwhile (a merge
    /// moves rows from a run to `event_log_keys` in one commit). The runs and the log's tail form one arm: ordered,
    /// the main table's rows then pass one merge, not two (a second cost the training-set scan 20 %).
    static func logKeysSQL(columns: String, where predicate: String) -> String {
        """
        SELECT \(columns) FROM event_log_keys WHERE \(predicate) AND seq <= \(logIndexMarkSQL)
        UNION ALL
        SELECT * FROM (
        SELECT \(columns) FROM event_log_keys_recent WHERE run IN \(liveRunsSQL) AND \(predicate)
        UNION ALL
        SELECT \(columns) FROM event_log NOT INDEXED WHERE seq > \(logIndexMarkSQL) AND \(predicate))
        """
    }

    /// The indexed events (`seq`, `event`) of one key (feature set ?1, key ?2) that also match `condition` (on the
    /// key row `k`): `event_log_keys` up to the mark, then the recent runs up to it, unordered. The log's rows
    /// above the mark are the caller's arm.
    static func indexedKeyEventsSQL(where condition: String) -> String {
        """
        SELECT k.seq, e.event FROM event_log_keys AS k JOIN event_log AS e ON e.seq = k.seq
        WHERE k.feature_set = ?1 AND k.entity_key = ?2 AND \(condition) AND k.seq <= \(logIndexMarkSQL)
        UNION ALL
        SELECT k.seq, e.event FROM event_log_keys_recent AS k JOIN event_log AS e ON e.seq = k.seq
        WHERE k.run IN \(liveRunsSQL) AND k.feature_set = ?1 AND k.entity_key = ?2 AND \(condition)
        """
    }

    /// A statement over the logged events of one key of `featureSet` with a `seq` above a bound, unordered (the
    /// caller sorts by `seq`): columns `seq`, `event`; bind feature set, key and bound (1, 2, 3).
    static let keyEventsAfterSQL = """
        \(indexedKeyEventsSQL(where: "k.seq > ?3"))
        UNION ALL
        SELECT seq, event FROM event_log NOT INDEXED
        WHERE seq > MAX(?3, \(logIndexMarkSQL)) AND feature_set = ?1 AND entity_key = ?2
        """

    /// The insert of key rows, up to its `VALUES` (a key row already there is kept).
    private static let insertLogKeysPrefix =
        "INSERT OR IGNORE INTO event_log_keys(feature_set, entity_key, event_ts_ms, seq) VALUES "

    /// The insert of one key row: feature set, key, time, seq (1-4).
    static let insertLogKeySQL = insertLogKeysPrefix + "(?, ?, ?, ?)"

    /// The insert of ``logKeyBlock`` key rows, four parameters each.
    private static let insertLogKeyBlockSQL =
        insertLogKeysPrefix + Array(repeating: "(?, ?, ?, ?)", count: logKeyBlock).joined(separator: ", ")

    /// The insert of recent-run key rows (run first, then as ``insertLogKeySQL``), up to its `VALUES`.
    private static let insertRecentKeysPrefix =
        "INSERT OR IGNORE INTO event_log_keys_recent(run, feature_set, entity_key, event_ts_ms, seq) VALUES "

    /// The insert of one recent-run key row: run, feature set, key, time, seq (1-5).
    private static let insertRecentKeySQL = insertRecentKeysPrefix + "(?, ?, ?, ?, ?)"

    /// The insert of ``logKeyBlock`` recent-run key rows, five parameters each.
    private static let insertRecentKeyBlockSQL =
        insertRecentKeysPrefix + Array(repeating: "(?, ?, ?, ?, ?)", count: logKeyBlock).joined(separator: ", ")

    /// Adds the key row of one logged event (a no-op when it is there already).
    static func insertLogKey(
        _ connection: SQLiteConnection, featureSet: String, key: String, time: Int64, seq: Int64
    ) throws {
        let statement = try connection.cachedStatement(sql: insertLogKeySQL)
        try statement.bind(featureSet, at: 1)
        try statement.bind(key, at: 2)
        try statement.bind(time, at: 3)
        try statement.bind(seq, at: 4)
        defer { statement.reset() }
        while try statement.step() {}
    }

    /// Adds the key rows of `entries` (no-ops for rows already there), in their order, to `event_log_keys` or,
    /// with `run`, to that run of `event_log_keys_recent`: blocks of ``logKeyBlock`` rows per statement, one
    /// statement per row for the rest. A statement per row cost about a third of each row's insert in setting up
    /// and finishing the statement.
    static func insertLogKeys(
        _ connection: SQLiteConnection, featureSets: [String],
        _ entries: [(featureSet: Int, key: String, time: Int64, seq: Int64)], run: Int64? = nil
    ) throws {
        let first = run == nil ? 1 : 2
        let width = first + 3
        var start = 0
        func bind(
            _ statement: PreparedStatement, _ entry: (featureSet: Int, key: String, time: Int64, seq: Int64),
            at column: Int
        )
            throws
        {
            if let run { try statement.bind(run, at: column) }
            try statement.bind(featureSets[entry.featureSet], at: column + first - 1)
            try statement.bind(entry.key, at: column + first)
            try statement.bind(entry.time, at: column + first + 1)
            try statement.bind(entry.seq, at: column + first + 2)
        }
        if entries.count >= logKeyBlock {
            let block = try connection.cachedStatement(sql: run == nil ? insertLogKeyBlockSQL : insertRecentKeyBlockSQL)
            defer { block.reset() }
            while start + logKeyBlock <= entries.count {
                for offset in 0..<logKeyBlock {
                    try bind(block, entries[start + offset], at: offset * width + 1)
                }
                while try block.step() {}
                block.reset()
                start += logKeyBlock
            }
        }
        let single = try connection.cachedStatement(sql: run == nil ? insertLogKeySQL : insertRecentKeySQL)
        defer { single.reset() }
        for entry in entries[start...] {
            try bind(single, entry, at: 1)
            while try single.step() {}
            single.reset()
        }
    }

    /// Key rows per multi-row statement of ``insertLogKeys(_:featureSets:_:)``.
    static let logKeyBlock = 32

    /// The log index mark (0 when the log is empty).
    static func logIndexMark(_ connection: SQLiteConnection) throws -> Int64 {
        let statement = try connection.cachedStatement(sql: "SELECT through_seq FROM log_index_mark")
        defer { statement.reset() }
        guard try statement.step() else { return 0 }
        return statement.int64(at: 0)
    }

    /// Raises the log index mark to `throughSeq` (never lowers it): every row up to it has its key row.
    static func raiseLogIndexMark(_ connection: SQLiteConnection, to throughSeq: Int64) throws {
        try connection.cachedStatement(
            sql: "UPDATE log_index_mark SET through_seq = ?1 WHERE through_seq < ?1"
        ).execute([.integer(throughSeq)])
    }

    /// Completes the key index: moves every recent run's rows into `event_log_keys`, adds the key rows of every
    /// logged event above the mark (below `keyedFrom`, whose rows have theirs: a batch ingestion's), in key order
    /// (SQLite sorts them, spilling to disk if need be), and raises the mark to the log's last row; returns that
    /// `seq`.
    @discardableResult
    static func indexLogTail(_ connection: SQLiteConnection, keyedFrom: Int64 = .max) throws -> Int64 {
        try connection.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO event_log_keys(feature_set, entity_key, event_ts_ms, seq)
                SELECT feature_set, entity_key, event_ts_ms, seq FROM event_log_keys_recent
                ORDER BY feature_set, entity_key, event_ts_ms, seq
                """
        ).execute()
        try connection.cachedStatement(sql: "DELETE FROM event_log_keys_recent").execute()
        try connection.cachedStatement(sql: "DELETE FROM log_key_runs").execute()
        try connection.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO event_log_keys(feature_set, entity_key, event_ts_ms, seq)
                SELECT feature_set, entity_key, event_ts_ms, seq FROM event_log NOT INDEXED
                WHERE seq > \(logIndexMarkSQL) AND seq < ?1 ORDER BY feature_set, entity_key, event_ts_ms, seq
                """
        ).execute([.integer(keyedFrom)])
        let last = try maxSeq(connection)
        try raiseLogIndexMark(connection, to: last)
        return last
    }
}
