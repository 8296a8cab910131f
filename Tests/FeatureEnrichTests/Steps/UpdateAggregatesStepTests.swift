import FeatureEnrich
import Foundation
import ServingGraph
import Synchronization
import Testing

/// `UpdateAggregates` followed by `EnrichWithFeatures` on a real store, from many threads at once (as event loops
/// run them): the fetch and the update of one request are one operation under the key's shard lock.
struct UpdateAggregatesStepTests {
    static let featureSetJSON = """
        {"name": "tx", "entities": [{"name": "key", "type": "string"}], "timestamp_key": "ts",
         "features": [{"name": "amount", "type": "double"}],
         "aggregations": [{"name": "amount", "column": "amount", "operations": ["count"], "windows": ["24h"],
                           "period": "1h"}]}
        """

    private func withStore(_ body: (SQLiteOnlineStore, OnlineFeatureService) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("uas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteOnlineStore(
            path: directory.appendingPathComponent("store.db").path,
            featureSets: [try FeatureSetDefinition(jsonText: Self.featureSetJSON)])
        defer { store.close() }
        let vector = try FeatureVectorDefinition(json: ["name": "v", "features": ["tx.amount_count_24h"]])
        let service = try OnlineFeatureService(vector: try vector.resolve(featureSets: store.featureSets), store: store)
        try body(store, service)
    }

    /// Runs `requestsPerThread` requests (key `keys[i % keys.count]`) through update-then-enrich on each of
    /// `threads` threads, every thread with its own steps; returns the `amount_count_24h` each request saw per
    /// key (null counts as 0) after every commit.
    private func run(
        store: SQLiteOnlineStore, service: OnlineFeatureService, order: UpdateAggregatesStep.UpdateOrder,
        keys: [String], threads: Int, requestsPerThread: Int
    ) throws -> [String: [Double]] {
        let seen = Mutex<[String: [Double]]>([:])
        let failures = Mutex<[String]>([])
        let tickets = Mutex<[CommitTicket]>([])
        let done = DispatchGroup()
        for thread in 0..<threads {
            done.enter()
            Thread {
                defer { done.leave() }
                let definition = store.featureSets[0]
                let update = UpdateAggregatesStep(
                    name: "update", store: store, featureSet: definition, fieldPaths: [], timestamp: nil, rows: nil,
                    order: order)
                let enrich = EnrichWithFeaturesStep(
                    name: "enrich", service: service, keyPaths: [], rows: nil, into: "features", onMissing: .null)
                for request in 0..<requestsPerThread {
                    let key = keys[(thread * requestsPerThread + request) % keys.count]
                    do {
                        let output = try enrich.run(try update.run(Event(body: ["key": .string(key), "amount": 1])))
                        let count = output.body["features"]?["amount_count_24h"]?.doubleValue ?? 0
                        seen.withLock { $0[key, default: []].append(count) }
                        if let ticket = output[CommitTicketKey.self] { tickets.withLock { $0.append(ticket) } }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
            }.start()
        }
        done.wait()
        #expect(failures.withLock { $0 }.isEmpty)
        let committed = Mutex<Int?>(nil)
        let signal = DispatchSemaphore(value: 0)
        CommitTicket.all(tickets.withLock { $0 }).whenDone { result in
            committed.withLock { $0 = try? result.get() }
            signal.signal()
        }
        signal.wait()
        #expect(committed.withLock { $0 } == threads * requestsPerThread)
        return seen.withLock { $0 }
    }

    @Test func afterFetchGivesEveryConcurrentRequestADistinctStateWithoutItsOwnEvent() throws {
        try withStore { store, service in
            let seen = try run(
                store: store, service: service, order: .afterFetch, keys: ["hot", "warm"], threads: 8,
                requestsPerThread: 50)
            #expect(seen["hot"]?.sorted() == (0..<200).map(Double.init))
            #expect(seen["warm"]?.sorted() == (0..<200).map(Double.init))
            let row = try store.read(featureSet: "tx", key: EntityKey(parts: ["hot"]), features: ["amount_count_24h"])
            #expect(row?["amount_count_24h"] == 200.0)
        }
    }

    @Test func beforeFetchGivesEveryConcurrentRequestADistinctStateWithItsOwnEvent() throws {
        try withStore { store, service in
            let seen = try run(
                store: store, service: service, order: .beforeFetch, keys: ["hot"], threads: 8, requestsPerThread: 40)
            #expect(seen["hot"]?.sorted() == (1...320).map(Double.init))
        }
    }

    @Test func afterFetchReadsAnEntityNeverIngestedAsMissingEvenThoughTheUpdateCreatedIt() throws {
        try withStore { store, service in
            let update = UpdateAggregatesStep(
                name: "update", store: store, featureSet: store.featureSets[0], fieldPaths: [], timestamp: nil,
                rows: nil, order: .afterFetch)
            let enrich = EnrichWithFeaturesStep(
                name: "enrich", service: service, keyPaths: [], rows: nil, into: "features", onMissing: .error)
            #expect(throws: ServingError.self) {
                _ = try enrich.run(try update.run(Event(body: ["key": "new", "amount": 1])))
            }
            let second = try enrich.run(try update.run(Event(body: ["key": "new", "amount": 1])))
            #expect(second.body["features"] == ["amount_count_24h": 1.0])
        }
    }
}
