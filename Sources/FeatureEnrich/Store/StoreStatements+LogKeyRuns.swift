// MARK: - The key index's recent runs (schema migration 8)

extension StoreStatements {
    /// Lists the run `run` (the mark its round raises) with its `rows`.
    static func registerRecentRun(_ connection: SQLiteConnection, run: Int64, rows: Int) throws {
        try connection.cachedStatement(sql: "INSERT OR REPLACE INTO log_key_runs(run, rows) VALUES (?, ?)")
            .execute([.integer(run), .integer(Int64(rows))])
    }

    /// The next rows of `run` after `after`, in key order, at most `limit`.
    static func recentKeys(
        _ connection: SQLiteConnection, run: Int64, after: LogKeyRunMerge.Row, limit: Int
    ) throws -> [LogKeyRunMerge.Row] {
        let statement = try connection.cachedStatement(
            sql: """
                SELECT feature_set, entity_key, event_ts_ms, seq FROM event_log_keys_recent
                WHERE run = ?1 AND (feature_set, entity_key, event_ts_ms, seq) > (?2, ?3, ?4, ?5)
                ORDER BY feature_set, entity_key, event_ts_ms, seq LIMIT ?6
                """)
        defer { statement.reset() }
        try statement.bind(run, at: 1)
        try bind(after, to: statement, at: 2)
        try statement.bind(Int64(limit), at: 6)
        var rows: [LogKeyRunMerge.Row] = []
        rows.reserveCapacity(limit)
        while try statement.step() {
            rows.append(
                LogKeyRunMerge.Row(
                    featureSet: statement.text(at: 0), key: statement.text(at: 1), time: statement.int64(at: 2),
                    seq: statement.int64(at: 3)))
        }
        return rows
    }

    /// Deletes the rows of `run` after `after`, up to `through` (nil: all of them).
    static func deleteRecentKeys(
        _ connection: SQLiteConnection, run: Int64, after: LogKeyRunMerge.Row, through: LogKeyRunMerge.Row?
    ) throws {
        let statement: PreparedStatement
        if let through {
            statement = try connection.cachedStatement(
                sql: """
                    DELETE FROM event_log_keys_recent
                    WHERE run = ?1 AND (feature_set, entity_key, event_ts_ms, seq) > (?2, ?3, ?4, ?5)
                    AND (feature_set, entity_key, event_ts_ms, seq) <= (?6, ?7, ?8, ?9)
                    """)
            try bind(through, to: statement, at: 6)
        } else {
            statement = try connection.cachedStatement(
                sql: """
                    DELETE FROM event_log_keys_recent
                    WHERE run = ?1 AND (feature_set, entity_key, event_ts_ms, seq) > (?2, ?3, ?4, ?5)
                    """)
        }
        defer { statement.reset() }
        try statement.bind(run, at: 1)
        try bind(after, to: statement, at: 2)
        while try statement.step() {}
    }

    /// Inserts moved rows (in key order) into `event_log_keys`.
    static func insertMovedKeys(_ connection: SQLiteConnection, _ rows: [LogKeyRunMerge.Row]) throws {
        var names: [String] = []
        var positions: [String: Int] = [:]
        let entries = rows.map { row -> (featureSet: Int, key: String, time: Int64, seq: Int64) in
            let position: Int
            if let known = positions[row.featureSet] {
                position = known
            } else {
                position = names.count
                positions[row.featureSet] = position
                names.append(row.featureSet)
            }
            return (position, row.key, row.time, row.seq)
        }
        try insertLogKeys(connection, featureSets: names, entries)
    }

    /// Drops the runs up to `run` from `log_key_runs` (their rows were moved).
    static func dropRecentRuns(_ connection: SQLiteConnection, through run: Int64) throws {
        try connection.cachedStatement(sql: "DELETE FROM log_key_runs WHERE run <= ?").execute([.integer(run)])
    }

    private static func bind(_ row: LogKeyRunMerge.Row, to statement: PreparedStatement, at column: Int) throws {
        try statement.bind(row.featureSet, at: column)
        try statement.bind(row.key, at: column + 1)
        try statement.bind(row.time, at: column + 2)
        try statement.bind(row.seq, at: column + 3)
    }
}
