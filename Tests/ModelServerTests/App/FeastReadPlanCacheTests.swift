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
                let plan = try cache.plan(for: .featureList(references)) { () throws(FeastError) in
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
                    try cache.plan(for: .featureList(references)) { () throws(FeastError) in
                        try FeastReadPlan(references: references, store: store)
                    }
                }
            }
            #expect(cache.count == 0)
        }
    }

    @Test func matchesARecentListByItsBytesAndNoOtherSpelling() throws {
        try withStore { store in
            let cache = FeastReadPlanCache()
            let body = #"{"features": ["customer_stats:country"], "entities": {"customer_id": [1]}}"#
            let read = { (text: String) in
                FeastOnlineRequestReader.read(Array(text.utf8), featureServices: [:], plans: cache)
            }
            let first = try #require(read(body))
            #expect(first.plan == nil)
            let plan = try cache.plan(for: first.features) { () throws(FeastError) in
                try FeastReadPlan(references: ["customer_stats:country"], store: store)
            }
            let again = try #require(read(body))
            #expect(again.plan === plan)
            #expect(again.features == first.features)
            let respaced = try #require(read(body.replacingOccurrences(of: #"["c"#, with: #"[ "c"#)))
            #expect(respaced.plan == nil)
            #expect(respaced.features != first.features)
        }
    }

    @Test func matchesARecentFeatureServiceByItsName() throws {
        try withStore { store in
            let cache = FeastReadPlanCache()
            let services = ["svc": ["customer_stats:country"]]
            let body = Array(#"{"feature_service": "svc", "entities": {"customer_id": [1]}}"#.utf8)
            let first = try #require(FeastOnlineRequestReader.read(body, featureServices: services, plans: cache))
            #expect(first.plan == nil && first.features == .service("svc"))
            let plan = try cache.plan(for: .service("svc")) { () throws(FeastError) in
                try FeastReadPlan(references: ["customer_stats:country"], store: store)
            }
            let again = try #require(FeastOnlineRequestReader.read(body, featureServices: services, plans: cache))
            #expect(again.plan === plan && again.features == .service("svc"))
            let other = Array(#"{"feature_service": "svc2", "entities": {"customer_id": [1]}}"#.utf8)
            #expect(FeastOnlineRequestReader.read(other, featureServices: services, plans: cache) == nil)
        }
    }

    @Test func keepsOnlyTheLastFewListsForMatchingInPlace() throws {
        try withStore { store in
            let cache = FeastReadPlanCache()
            let plan = try FeastReadPlan(references: ["customer_stats:country"], store: store)
            let lists = (0...FeastReadPlanCache.maxRecent).map { index in
                FeastReadPlanCache.FeatureListText(Array(repeating: "customer_stats:country", count: index + 1))
            }
            for list in lists { _ = try cache.plan(for: .features(list)) { () throws(FeastError) in plan } }
            let matched = lists.map { list in
                list.bytes.withUnsafeBytes { cache.recent(prefixOf: $0) != nil }
            }
            #expect(matched == [false] + Array(repeating: true, count: FeastReadPlanCache.maxRecent))
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
            let columns = [
                FeastOnlineRequest.EntityColumn(name: "account", values: [2]),
                FeastOnlineRequest.EntityColumn(name: "customer_id", values: [1]),
            ]
            #expect(try plan.joinKeyColumns(in: columns) == [1])
            #expect {
                try plan.joinKeyColumns(in: [FeastOnlineRequest.EntityColumn(name: "account", values: [1])])
            } throws: { error in
                "\(error)" == "entities: missing join key 'customer_id' of feature view 'customer_stats'"
            }
        }
    }
}
