import ServingGraph

/// Applies a feature set's ``FeatureSetDefinition/offlineRetention`` to the offline event log.
///
/// Runs when a store opens (`serve run`, `serve ingest`), on the writer's connection inside the opening
/// transaction: events older than `now - retention` by event time are deleted. Entity states are not
/// touched, so online reads are unchanged; training rows for times whose windows reach before the cut-off,
/// and a `--rebuild`, see only the retained events (documented in docs/ARCHITECTURE.md).
enum OfflineLogRetention {
    /// Deletes the events of `definition` older than its retention (none without one); returns how many.
    @discardableResult
    static func prune(_ definition: FeatureSetDefinition, connection: SQLiteConnection, now: Int64) throws -> Int {
        guard let retention = definition.offlineRetention else { return 0 }
        let (cutoff, overflow) = now.subtractingReportingOverflow(retention.milliseconds)
        guard !overflow else { return 0 }
        try connection.cachedStatement(sql: "DELETE FROM event_log WHERE feature_set = ? AND event_ts_ms < ?")
            .execute([.text(definition.name), .integer(cutoff)])
        let deleted = connection.changes
        // Their key rows: the same predicate on the same columns.
        try connection.cachedStatement(sql: "DELETE FROM event_log_keys WHERE feature_set = ? AND event_ts_ms < ?")
            .execute([.text(definition.name), .integer(cutoff)])
        try connection.cachedStatement(
            sql: "DELETE FROM event_log_keys_recent WHERE feature_set = ? AND event_ts_ms < ?"
        ).execute([.text(definition.name), .integer(cutoff)])
        if deleted > 0 {
            FeatureEnrich.logger.info(
                "pruned the offline event log",
                [("feature_set", definition.name), ("events", String(deleted)), ("before_ms", String(cutoff))])
        }
        return deleted
    }
}
