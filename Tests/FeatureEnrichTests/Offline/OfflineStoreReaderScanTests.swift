import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// The log walk of a scan reads every row in its seq range, of any feature set, and keeps only its own
/// keys' events (known from the index pass): a store whose sets interleave in the log gives each set the rows
/// of its per-key queries.
struct OfflineStoreReaderScanTests {
    @Test func logWalkSkipsTheEventsOfAnotherFeatureSetInterleavedWithItsOwn() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let other = TrainingSetBuilderTests.featureSetJSON.replacingOccurrences(
            of: #"{"name": "tx","#, with: #"{"name": "other","#)
        let store = try SQLiteOnlineStore(
            path: path,
            featureSets: [
                try FeatureSetDefinition(jsonText: TrainingSetBuilderTests.featureSetJSON),
                try FeatureSetDefinition(jsonText: other),
            ])
        var random = SeededRandom(seed: 3)
        let minute = TrainingSetBuilderTests.minute
        for step in 0..<120 {
            let time = TrainingSetBuilderTests.base + Int64(step) * minute
            let key = "k\(random.next(upTo: 11))"
            let amount = Double(random.next(upTo: 1_000) + 1) / 4
            _ = try store.ingestAndWait([TrainingSetBuilderTests.event(key, time, amount)], into: "tx")
            _ = try store.ingestAndWait([TrainingSetBuilderTests.event(key, time, -amount * 3)], into: "other")
        }
        store.close()
        var rows: [(key: String, time: Int64)] = []
        for _ in 0..<200 {
            rows.append(
                ("k\(random.next(upTo: 11))", TrainingSetBuilderTests.base + Int64(random.next(upTo: 130)) * minute))
        }
        let table = TrainingSetBuilderTests.table(rows)
        let vector = FeatureVectorDefinition(
            name: "v",
            features: try ["tx.amount_sum_24h", "other.amount_sum_24h as other_sum", "other.amount as other_amount"]
                .map { try FeatureReference(parsing: $0, path: "features") })
        func build(scanMinimumKeys: Int) throws -> TrainingSet {
            var builder = try TrainingSetBuilder(vector: vector, store: try OfflineStoreReader(path: path))
            builder.scanMinimumKeys = scanMinimumKeys
            return try builder.build(table)
        }
        let scanned = try build(scanMinimumKeys: 0)
        let queried = try build(scanMinimumKeys: .max)
        #expect(TrainingSetScanTests.csv(scanned) == TrainingSetScanTests.csv(queried))
        let width = scanned.featureColumns.count
        let filled = (0..<table.rows.count).filter { scanned.values[$0 * width + 1] != .null }
        #expect(filled.count > table.rows.count / 2)
        // The other set's amounts are -3x this one's: its sums never equal this set's.
        #expect(filled.allSatisfy { scanned.values[$0 * width] != scanned.values[$0 * width + 1] })
    }
}
