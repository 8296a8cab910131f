import ServingGraph

/// One ordered pass over a feature set's event log, key after key: what a training set over many keys reads
/// instead of one query per key.
extension OfflineStoreReader {
    /// A logged event not yet decoded: its ingestion order, event time and stored JSON.
    struct LoggedEvent {
        /// `event_log.seq`: ingestion order.
        let seq: Int64
        /// `event_log.event_ts_ms`.
        let time: Int64
        /// `event_log.event`.
        let text: String
    }

    /// Calls `body(key, events)` for every entity key of `featureSet` in `range` (SQLite's BINARY order of the
    /// encoded key; `nil` bounds are open) for which `limit(key)` is not nil, with the key's events with
    /// `event_ts <= limit(key)` in ingestion order. Keys whose `limit` is nil are passed over without
    /// converting their events. One scan of the `event_log_by_entity_time` index, in key order.
    func forEachKey(
        featureSet: String, range: (lower: String?, upper: String?), limit: (String) -> Int64?,
        _ body: (String, [LoggedEvent]) throws -> Void
    ) throws {
        var sql = """
            SELECT entity_key, seq, event_ts_ms, event FROM event_log INDEXED BY event_log_by_entity_time
            WHERE feature_set = ?1
            """
        if range.lower != nil { sql += " AND entity_key >= ?2" }
        if range.upper != nil { sql += " AND entity_key < ?3" }
        sql += " ORDER BY entity_key, event_ts_ms"
        let statement = try connection.prepare(sql: sql)
        try statement.bind(featureSet, at: 1)
        if let lower = range.lower { try statement.bind(lower, at: 2) }
        if let upper = range.upper { try statement.bind(upper, at: 3) }
        var currentKey: String?
        var currentLimit: Int64?
        var events: [LoggedEvent] = []
        while try statement.step() {
            let key = statement.text(at: 0)
            if key != currentKey {
                if let currentKey, currentLimit != nil { try body(currentKey, Self.ingestionOrdered(events)) }
                events.removeAll(keepingCapacity: true)
                currentKey = key
                currentLimit = limit(key)
            }
            guard let upTo = currentLimit else { continue }
            let time = statement.int64(at: 2)
            guard time <= upTo else { continue }
            events.append(LoggedEvent(seq: statement.int64(at: 1), time: time, text: statement.text(at: 3)))
        }
        if let currentKey, currentLimit != nil { try body(currentKey, Self.ingestionOrdered(events)) }
    }

    /// Decodes one logged event of `featureSet`; an unreadable one is a ``TrainingSetError`` naming its row.
    static func decode(
        _ event: LoggedEvent, featureSet: String, decoder: FeatureEventDecoder
    ) throws(TrainingSetError) -> FeatureEvent {
        do {
            return try decoder.decode(try JSONParser.parse(event.text), json: event.text)
        } catch {
            throw .unreadableEvent(featureSet: featureSet, seq: event.seq, reason: "\(error)")
        }
    }

    /// `events` (time order from the index) in ingestion order.
    private static func ingestionOrdered(_ events: [LoggedEvent]) -> [LoggedEvent] {
        var ordered = events
        var isOrdered = true
        for index in ordered.indices.dropFirst() where ordered[index - 1].seq > ordered[index].seq {
            isOrdered = false
            break
        }
        if !isOrdered { ordered.sort { $0.seq < $1.seq } }
        return ordered
    }
}
