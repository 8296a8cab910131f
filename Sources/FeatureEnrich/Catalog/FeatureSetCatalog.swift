public import ServingGraph

/// The feature-set catalog of a store file: each registered definition with its version history, row and
/// entity counts, first and last event time, last ingest time, per-feature statistics (with null counts) and
/// validator violations.
///
/// Read through its own read-only connection (WAL: never blocks the writer); confined to one thread. Counts
/// scan the whole `event_log` (no index leads with the feature set since schema migration 7): an admin read.
public final class FeatureSetCatalog {
    private let connection: SQLiteConnection

    /// Opens the store at `path` read-only; it must exist.
    public init(path: String) throws {
        connection = try SQLiteConnection(path: path, configuration: .readOnly)
    }

    /// Every registered feature set's entry, by name.
    public func entries() throws -> [Value] {
        let names = try connection.query("SELECT name FROM feature_sets ORDER BY name").compactMap {
            $0.first?.textValue
        }
        return try names.compactMap { try entry(named: $0) }
    }

    /// The entry of feature set `name`, or nil when it is not registered.
    ///
    /// `{"name", "hash", "definition", "registered_at_ms", "versions": [{"version", "hash", "registered_at_ms",
    /// "definition"}], "rows", "entities", "first_event_ms", "last_event_ms", "last_ingest_ms",
    /// "statistics": {feature: {"count", "null_count", "mean", "stddev", "min", "max"}},
    /// "violations": {feature: {validator: {"count", "rejected", "warned", "dropped"}}}}`. The definition
    /// carries the features' `validators` and the set's `validation_policy`.
    public func entry(named name: String) throws -> Value? {
        let rows = try connection.query(
            "SELECT definition, definition_hash, registered_at_ms FROM feature_sets WHERE name = ?", [.text(name)])
        guard let row = rows.first, row.count == 3, let json = row[0].textValue else { return nil }
        var object = ValueObject(minimumCapacity: 12)
        object["name"] = .string(name)
        object["hash"] = .string(row[1].textValue ?? "")
        object["definition"] = (try? JSONParser.parse(json)) ?? .string(json)
        object["registered_at_ms"] = Self.value(row[2])
        object["versions"] = .array(try versions(of: name))
        let log =
            try connection.query(
                """
                SELECT COUNT(*), COUNT(DISTINCT entity_key), MIN(event_ts_ms), MAX(event_ts_ms), MAX(ingested_at_ms)
                FROM event_log WHERE feature_set = ?
                """, [.text(name)]
            ).first ?? []
        for (index, key) in ["rows", "event_entities", "first_event_ms", "last_event_ms", "last_ingest_ms"]
            .enumerated()
        {
            object[key] = index < log.count ? Self.value(log[index]) : .null
        }
        object["entities"] = Self.value(
            try connection.query("SELECT COUNT(*) FROM entity_state WHERE feature_set = ?", [.text(name)])
                .first?.first ?? .null)
        object["statistics"] = .object(try statistics(of: name))
        object["violations"] = .object(try violations(of: name))
        return .object(object)
    }

    private func versions(of name: String) throws -> [Value] {
        // A store not yet opened by a writer since migration 2 has only its current definition: version 1.
        let table = "SELECT definition_hash, registered_at_ms, definition FROM feature_sets WHERE name = ?"
        guard
            try !connection.query(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'feature_set_versions'"
            ).isEmpty
        else {
            return try connection.query(table, [.text(name)]).map { row in
                .object([
                    "version": .int(1), "hash": Self.value(row[0]), "registered_at_ms": Self.value(row[1]),
                    "definition": row[2].textValue.flatMap { try? JSONParser.parse($0) } ?? .null,
                ])
            }
        }
        return try connection.query(
            """
            SELECT version, definition_hash, registered_at_ms, definition FROM feature_set_versions
            WHERE name = ? ORDER BY version
            """, [.text(name)]
        ).map { row in
            .object([
                "version": Self.value(row[0]), "hash": Self.value(row[1]), "registered_at_ms": Self.value(row[2]),
                "definition": row[3].textValue.flatMap { try? JSONParser.parse($0) } ?? .null,
            ])
        }
    }

    private func statistics(of name: String) throws -> ValueObject {
        // A store not yet opened by a writer since migration 3 has no null counts: they show as null.
        let nulls = try hasMigration3() ? "null_count" : "NULL"
        var result = ValueObject()
        for row in try connection.query(
            "SELECT feature, count, \(nulls), mean, m2, min, max FROM feature_stats WHERE feature_set = ? "
                + "ORDER BY feature",
            [.text(name)])
        {
            guard row.count == 7, let feature = row[0].textValue else { continue }
            let count = row[1].integerValue ?? 0
            var stddev = Value.null
            if count > 1, let m2 = row[4].realValue { stddev = .double((max(0, m2 / Double(count - 1))).squareRoot()) }
            result[feature] = .object([
                "count": .int(count), "null_count": Self.value(row[2]), "mean": Self.value(row[3]), "stddev": stddev,
                "min": Self.value(row[5]), "max": Self.value(row[6]),
            ])
        }
        return result
    }

    /// `{feature: {validator: {"count", "rejected", "warned", "dropped"}}}`, features and validators sorted.
    private func violations(of name: String) throws -> ValueObject {
        guard try hasMigration3() else { return ValueObject() }
        var result = ValueObject()
        for row in try connection.query(
            """
            SELECT feature, validator, rejected, warned, dropped FROM feature_violations WHERE feature_set = ?
            ORDER BY feature, validator
            """, [.text(name)])
        {
            guard row.count == 5, let feature = row[0].textValue, let validator = row[1].textValue else { continue }
            let counts = (2...4).map { row[$0].integerValue ?? 0 }
            var byValidator = result[feature]?.objectValue ?? ValueObject()
            byValidator[validator] = .object([
                "count": .int(counts.reduce(0, +)), "rejected": .int(counts[0]), "warned": .int(counts[1]),
                "dropped": .int(counts[2]),
            ])
            result[feature] = .object(byValidator)
        }
        return result
    }

    private func hasMigration3() throws -> Bool {
        try !connection.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'feature_violations'")
            .isEmpty
    }

    private static func value(_ value: SQLiteValue) -> Value {
        if let integer = value.integerValue { return .int(integer) }
        if let double = value.realValue { return double.isFinite ? .double(double) : .null }
        if let text = value.textValue { return .string(text) }
        return .null
    }
}

@available(*, unavailable)
extension FeatureSetCatalog: Sendable {}
