import FeatureEnrich
import ServingGraph
import Testing

/// Feeds hand-written events through a real ``FeatureSetAggregator``, one state per key, like the replay does.
struct AggregationHarness {
    let aggregator: FeatureSetAggregator
    var states: [String: EntityState] = [:]

    init(_ definition: FeatureSetDefinition) { aggregator = FeatureSetAggregator(definition) }

    /// The standard feature set of the oracle cases: 10 operations × `windows` over column `amount`.
    static func standard(windows: [String] = ["1h", "24h"], period: String? = "10m") throws -> AggregationHarness {
        let operations: [Value] = AggregationOperation.allCases.map { .string($0.rawValue) }
        let definition = try FeatureSetDefinition(json: [
            "name": "transactions", "entities": [["name": "key", "type": "string"]], "timestamp_key": "timestamp",
            "features": [["name": "amount", "type": "double"]],
            "aggregations": [
                .object([
                    "name": "amount", "column": "amount", "operations": .array(operations),
                    "windows": .array(windows.map(Value.string)), "period": period.map(Value.string) ?? .null,
                ])
            ],
        ])
        return AggregationHarness(definition)
    }

    /// Ingests one event and returns its row by column name (`nil` = null, too late).
    mutating func ingest(_ key: String, _ timestamp: String, _ value: Double?) throws -> [String: Double?] {
        let time = try TimestampParser.epochMilliseconds(timestamp)
        var output: [Double?] = []
        aggregator.ingest(
            at: time, aggregationValues: [value], featureValues: value.map { [.double($0)] } ?? [],
            into: &states[key, default: aggregator.makeState()], output: &output)
        return Dictionary(zip(aggregator.outputColumns, output), uniquingKeysWith: { first, _ in first })
    }

    /// Ingests `events` in order and returns every row.
    mutating func ingest(_ events: [(String, String, Double?)]) throws -> [[String: Double?]] {
        var rows: [[String: Double?]] = []
        for (key, timestamp, value) in events { rows.append(try ingest(key, timestamp, value)) }
        return rows
    }

    /// The rows of `shared/oracle/cases/quirks-*` (amounts 1, 2, 4, … 128 of key `a`).
    static let quirkEvents: [(String, String, Double?)] = [
        ("a", "2026-01-01T00:05:00+00:00", 1), ("a", "2026-01-01T00:55:00+00:00", 2),
        ("a", "2026-01-01T01:00:00+00:00", 4), ("a", "2026-01-01T00:30:00+00:00", 8),
        ("a", "2026-01-01T01:01:00+00:00", 16), ("a", "2026-01-01T01:01:00+00:00", 32),
        ("a", "2025-12-30T00:00:00+00:00", 64), ("a", "2026-01-01T01:02:00+00:00", 128),
    ]
}

/// `row[column]` unwrapped twice: `nil` when absent or null.
func cell(_ row: [String: Double?], _ column: String) -> Double? {
    row[column] ?? nil
}

/// A tiny deterministic generator (SplitMix64) so the tests need no seeds from the system.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
