import FeatureEnrich
import Foundation
import ServingGraph
import Testing

@testable import ModelServer

/// The shared cache of resolved `/get-online-features` plans, over a real store in a temporary directory.
@Suite(.serialized)
struct FeastReadPlanCacheTests {
    private static let featureSet = """
        {"name": "customer_stats", "entities": [{"name": "customer_id", "type": "int64"}],
         "timestamp_key": "event_timestamp",
         "features": [{"name": "amount_avg_1d", "type": "double"}, {"name": "country", "type": "string"}]}
        """

    private func withStore(_ body: (SQLiteOnlineStore) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plans-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteOnlineStore(
            path: directory.appendingPathComponent("store.db").path,
            featureSets: [try FeatureSetDefinition(jsonText: Self.featureSet)])
        defer { store.close() }
        try body(store)
    }

    @Test func resolvesEachFeatureListOnceAndReusesThePlan() throws {
        try withStore { store in
            let cache = FeastReadPlanCache()
            let references = ["customer_stats:country", "customer_stats:amount_avg_1d"]
            var resolutions = 0
            for _ in 0..<3 {
                let plan = try cache.plan(for: .features(references)) { () throws(FeastError) in
                    resolutions += 1
                    return try FeastReadPlan(references: references, store: store)
                }
                #expect(plan.columns.map(\.name) == ["country", "amount_avg_1d"])
                #expect(plan.joinKeys.map(\.name) == ["customer_id"])
            }
            #expect(resolutions == 1)
            #expect(cache.count == 1)
        }
    }

    @Test func keepsNoPlanForAListThatFailedToResolve() throws {
        try withStore { store in
            let cache = FeastReadPlanCache()
            let references = ["customer_stats:missing"]
            for _ in 0..<2 {
                #expect(throws: FeastError.self) {
                    try cache.plan(for: .features(references)) { () throws(FeastError) in
                        try FeastReadPlan(references: references, store: store)
                    }
                }
            }
            #expect(cache.count == 0)
        }
    }

    @Test func startsOverPastItsBound() throws {
        try withStore { store in
            let cache = FeastReadPlanCache()
            let plan = try FeastReadPlan(references: ["customer_stats:country"], store: store)
            for index in 0...FeastReadPlanCache.maxPlans {
                _ = try cache.plan(for: .service("service-\(index)")) { () throws(FeastError) in plan }
            }
            #expect(cache.count == 1)
        }
    }

    @Test func namesTheMissingJoinKeyOfTheRequestsEntities() throws {
        try withStore { store in
            let plan = try FeastReadPlan(references: ["customer_stats:country"], store: store)
            #expect(throws: Never.self) { try plan.checkJoinKeys(in: ["customer_id": [1]]) }
            #expect {
                try plan.checkJoinKeys(in: ["account": [1]])
            } throws: { error in
                "\(error)" == "entities: missing join key 'customer_id' of feature view 'customer_stats'"
            }
        }
    }
}
