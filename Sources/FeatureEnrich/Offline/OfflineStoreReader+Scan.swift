import Glibc
import ServingGraph

/// Ordered passes over a feature set's event log: what a training set over many keys reads instead of one
/// query per key. The index pass touches only `event_log_keys` (key, time, seq; plus the log's rows above its mark);
/// the log pass walks the table in ingestion order, so its pages are read once, in file order.
extension OfflineStoreReader {
    /// A logged event's place in the log: its ingestion order and event time.
    struct LoggedEventPosition {
        /// `event_log.seq`: ingestion order.
        let seq: Int64
        /// `event_log.event_ts_ms`.
        let time: Int64
    }

    /// Calls `body(key, events)` for every entity key of `featureSet` in `range` (SQLite's BINARY order of the
    /// encoded key; `nil` bounds are open) for which `limit(key)` is not nil, with the key's events with
    /// `event_ts <= limit(key)` in (time, seq) order. Reads the index only.
    func forEachKeyIndex(
        featureSet: String, range: (lower: String?, upper: String?), limit: (String) -> Int64?,
        _ body: (String, [LoggedEventPosition]) throws -> Void
    ) throws {
        var predicate = "feature_set = ?1"
        if range.lower != nil { predicate += " AND entity_key >= ?2" }
        if range.upper != nil { predicate += " AND entity_key < ?3" }
        // The keys table in its primary-key order merged with the few log rows above the mark, sorted apart.
        let sql = StoreStatements.logKeysSQL(columns: "entity_key, seq, event_ts_ms", where: predicate)
        let statement = try connection.prepare(sql: sql + " ORDER BY 1, 3, 2")
        try statement.bind(featureSet, at: 1)
        if let lower = range.lower { try statement.bind(lower, at: 2) }
        if let upper = range.upper { try statement.bind(upper, at: 3) }
        var currentKey: String?
        // The current key's bytes: a row of the same key (most rows) makes no String.
        var currentBytes: [UInt8] = []
        var currentLimit: Int64?
        var events: [LoggedEventPosition] = []
        while try statement.step() {
            let same = statement.withBytes(at: 0) { bytes in
                guard bytes.count == currentBytes.count else { return false }
                guard let base = bytes.baseAddress, bytes.count > 0 else { return true }
                return currentBytes.withUnsafeBytes { current in
                    current.baseAddress.map { memcmp($0, base, bytes.count) == 0 } ?? false
                }
            }
            if !same || currentKey == nil {
                if let currentKey, currentLimit != nil { try body(currentKey, events) }
                events.removeAll(keepingCapacity: true)
                let key = statement.text(at: 0)
                currentBytes = Array(key.utf8)
                currentKey = key
                currentLimit = limit(key)
            }
            guard let upTo = currentLimit else { continue }
            let time = statement.int64(at: 2)
            guard time <= upTo else { continue }
            events.append(LoggedEventPosition(seq: statement.int64(at: 1), time: time))
        }
        if let currentKey, currentLimit != nil { try body(currentKey, events) }
    }

    /// The highest `event_log.seq` (0 for an empty log): the rowid, read from the end of the table's b-tree.
    func highestSeq() throws -> Int64 {
        try StoreStatements.maxSeq(connection)
    }

    /// Calls `body(seq, time, row)` for every logged event with a seq in `seqs`, of any feature set (the caller
    /// knows its own seqs from the index pass: no feature-set comparison per row), in ingestion order; `row`
    /// decodes the stored event for `featureSet` (only when asked). Walks the table in rowid order.
    func forEachLoggedEvent(
        featureSet: String, seqs: ClosedRange<Int64>, _ body: (Int64, Int64, LoggedEventRow) throws -> Void
    ) throws {
        let statement = try connection.prepare(
            sql: """
                SELECT seq, event_ts_ms, event FROM event_log NOT INDEXED
                WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq
                """)
        try statement.bind(seqs.lowerBound, at: 1)
        try statement.bind(seqs.upperBound, at: 2)
        let row = LoggedEventRow(statement: statement, featureSet: featureSet)
        while try statement.step() {
            try body(statement.int64(at: 0), statement.int64(at: 1), row)
        }
    }
}

/// The current row of ``OfflineStoreReader/forEachLoggedEvent(featureSet:seqs:_:)``: decodes its event.
struct LoggedEventRow {
    fileprivate let statement: PreparedStatement
    fileprivate let featureSet: String

    /// Decodes the row's aggregation inputs and plain features into the given arrays (``FeatureEventDecoder/
    /// decodeLoggedValues(_:at:aggregationValues:featureValues:)``); an unreadable event is a
    /// ``TrainingSetError``.
    func decodeValues(
        _ decoder: FeatureEventDecoder, aggregationValues: inout [Double?], featureValues: inout [Value?]
    ) throws(TrainingSetError) {
        do {
            try decoder.decodeLoggedValues(
                statement, at: 2, aggregationValues: &aggregationValues, featureValues: &featureValues)
        } catch {
            throw .unreadableEvent(featureSet: featureSet, seq: statement.int64(at: 0), reason: "\(error)")
        }
    }
}
