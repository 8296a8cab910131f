import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// Reads through a ``FeatureCellPlan`` (names resolved once) against the by-name read, over a real SQLite store
/// in a temporary directory.
struct FeatureCellPlanTests {
    static let paymentsJSON = """
        {"name": "payments", "entities": [{"name": "account", "type": "int64"}], "timestamp_key": "ts",
         "features": [{"name": "amount", "type": "double"}, {"name": "country", "type": "string"},
                      {"name": "tier", "type": "int64"}],
         "aggregations": [{"name": "amount", "column": "amount", "operations": ["count", "avg"],
                           "windows": ["1h"], "period": "10m"}],
         "ttl": "30m"}
        """
    /// 2026-01-01T00:00:00Z.
    static let base: Int64 = 1_767_225_600_000

    private func withStore(_ body: (SQLiteOnlineStore, [ResolvedFeatureVector.Column]) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cells-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteOnlineStore(
            path: directory.appendingPathComponent("store.db").path,
            featureSets: [try FeatureSetDefinition(jsonText: Self.paymentsJSON)])
        defer { store.close() }
        _ = try store.ingestAndWait(
            [
                ["account": 1, "ts": "2026-01-01T00:00:00Z", "amount": 10.0, "country": "DE"],
                ["account": 1, "ts": "2026-01-01T00:20:00Z", "amount": 30.0],
                ["account": 2, "ts": "2026-01-01T00:05:00Z", "tier": 3],
            ], into: "payments")
        let vector = try FeatureVectorDefinition(json: ["name": "all", "features": ["payments.*"]])
        try body(store, try vector.resolve(featureSets: store.featureSets).columns)
    }

    @Test(arguments: [base + 25 * 60_000, base + 45 * 60_000, base + 3 * 3_600_000])
    func appendsTheCellsTheReadByNameGives(at time: Int64) throws {
        try withStore { store, columns in
            let plan = try #require(store.cellPlan(featureSet: "payments", columns: columns))
            #expect(plan.count == columns.count)
            for account: Int64 in [1, 2] {
                var cells: [FeatureCell] = []
                let key = EntityKey(int64: account)
                #expect(try store.appendCells(plan, key: key, at: time, to: &cells))
                let expected = try store.cells(featureSet: "payments", key: key, columns: columns, at: time)
                #expect(cells == expected)
            }
        }
    }

    @Test func readsStatusesTimesAndAgeAsThePlanResolvedThem() throws {
        try withStore { store, columns in
            let plan = try #require(store.cellPlan(featureSet: "payments", columns: columns))
            var cells: [FeatureCell] = []
            _ = try store.appendCells(plan, key: EntityKey(int64: 1), at: Self.base + 45 * 60_000, to: &cells)
            let byName = Dictionary(uniqueKeysWithValues: zip(columns.map(\.name), cells))
            // amount at 00:20 is 25 minutes old (within the 30 minute ttl); country at 00:00 is 45 minutes old.
            #expect(byName["amount"] == FeatureCell(value: 30.0, status: .present, eventTime: Self.base + 20 * 60_000))
            #expect(byName["country"]?.status == .outsideMaxAge)
            #expect(byName["country"]?.value == "DE")
            #expect(byName["tier"] == FeatureCell(value: .null, status: .nullValue))
            #expect(byName["amount_count_1h"]?.value == 2.0)
            #expect(byName["amount_avg_1h"]?.eventTime == Self.base + 20 * 60_000)
        }
    }

    @Test func appendsNothingForAnEntityNeverIngestedAndKeepsEarlierCells() throws {
        try withStore { store, columns in
            let plan = try #require(store.cellPlan(featureSet: "payments", columns: columns))
            var cells: [FeatureCell] = []
            #expect(try store.appendCells(plan, key: EntityKey(int64: 1), at: nil, to: &cells))
            #expect(try !store.appendCells(plan, key: EntityKey(int64: 99), at: nil, to: &cells))
            #expect(cells.count == columns.count)
            #expect(store.cellPlan(featureSet: "missing", columns: columns) == nil)
        }
    }
}
