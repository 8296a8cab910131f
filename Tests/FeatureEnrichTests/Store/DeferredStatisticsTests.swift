import Dispatch
import FeatureEnrich
import Synchronization
import Testing

/// The statistics of real-time writes folded once per writer batch (``DeferredStatistics``) hold the same bits
/// as the store's SQL upsert (``StoreStatements/mergeStatistics(_:featureSet:feature:_:)``, which batch ingest still
/// runs) applied item by item, and only for the items that commit.
struct DeferredStatisticsTests {
    private static func statistics(_ values: [Double], nulls: Int64 = 0, nonNumeric: Int = 0) -> FeatureStatistics {
        var statistics = FeatureStatistics()
        for value in values { statistics.add(value) }
        for _ in 0..<nonNumeric { statistics.addNonNumeric() }
        statistics.nullCount = nulls
        return statistics
    }

    private static func row(_ feature: String, _ connection: SQLiteConnection) throws -> StatisticsRow? {
        guard
            let row = try connection.query(
                "SELECT count, null_count, mean, m2, min, max FROM feature_stats WHERE feature_set = 'set' AND feature = ?",
                [.text(feature)]
            ).first
        else { return nil }
        return StatisticsRow(
            count: row[0].integerValue ?? -1, nullCount: row[1].integerValue ?? -1, mean: row[2].realValue,
            m2: row[3].realValue, min: row[4].realValue, max: row[5].realValue)
    }

    /// Items as requests send them: single values, batches, nulls, and a feature that is not numeric.
    private static let items: [FeatureStatistics] = [
        statistics([], nulls: 1), statistics([12.5]), statistics([3.25, 1e9, -7.125]), statistics([0.1], nulls: 2),
        statistics([1.0 / 3.0]), statistics([], nulls: 3), statistics([2.5e-8, 99.75]), statistics([-0.0]),
    ]

    @Test func foldingItemsGivesTheSameBitsAsOneUpsertPerItem() throws {
        let directory = try SQLiteTestDirectory()
        let connection = try SQLiteConnection(path: directory.file("reference.db"))
        try connection.execute(
            """
            CREATE TABLE feature_stats (feature_set TEXT NOT NULL, feature TEXT NOT NULL, count INTEGER NOT NULL,
            null_count INTEGER NOT NULL DEFAULT 0, mean REAL, m2 REAL, min REAL, max REAL,
            PRIMARY KEY (feature_set, feature)) WITHOUT ROWID
            """)
        let labels = [
            Self.statistics([], nonNumeric: 2), Self.statistics([], nulls: 1), Self.statistics([], nonNumeric: 1),
        ]
        var folded: StatisticsRow?
        var foldedLabels: StatisticsRow?
        for item in Self.items {
            try StoreStatements.mergeStatistics(connection, featureSet: "set", feature: "amount", item)
            folded = StatisticsRow.merging(folded, item)
            #expect(try Self.row("amount", connection) == folded)
        }
        for item in labels {
            try StoreStatements.mergeStatistics(connection, featureSet: "set", feature: "label", item)
            foldedLabels = StatisticsRow.merging(foldedLabels, item)
        }
        #expect(try Self.row("label", connection) == foldedLabels)
        #expect(foldedLabels?.mean == nil && foldedLabels?.count == 3 && foldedLabels?.nullCount == 1)
    }

    @Test func writesOnlyTheItemsWhoseSavepointsCommitOncePerBatch() throws {
        let directory = try SQLiteTestDirectory()
        let deferred = DeferredStatistics()
        let writer = try StoreWriter(
            path: directory.file("store.db"), configuration: StoreWriterConfiguration(batchObservers: [deferred]))
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let results = Mutex<[Int: Bool]>([:])
        // Park the writer so that every item below lands in one batch.
        writer.submit({ _ in
            entered.signal()
            release.wait()
        }) { _ in }
        entered.wait()
        struct Refused: Error {}
        for (index, item) in Self.items.enumerated() {
            writer.submit({ _ in
                deferred.stage(featureSet: "set", feature: "amount", item)
                if index == 2 { throw Refused() }
            }) { result in
                results.withLock { $0[index] = (try? result.get()) != nil }
            }
        }
        release.signal()
        try writer.submitAndWait { _ in }
        var expected: StatisticsRow?
        for (index, item) in Self.items.enumerated() where index != 2 {
            expected = StatisticsRow.merging(expected, item)
        }
        let stored = Mutex<StatisticsRow?>(nil)
        try writer.submitAndWait { connection in
            let row = try Self.row("amount", connection)
            stored.withLock { $0 = row }
        }
        writer.close()
        #expect(stored.withLock { $0 } == expected)
        #expect(results.withLock { $0 }.filter { !$0.value }.keys.sorted() == [2])
        #expect(writer.statistics.largestBatch >= Self.items.count)
    }
}
