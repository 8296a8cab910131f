import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// Concurrency, restart, eviction and definition changes of the online store (real SQLite files).
struct SQLiteOnlineStoreDurabilityTests {
    /// `count` events over `keys` keys with integer amounts and distinct times within one minute.
    static func events(count: Int, keys: Int, seed: UInt64) -> [Value] {
        var random = SplitMix(seed: seed)
        return (0..<count).map { index in
            StoreFixture.event("k\(random.next() % UInt64(keys))", Int64(index), Int(random.next() % 200) - 50)
        }
    }

    static let keys = (0..<16).map { "k\($0)" }

    @Test func eightThreadsOverTheSameKeysEqualASequentialRun() throws {
        let directory = try SQLiteTestDirectory()
        let perThread = (0..<8).map { Self.events(count: 10_000, keys: 16, seed: UInt64($0)) }
        // Distinct times across threads: thread t's event i is at i * 8 + t ms.
        let shifted: [[Value]] = perThread.enumerated().map { thread, events in
            events.enumerated().map { index, event in
                var object = event.objectValue ?? [:]
                let time = StoreFixture.event("", Int64(index * 8 + thread), 0)["timestamp"] ?? .null
                object["timestamp"] = time
                return .object(object)
            }
        }
        let concurrent = try SQLiteOnlineStore(
            path: directory.file("concurrent.db"), featureSets: [StoreFixture.transactions()])
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for chunk in stride(from: 0, to: shifted[thread].count, by: 100) {
                let slice = Array(shifted[thread][chunk..<min(chunk + 100, shifted[thread].count)])
                _ = try? concurrent.ingestAndWait(slice, into: "transactions")
            }
        }
        let sequential = try SQLiteOnlineStore(
            path: directory.file("sequential.db"), featureSets: [StoreFixture.transactions()])
        for events in shifted { _ = try sequential.ingestAndWait(events, into: "transactions") }
        let time = StoreFixture.base + 120_000
        let expected = try StoreFixture.rows(sequential, keys: Self.keys, at: time)
        // Arrival order differs between the runs: stdvar and stddev may differ in the last bits.
        expectRowsMatch(try StoreFixture.rows(concurrent, keys: Self.keys, at: time), expected)
        #expect(try concurrent.inspect().count("SELECT COUNT(*) FROM event_log") == 80_000)
        let total = expected.values.reduce(0.0) { $0 + ($1["amount_count_1h"]?.doubleValue ?? 0) }
        #expect(total == 80_000)
    }

    @Test func restartContinuesTheWindows() throws {
        let directory = try SQLiteTestDirectory()
        let events = Self.events(count: 4_000, keys: 16, seed: 9)
        let whole = try SQLiteOnlineStore(path: directory.file("whole.db"), featureSets: [StoreFixture.transactions()])
        _ = try whole.ingestAndWait(events, into: "transactions")
        do {
            let first = try SQLiteOnlineStore(
                path: directory.file("split.db"), featureSets: [StoreFixture.transactions()])
            _ = try first.ingestAndWait(Array(events[..<2_000]), into: "transactions")
            first.close()
        }
        let reopened = try SQLiteOnlineStore(
            path: directory.file("split.db"), featureSets: [StoreFixture.transactions()])
        _ = try reopened.ingestAndWait(Array(events[2_000...]), into: "transactions")
        let time = StoreFixture.base + 10_000
        #expect(
            try StoreFixture.rows(reopened, keys: Self.keys, at: time)
                == StoreFixture.rows(whole, keys: Self.keys, at: time))
    }

    @Test func evictionAndReloadGiveIdenticalReads() throws {
        let directory = try SQLiteTestDirectory()
        let events = Self.events(count: 3_000, keys: 16, seed: 4)
        let roomy = try SQLiteOnlineStore(path: directory.file("roomy.db"), featureSets: [StoreFixture.transactions()])
        let tight = try SQLiteOnlineStore(
            path: directory.file("tight.db"), featureSets: [StoreFixture.transactions()],
            configuration: OnlineStoreConfiguration(shardCount: 2, maxKeysInMemory: 4))
        for chunk in stride(from: 0, to: events.count, by: 50) {
            let slice = Array(events[chunk..<min(chunk + 50, events.count)])
            _ = try roomy.ingestAndWait(slice, into: "transactions")
            _ = try tight.ingestAndWait(slice, into: "transactions")
        }
        #expect(tight.keysInMemory <= 4)
        #expect(roomy.keysInMemory == 16)
        let time = StoreFixture.base + 5_000
        #expect(
            try StoreFixture.rows(tight, keys: Self.keys, at: time)
                == StoreFixture.rows(roomy, keys: Self.keys, at: time))
    }

    @Test func changedDefinitionIsRefusedNamingTheDifference() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()]).close()
        do {
            _ = try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.changedTransactions()])
            Issue.record("a changed definition must be refused")
        } catch let error as OnlineStoreError {
            #expect(
                error
                    == .definitionChanged(
                        name: "transactions",
                        differences: ["aggregation 'amount': windows changed from [1h, 24h] to [1h, 2h]"]))
            #expect(error.description.contains("windows changed from [1h, 24h] to [1h, 2h]"))
        }
    }

    @Test func rebuildRecomputesStateFromTheEventLog() throws {
        let directory = try SQLiteTestDirectory()
        let events = Self.events(count: 2_000, keys: 16, seed: 11)
        let path = directory.file("store.db")
        do {
            let store = try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()])
            _ = try store.ingestAndWait(events, into: "transactions")
            store.close()
        }
        let rebuilt = try SQLiteOnlineStore(
            path: path, featureSets: [StoreFixture.changedTransactions()], rebuild: true)
        let fresh = try SQLiteOnlineStore(
            path: directory.file("fresh.db"), featureSets: [StoreFixture.changedTransactions()])
        _ = try fresh.ingestAndWait(events, into: "transactions")
        let time = StoreFixture.base + 3_000
        let rows = try StoreFixture.rows(rebuilt, keys: Self.keys, at: time)
        #expect(rows == (try StoreFixture.rows(fresh, keys: Self.keys, at: time)))
        #expect(rows["k0"]?["amount_count_2h"] != nil)
        #expect(try rebuilt.inspect().count("SELECT COUNT(*) FROM event_log") == 2_000)
        let statistics = try rebuilt.inspect().count("SELECT count FROM feature_stats WHERE feature = 'amount'")
        #expect(statistics == 2_000)
        rebuilt.close()
        // Registered: reopening with the new definition needs no rebuild.
        _ = try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.changedTransactions()])
    }
}
