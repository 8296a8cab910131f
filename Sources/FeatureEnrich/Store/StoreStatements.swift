import ServingGraph

/// The SQL of the online store, one function per statement (all cached on their connection).
///
/// Tables and columns are those of ``StoreSchema``; times are epoch milliseconds.
package enum StoreStatements {
    /// Appends one event to the offline event log (`logged`: its binary record, stored as a BLOB).
    static func appendEvent(
        _ connection: SQLiteConnection, featureSet: String, key: String, time: Int64, now: Int64, logged: [UInt8]
    ) throws {
        let statement = try connection.cachedStatement(
            sql: """
                INSERT INTO event_log(feature_set, entity_key, event_ts_ms, ingested_at_ms, event)
                VALUES (?, ?, ?, ?, ?)
                """)
        try statement.bind(featureSet, at: 1)
        try statement.bind(key, at: 2)
        try statement.bind(time, at: 3)
        try statement.bind(now, at: 4)
        try statement.bind(bytes: logged, at: 5)
        defer { statement.reset() }
        while try statement.step() {}
    }

    /// Appends the rows of one batch chunk to the offline event log with one statement: the feature set and
    /// ingestion time bound once, each event's binary record bound from the chunk's bytes without a copy. Each row's
    /// `event_log_keys` row is added with it: a batch's rows come in time order, so each key's rows land at the end
    /// of its range, where the batch's large page cache holds the leaf (cheaper than sorting them all at the end).
    static func appendEvents(
        _ connection: SQLiteConnection, featureSet: String, now: Int64, rows: BatchChannel.Rows
    ) throws {
        let statement = try connection.cachedStatement(
            sql: """
                INSERT INTO event_log(feature_set, entity_key, event_ts_ms, ingested_at_ms, event)
                VALUES (?, ?, ?, ?, ?)
                """)
        defer {
            statement.reset()
            statement.clearBindings()
        }
        let keyRow = try connection.cachedStatement(sql: insertLogKeySQL)
        defer {
            keyRow.reset()
            keyRow.clearBindings()
        }
        try statement.bind(featureSet, at: 1)
        try statement.bind(now, at: 4)
        try keyRow.bind(featureSet, at: 1)
        try rows.eventBytes.withUnsafeBytes { events in
            var start = 0
            for index in 0..<rows.count {
                let end = rows.eventEnds[index]
                var key = rows.keys[index]
                try key.withUTF8 { key in
                    try statement.bind(borrowedUTF8: UnsafeRawBufferPointer(key), at: 2)
                    try statement.bind(rows.times[index], at: 3)
                    try statement.bind(borrowedBytes: UnsafeRawBufferPointer(rebasing: events[start..<end]), at: 5)
                    while try statement.step() {}
                    statement.reset()
                    try keyRow.bind(borrowedUTF8: UnsafeRawBufferPointer(key), at: 2)
                    try keyRow.bind(rows.times[index], at: 3)
                    try keyRow.bind(connection.lastInsertRowID, at: 4)
                    while try keyRow.step() {}
                    keyRow.reset()
                    // The borrowed key dies with this closure.
                    try statement.bindNull(at: 2)
                    try keyRow.bindNull(at: 2)
                }
                start = end
            }
            // The borrowed events die with this closure.
            try statement.bindNull(at: 5)
        }
    }

    /// Folds `statistics` into the `feature_stats` row of `feature` (Chan et al.'s merge of two Welford
    /// accumulators; SQLite evaluates every right-hand side with the row's old values). Moments are NULL while a
    /// feature has no numeric value (only nulls so far, or a string or bool feature).
    package static func mergeStatistics(
        _ connection: SQLiteConnection, featureSet: String, feature: String, _ statistics: FeatureStatistics
    ) throws {
        guard statistics.count > 0 || statistics.nullCount > 0 else { return }
        let statement = try connection.cachedStatement(
            sql: """
                INSERT INTO feature_stats(feature_set, feature, count, null_count, mean, m2, min, max)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(feature_set, feature) DO UPDATE SET
                count = count + excluded.count,
                null_count = null_count + excluded.null_count,
                mean = CASE WHEN excluded.mean IS NULL THEN mean WHEN mean IS NULL THEN excluded.mean
                    ELSE mean + (excluded.mean - mean) * excluded.count / (count + excluded.count) END,
                m2 = CASE WHEN excluded.m2 IS NULL THEN m2 WHEN m2 IS NULL THEN excluded.m2
                    ELSE m2 + excluded.m2 + (excluded.mean - mean) * (excluded.mean - mean) * count * excluded.count
                    / (count + excluded.count) END,
                min = CASE WHEN excluded.min IS NULL THEN min WHEN min IS NULL THEN excluded.min
                    ELSE MIN(min, excluded.min) END,
                max = CASE WHEN excluded.max IS NULL THEN max WHEN max IS NULL THEN excluded.max
                    ELSE MAX(max, excluded.max) END
                """)
        try statement.bind(featureSet, at: 1)
        try statement.bind(feature, at: 2)
        try statement.bind(statistics.count, at: 3)
        try statement.bind(statistics.nullCount, at: 4)
        if statistics.hasMoments {
            try statement.bind(statistics.mean, at: 5)
            try statement.bind(statistics.m2, at: 6)
            try statement.bind(statistics.min, at: 7)
            try statement.bind(statistics.max, at: 8)
        } else {
            for index in 5...8 { try statement.bindNull(at: index) }
        }
        defer { statement.reset() }
        while try statement.step() {}
    }

    /// The `feature_stats` row of `feature`, or nil when it has none (``DeferredStatistics``).
    static func loadStatistics(_ connection: SQLiteConnection, featureSet: String, feature: String) throws
        -> StatisticsRow?
    {
        let statement = try connection.cachedStatement(
            sql: "SELECT count, null_count, mean, m2, min, max FROM feature_stats WHERE feature_set = ? AND feature = ?"
        )
        defer { statement.reset() }
        try statement.bind(featureSet, at: 1)
        try statement.bind(feature, at: 2)
        guard try statement.step() else { return nil }
        func real(_ index: Int) -> Double? { statement.isNull(at: index) ? nil : statement.double(at: index) }
        return StatisticsRow(
            count: statement.int64(at: 0), nullCount: statement.int64(at: 1), mean: real(2), m2: real(3),
            min: real(4), max: real(5))
    }

    /// Writes `row` as the `feature_stats` row of `feature` (``DeferredStatistics``, which folded it).
    static func storeStatistics(
        _ connection: SQLiteConnection, featureSet: String, feature: String, _ row: StatisticsRow
    ) throws {
        let statement = try connection.cachedStatement(
            sql: """
                INSERT INTO feature_stats(feature_set, feature, count, null_count, mean, m2, min, max)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(feature_set, feature) DO UPDATE SET count = excluded.count,
                null_count = excluded.null_count, mean = excluded.mean, m2 = excluded.m2, min = excluded.min,
                max = excluded.max
                """)
        defer { statement.reset() }
        try statement.bind(featureSet, at: 1)
        try statement.bind(feature, at: 2)
        try statement.bind(row.count, at: 3)
        try statement.bind(row.nullCount, at: 4)
        for (index, value) in [row.mean, row.m2, row.min, row.max].enumerated() {
            if let value { try statement.bind(value, at: 5 + index) } else { try statement.bindNull(at: 5 + index) }
        }
        while try statement.step() {}
    }

    /// Adds `tally` to the `feature_violations` rows of `featureSet`.
    static func mergeViolations(_ connection: SQLiteConnection, featureSet: String, _ tally: ValidationTally) throws {
        for (key, counts) in tally.counts {
            try connection.cachedStatement(
                sql: """
                    INSERT INTO feature_violations(feature_set, feature, validator, rejected, warned, dropped)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(feature_set, feature, validator) DO UPDATE SET
                    rejected = rejected + excluded.rejected, warned = warned + excluded.warned,
                    dropped = dropped + excluded.dropped
                    """
            ).execute([
                .text(featureSet), .text(key.feature), .text(key.validator.rawValue), .integer(counts.rejected),
                .integer(counts.warned), .integer(counts.dropped),
            ])
        }
    }

    /// Records that `eventID` was ingested with `count` events (its answer for retries).
    static func recordProcessedEvent(_ connection: SQLiteConnection, eventID: String, now: Int64, count: Int) throws {
        try connection.cachedStatement(
            sql: """
                INSERT INTO processed_events(event_id, seen_at_ms, response) VALUES (?, ?, ?)
                ON CONFLICT(event_id) DO UPDATE SET seen_at_ms = excluded.seen_at_ms, response = excluded.response
                """
        ).execute([.text(eventID), .integer(now), .text("{\"ingested\":\(count)}")])
    }

    /// The event count recorded for `eventID` at or after `since`, or nil when it was not processed then.
    static func processedEventCount(_ connection: SQLiteConnection, eventID: String, since: Int64) throws -> Int? {
        let rows = try connection.query(
            "SELECT response FROM processed_events WHERE event_id = ? AND seen_at_ms >= ?",
            [.text(eventID), .integer(since)])
        guard let row = rows.first else { return nil }
        guard let text = row.first?.textValue, let count = try? JSONParser.parse(text)["ingested"]?.intValue else {
            return 0
        }
        return Int(count)
    }

    /// Forgets event ids older than `before` (past the exactly-once horizon).
    static func pruneProcessedEvents(_ connection: SQLiteConnection, before: Int64) throws {
        try connection.cachedStatement(sql: "DELETE FROM processed_events WHERE seen_at_ms < ?")
            .execute([.integer(before)])
    }

    /// The stored definition text and hash of `featureSet`, or nil when it is not registered.
    static func registeredDefinition(
        _ connection: SQLiteConnection, featureSet: String
    ) throws -> (json: String, hash: String)? {
        let rows = try connection.query(
            "SELECT definition, definition_hash FROM feature_sets WHERE name = ?", [.text(featureSet)])
        guard let row = rows.first, row.count == 2, let json = row[0].textValue, let hash = row[1].textValue
        else { return nil }
        return (json, hash)
    }

    /// Registers (or replaces) the definition of a feature set.
    static func register(_ connection: SQLiteConnection, _ definition: FeatureSetDefinition, now: Int64) throws {
        try connection.cachedStatement(
            sql: """
                INSERT INTO feature_sets(name, definition, definition_hash, registered_at_ms) VALUES (?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET definition = excluded.definition,
                definition_hash = excluded.definition_hash, registered_at_ms = excluded.registered_at_ms
                """
        ).execute([
            .text(definition.name), .text(definition.jsonText), .text(hashText(definition)), .integer(now),
        ])
        try connection.cachedStatement(
            sql: """
                INSERT INTO feature_set_versions(name, version, definition, definition_hash, registered_at_ms)
                SELECT ?, COALESCE(MAX(version), 0) + 1, ?, ?, ? FROM feature_set_versions WHERE name = ?
                """
        ).execute([
            .text(definition.name), .text(definition.jsonText), .text(hashText(definition)), .integer(now),
            .text(definition.name),
        ])
    }

    /// The identity hash as stored in `feature_sets.definition_hash`: 16 lowercase hex digits (the state hash
    /// when no validators are declared, so stores written before validators existed keep their hash).
    static func hashText(_ definition: FeatureSetDefinition) -> String {
        let hex = String(definition.identityHash, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }
}
