import FeatureEnrich
import ServingGraph
import Testing

/// The catalog read from a real store file: counts, times, statistics and the version history.
struct FeatureSetCatalogTests {
    @Test func reportsCountsTimesStatisticsAndEveryRegisteredVersion() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let first = try SQLiteOnlineStore(path: path, featureSets: [try StoreFixture.transactions()])
        _ = try first.ingestAndWait(
            [StoreFixture.event("a", 0, 2), StoreFixture.event("a", 60_000, 4), StoreFixture.event("b", 120_000, 6)],
            into: "transactions")
        first.close()
        let second = try SQLiteOnlineStore(
            path: path, featureSets: [try StoreFixture.changedTransactions()], rebuild: true)
        second.close()
        let entry = try #require(try FeatureSetCatalog(path: path).entry(named: "transactions"))
        #expect(entry["rows"] == .int(3))
        #expect(entry["entities"] == .int(2))
        #expect(entry["first_event_ms"] == .int(StoreFixture.base))
        #expect(entry["last_event_ms"] == .int(StoreFixture.base + 120_000))
        #expect(entry["statistics"]?["amount"]?["mean"] == .double(4))
        #expect(entry["statistics"]?["amount"]?["stddev"] == .double(2))
        #expect(entry["statistics"]?["amount"]?["min"] == .double(2))
        guard case .array(let versions)? = entry["versions"] else {
            Issue.record("no versions in \(entry)")
            return
        }
        #expect(versions.map { $0["version"] } == [.int(1), .int(2)])
        #expect(versions.last?["hash"] == entry["hash"])
        #expect(versions.first?["hash"] != entry["hash"])
        #expect(try FeatureSetCatalog(path: path).entry(named: "nope") == nil)
    }
}
