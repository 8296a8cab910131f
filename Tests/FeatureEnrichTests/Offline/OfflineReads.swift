import FeatureEnrich
import ServingGraph

/// Everything the offline readers give for some keys at some times: ``TimeTravelReader`` rows (one key's logged
/// events), its entities (the key pass), and a training set built with the per-key queries and with the scan.
struct OfflineReads: Equatable {
    /// ``TimeTravelReader/row(featureSet:key:at:features:)`` of each key at each time (times outer).
    var rows: [ValueObject?] = []
    /// The encoded keys ``TimeTravelReader/forEachEntity(featureSet:at:features:_:)`` visits at each time, and
    /// their rows.
    var entities: [String] = []
    var entityRows: [ValueObject] = []
    /// The training set of every (key, time) as CSV, built with one query per key and with the ordered scan.
    var queried = ""
    var scanned = ""

    init(_ path: String, featureSet: String, keys: [String], times: [Int64], features: [String]) throws {
        let reader = try TimeTravelReader(store: try OfflineStoreReader(path: path))
        var entities: [String] = []
        var entityRows: [ValueObject] = []
        for time in times {
            for key in keys {
                rows.append(try reader.row(featureSet: featureSet, key: EntityKey(parts: [key]), at: time))
            }
            try reader.forEachEntity(featureSet: featureSet, at: time) { key, row in
                entities.append(key.encoded)
                entityRows.append(row)
            }
        }
        self.entities = entities
        self.entityRows = entityRows
        let table = TrainingSetBuilderTests.table(times.flatMap { time in keys.map { (key: $0, time: time) } })
        let vector = FeatureVectorDefinition(
            name: "v",
            features: try features.map { try FeatureReference(parsing: "\(featureSet).\($0)", path: "features") })
        for scanMinimumKeys in [Int.max, 0] {
            var builder = try TrainingSetBuilder(vector: vector, store: try OfflineStoreReader(path: path))
            builder.scanMinimumKeys = scanMinimumKeys
            let csv = TrainingSetScanTests.csv(try builder.build(table))
            if scanMinimumKeys == 0 { scanned = csv } else { queried = csv }
        }
    }

    /// Reads of `transactions` (``StoreFixture``) for `keys` at `times`.
    static func transactions(_ path: String, keys: [String], times: [Int64]) throws -> OfflineReads {
        try OfflineReads(
            path, featureSet: "transactions", keys: keys, times: times,
            features: ["amount", "note", "amount_count_1h", "amount_sum_24h", "amount_stddev_24h", "amount_last_1h"])
    }

    /// The `amount_count_24h` of each row read (nil for a key without events).
    var counts: [Value?] { rows.map { $0?["amount_count_24h"] } }
}
