import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// Feature sets, events and helpers shared by the online-store tests (real SQLite files in a temp dir).
enum StoreFixture {
    /// 10 operations over 1h and 24h sliding windows (10m period) of `amount`, plus plain features.
    static let transactionsJSON = """
        {"name": "transactions", "entities": [{"name": "key", "type": "string"}], "timestamp_key": "timestamp",
         "features": [{"name": "amount", "type": "double"}, {"name": "note", "type": "string"}],
         "aggregations": [{"name": "amount", "column": "amount",
           "operations": ["count","sum","sqr","min","max","first","last","avg","stdvar","stddev"],
           "windows": ["1h", "24h"], "period": "10m"}]}
        """

    /// ``transactionsJSON`` with the 24h window changed to 2h.
    static let changedTransactionsJSON = transactionsJSON.replacingOccurrences(of: "\"24h\"", with: "\"2h\"")

    static func transactions() throws -> FeatureSetDefinition {
        try FeatureSetDefinition(jsonText: transactionsJSON)
    }

    static func changedTransactions() throws -> FeatureSetDefinition {
        try FeatureSetDefinition(jsonText: changedTransactionsJSON)
    }

    /// 2026-01-01T00:00:00Z in epoch milliseconds.
    static let base: Int64 = 1_767_225_600_000

    /// One event of `key` at `base + offsetMilliseconds` (epoch seconds with a fraction) with `amount`.
    static func event(_ key: String, _ offsetMilliseconds: Int64, _ amount: Int) -> Value {
        let milliseconds = base + offsetMilliseconds
        let iso = "\(milliseconds / 1000).\(String(milliseconds % 1000 + 1000).dropFirst())"
        return ["key": .string(key), "timestamp": .string(iso), "amount": .int(Int64(amount))]
    }

    /// Every row of `keys`, read at `time`.
    static func rows(_ store: SQLiteOnlineStore, keys: [String], at time: Int64) throws -> [String: ValueObject] {
        var rows: [String: ValueObject] = [:]
        for key in keys {
            rows[key] = try store.read(
                featureSet: "transactions", key: EntityKey(parts: [key]), features: nil, at: time)
        }
        return rows
    }
}

extension SQLiteOnlineStore {
    /// A read-write side connection for inspecting the file (the tests' view of "the disk").
    func inspect() throws -> SQLiteConnection {
        try SQLiteConnection(path: path)
    }
}

extension SQLiteConnection {
    /// The single integer of `sql`.
    func count(_ sql: String) throws -> Int64 {
        try query(sql).first?.first?.integerValue ?? -1
    }
}

/// Expects `got` to equal `expected` row by row and column by column: exactly, except stdvar and stddev
/// columns, within 1e-12 relative. Σ(x − mean)² is accumulated per bucket and merged across buckets, so its
/// last bits depend on the grouping (arrival order, or a state rebuilt from its serialised buckets).
func expectRowsMatch(
    _ got: [String: ValueObject], _ expected: [String: ValueObject], sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(got.keys.sorted() == expected.keys.sorted(), sourceLocation: sourceLocation)
    for (key, reference) in expected {
        guard let row = got[key] else { continue }
        #expect(Array(row.members.map(\.0)) == Array(reference.members.map(\.0)), sourceLocation: sourceLocation)
        for (column, value) in reference.members {
            if column.contains("_stdvar_") || column.contains("_stddev_") {
                let (a, b) = (value.doubleValue ?? .nan, row[column]?.doubleValue ?? .nan)
                #expect(
                    row[column] == value || abs(a - b) <= 1e-12 * abs(a), "\(key) \(column)",
                    sourceLocation: sourceLocation)
            } else {
                #expect(row[column] == value, "\(key) \(column)", sourceLocation: sourceLocation)
            }
        }
    }
}
