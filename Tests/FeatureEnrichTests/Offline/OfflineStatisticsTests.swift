import FeatureEnrich
import ServingGraph
import Testing

/// Statistics from the offline event log over a time range (real SQLite files).
struct OfflineStatisticsTests {
    @Test func countsNullsAndMomentsOfTheEventsInTheRange() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let store = try SQLiteOnlineStore(path: path, featureSets: [try StoreFixture.transactions()])
        _ = try store.ingestAndWait(
            [
                StoreFixture.event("a", 0, 2), StoreFixture.event("a", 60_000, 4),
                ["key": "b", "timestamp": "1767225720", "note": "x"], StoreFixture.event("b", 3_600_000, 100),
            ], into: "transactions")
        store.close()
        let all = try OfflineStatistics(path: path, featureSet: "transactions")
        #expect(all.columns.map(\.name) == ["amount", "note"])
        #expect(all.columns[0].events == 4)
        #expect(all.columns[0].nulls == 1)
        #expect(all.columns[1].nulls == 3)
        let early = try OfflineStatistics(
            path: path, featureSet: "transactions", from: StoreFixture.base, to: StoreFixture.base + 3_600_000)
        let amount = early.columns[0]
        #expect([amount.events, amount.nulls, amount.count] == [3, 1, 2])
        #expect([amount.min, amount.max, amount.mean] == [2, 4, 3])
        #expect(amount.stddev == Double(2).squareRoot())
        #expect(throws: OnlineStoreError.unknownFeatureSet(name: "nope")) {
            _ = try OfflineStatistics(path: path, featureSet: "nope")
        }
    }
}
