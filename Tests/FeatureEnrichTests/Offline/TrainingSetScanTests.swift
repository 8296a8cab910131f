import FeatureEnrich
import ServingGraph
import Testing

/// The ordered scan of the event log that large training sets use gives exactly the rows of the per-key
/// queries that small ones use (which ``TrainingSetBuilderTests`` prove equal to the online store).
struct TrainingSetScanTests {
    static let minute = TrainingSetBuilderTests.minute
    static let base = TrainingSetBuilderTests.base

    /// A store of 20 keys, some with late events, with equal timestamps, notes, keys that never had an event, and
    /// entity rows before, between and after their key's events (some repeated), in shuffled order.
    static func fixture(_ directory: SQLiteTestDirectory) throws -> (path: String, table: EntityTable) {
        let path = directory.file("store.db")
        let store = try SQLiteOnlineStore(
            path: path, featureSets: [try FeatureSetDefinition(jsonText: TrainingSetBuilderTests.featureSetJSON)])
        var random = SeededRandom(seed: 7)
        var serveTime = base
        for batch in 0..<60 {
            serveTime += Int64(random.next(upTo: 9) + 1) * minute
            var events: [Value] = []
            for _ in 0..<(random.next(upTo: 7) + 1) {
                let index = random.next(upTo: 19)
                let key = "k\(index)"
                // Keys k0...k4 get late events (replayed per key); the others arrive in time order (streamed).
                let late = index < 5 && random.next(upTo: 2) == 0
                let time = late ? serveTime - Int64(random.next(upTo: 90)) * minute : serveTime
                let note: String? = random.next(upTo: 2) == 0 ? nil : "n\(batch),\"q\""
                events.append(
                    TrainingSetBuilderTests.event(key, time, Double(random.next(upTo: 10_000)) / 7, note: note))
            }
            _ = try store.ingestAndWait(events, into: "tx")
        }
        store.close()
        var rows: [(key: String, time: Int64)] = []
        for _ in 0..<400 {
            let key = random.next(upTo: 9) == 0 ? "never\(random.next(upTo: 3))" : "k\(random.next(upTo: 19))"
            rows.append((key, base + Int64(random.next(upTo: Int(serveTime - base + 40 * minute))) - 20 * minute))
        }
        rows.append(contentsOf: rows.prefix(20))
        return (path, TrainingSetBuilderTests.table(rows))
    }

    static func build(
        _ path: String, _ table: EntityTable, cutoff: TrainingSetBuilder.Cutoff, scanMinimumKeys: Int,
        scanThreads: Int = 1, progress: ((Int, Int) -> Void)? = nil
    ) throws -> TrainingSet {
        let vector = FeatureVectorDefinition(
            name: "v",
            features: try [
                "tx.note", "tx.amount_count_1h", "tx.amount_sum_24h", "tx.amount_stddev_1h", "tx.amount_min_24h",
                "tx.amount_avg_1h", "tx.amount_max_1h as peak",
            ].map { try FeatureReference(parsing: $0, path: "features") },
            labelFeature: try FeatureReference(parsing: "tx.amount", path: "label"))
        var builder = try TrainingSetBuilder(vector: vector, store: try OfflineStoreReader(path: path), cutoff: cutoff)
        builder.scanMinimumKeys = scanMinimumKeys
        builder.scanThreads = scanThreads
        return try builder.build(table, progress: progress)
    }

    static func csv(_ set: TrainingSet) -> String {
        var bytes: [UInt8] = []
        TrainingSetWriter(format: .csv).write(set) { bytes += $0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test(arguments: TrainingSetBuilder.Cutoff.allCases)
    func scanOfTheWholeLogGivesTheRowsOfPerKeyQueries(cutoff: TrainingSetBuilder.Cutoff) throws {
        let directory = try SQLiteTestDirectory()
        let (path, table) = try Self.fixture(directory)
        let queried = try Self.build(path, table, cutoff: cutoff, scanMinimumKeys: .max)
        let scanned = try Self.build(path, table, cutoff: cutoff, scanMinimumKeys: 0)
        #expect(scanned.featureColumns == queried.featureColumns)
        #expect(scanned.values.count == queried.values.count)
        #expect(zip(scanned.values, queried.values).filter { $0 != $1 }.count == 0)
        #expect(Self.csv(scanned) == Self.csv(queried))
        let filled = queried.values.filter { !$0.isNull }.count
        #expect(
            filled > queried.values.count / 3 && filled < queried.values.count, "\(filled) of \(queried.values.count)")
    }

    @Test(arguments: [2, 3, 16])
    func scanSplitOverThreadsByKeyRangeGivesTheSameRowsAndReportsEveryRow(threads: Int) throws {
        let directory = try SQLiteTestDirectory()
        let (path, table) = try Self.fixture(directory)
        let single = try Self.build(path, table, cutoff: .inclusive, scanMinimumKeys: 0)
        var reports: [(Int, Int)] = []
        let split = try Self.build(
            path, table, cutoff: .inclusive, scanMinimumKeys: 0, scanThreads: threads,
            progress: { reports.append(($0, $1)) })
        #expect(split.values.count == single.values.count)
        #expect(zip(split.values, single.values).filter { $0 != $1 }.count == 0)
        #expect(Self.csv(split) == Self.csv(single))
        #expect(reports.last.map { [$0.0, $0.1] } == [table.rows.count, table.rows.count])
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.0 < $1.0 })
    }

    @Test(arguments: [0, Int.max])
    func unreadableLoggedEventFailsTheBuildNamingItsRow(scanMinimumKeys: Int) throws {
        let directory = try SQLiteTestDirectory()
        let (path, table) = try Self.fixture(directory)
        // k19 sorts last, so with 2 threads its range is read by the started thread, not the caller's.
        let connection = try SQLiteConnection(path: path)
        let seq = try connection.count("SELECT min(seq) FROM event_log WHERE entity_key = '3:k19'")
        try connection.execute("UPDATE event_log SET event = '{\"key\": ' WHERE seq = \(seq)")
        let error = #expect(throws: TrainingSetError.self) {
            _ = try Self.build(
                path, table, cutoff: .inclusive, scanMinimumKeys: scanMinimumKeys, scanThreads: 2)
        }
        guard case .unreadableEvent(let featureSet, let failed, _)? = error else {
            Issue.record("expected unreadableEvent, got \(String(describing: error))")
            return
        }
        #expect(featureSet == "tx" && failed == seq && seq > 0)
    }
}
