import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// What a store file holds of the event log's key index (schema migrations 7 and 8: `event_log_keys` and the recent
/// runs of `event_log_keys_recent`), read in one snapshot.
struct LogIndexSnapshot: Equatable, CustomStringConvertible {
    let logRows: Int64
    let keyRows: Int64
    let mark: Int64
    let maxSeq: Int64
    /// Log rows without the key row of the same feature set, key, time and seq.
    let unkeyed: Int64
    /// Of ``unkeyed``, those at or below the mark: the invariant says none.
    let unkeyedBelowMark: Int64
    /// Key rows without the log row of the same feature set, key, time and seq.
    let orphanKeys: Int64
    /// Key rows above the mark: a round is in progress (or a crash interrupted one).
    let keysAboveMark: Int64
    /// Key rows in the recent runs (not merged into `event_log_keys` yet).
    let recentRows: Int64
    /// Key rows in both tables: a merge moves each row, so none.
    let duplicateKeys: Int64

    /// Every key row, from both tables.
    static let keysSQL = """
        (SELECT feature_set, entity_key, event_ts_ms, seq FROM event_log_keys UNION ALL
        SELECT feature_set, entity_key, event_ts_ms, seq FROM event_log_keys_recent)
        """

    static let unkeyedSQL = """
        SELECT COUNT(*) FROM event_log e LEFT JOIN \(keysSQL) k ON k.seq = e.seq AND k.entity_key = e.entity_key
        AND k.feature_set = e.feature_set AND k.event_ts_ms = e.event_ts_ms WHERE k.seq IS NULL
        """

    init(_ connection: SQLiteConnection) throws {
        try connection.execute("BEGIN")
        defer { try? connection.execute("COMMIT") }
        logRows = try connection.count("SELECT COUNT(*) FROM event_log")
        keyRows = try connection.count("SELECT COUNT(*) FROM \(Self.keysSQL)")
        mark = try connection.count("SELECT through_seq FROM log_index_mark")
        maxSeq = try connection.count("SELECT COALESCE(MAX(seq), 0) FROM event_log")
        unkeyed = try connection.count(Self.unkeyedSQL)
        unkeyedBelowMark = try connection.count(
            Self.unkeyedSQL + " AND e.seq <= (SELECT through_seq FROM log_index_mark)")
        orphanKeys = try connection.count(
            """
            SELECT COUNT(*) FROM \(Self.keysSQL) k LEFT JOIN event_log e ON e.seq = k.seq
            AND e.entity_key = k.entity_key AND e.feature_set = k.feature_set AND e.event_ts_ms = k.event_ts_ms
            WHERE e.seq IS NULL
            """)
        keysAboveMark = try connection.count(
            "SELECT COUNT(*) FROM \(Self.keysSQL) WHERE seq > (SELECT through_seq FROM log_index_mark)")
        recentRows = try connection.count("SELECT COUNT(*) FROM event_log_keys_recent")
        duplicateKeys = try connection.count(
            """
            SELECT COUNT(*) FROM event_log_keys_recent r JOIN event_log_keys k ON k.feature_set = r.feature_set
            AND k.entity_key = r.entity_key AND k.event_ts_ms = r.event_ts_ms AND k.seq = r.seq
            """)
    }

    /// The snapshot of the file at `path`.
    init(path: String) throws {
        try self.init(SQLiteConnection(path: path))
    }

    /// Every log row has exactly its key row, and the mark is at the log's last row.
    var isComplete: Bool {
        unkeyed == 0 && orphanKeys == 0 && duplicateKeys == 0 && keyRows == logRows && mark == maxSeq
    }

    var description: String {
        "log \(logRows), keys \(keyRows), mark \(mark) of \(maxSeq), unkeyed \(unkeyed) (\(unkeyedBelowMark) "
            + "below the mark), orphan keys \(orphanKeys), keys above the mark \(keysAboveMark), recent \(recentRows), "
            + "duplicates \(duplicateKeys)"
    }

    /// Polls `connection` (10 ms blocking waits, at most 30 s) until `condition` holds, expecting at each poll
    /// that no row at or below the mark lacks its key row and no key row lacks its log row; the last snapshot.
    static func waitUntil(
        _ connection: SQLiteConnection, sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: (LogIndexSnapshot) -> Bool
    ) throws -> LogIndexSnapshot {
        var snapshot = try LogIndexSnapshot(connection)
        for _ in 0..<3_000 where !condition(snapshot) {
            #expect(
                snapshot.unkeyedBelowMark == 0 && snapshot.orphanKeys == 0 && snapshot.duplicateKeys == 0,
                "\(snapshot)", sourceLocation: sourceLocation)
            usleep(10_000)
            snapshot = try LogIndexSnapshot(connection)
        }
        #expect(
            snapshot.unkeyedBelowMark == 0 && snapshot.orphanKeys == 0 && snapshot.duplicateKeys == 0, "\(snapshot)",
            sourceLocation: sourceLocation)
        return snapshot
    }
}

extension SQLiteConnection {
    /// Undoes schema migrations 7 and 8 on a closed store's file: drops the key tables and the mark and recreates
    /// the event log's index (the caller removes the versions it takes back from `schema_version`).
    func dropKeyIndexTables() throws {
        try execute(
            """
            DROP TABLE event_log_keys; DROP TABLE log_index_mark; DROP TABLE event_log_keys_recent;
            DROP TABLE log_key_runs;
            CREATE INDEX event_log_by_entity_time ON event_log (feature_set, entity_key, event_ts_ms);
            """)
    }
}

extension SQLiteTestDirectory {
    /// A store file named `name` fed `batches` by real-time ingestion then closed: its key index complete.
    func completeStore(_ batches: [[Value]], name: String = "complete.db") throws -> String {
        let path = file(name)
        let store = try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()])
        for events in batches { _ = try store.ingestAndWait(events, into: "transactions") }
        store.close()
        return path
    }
}
