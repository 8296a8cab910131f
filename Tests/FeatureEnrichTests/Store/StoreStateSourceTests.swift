import Dispatch
import Foundation
import ServingGraph
import Synchronization
import Testing

@testable import FeatureEnrich

/// Where a flush behind the log reads a key's committed state (``StoreStateSource``): memory when no write of the
/// key is in flight, the bytes an eviction kept, the row and the log otherwise; and a key with writes in flight
/// writes its row through with its next write.
struct StoreStateSourceTests {
    static let keys = SQLiteOnlineStoreWriteBehindTests.keys
    static let readTime = SQLiteOnlineStoreWriteBehindTests.readTime

    static func key(_ entity: String) -> StoreShard.Key {
        StoreShard.Key(featureSet: 0, entity: EntityKey(parts: [entity]).encoded)
    }

    static func source(_ store: SQLiteOnlineStore) -> StoreStateSource {
        StoreStateSource(shards: store.shards, registered: store.registered, evicted: store.pendingStates.evicted)
    }

    /// The state `bytes` give, as the row of `entity` a store of them reads at ``readTime``.
    static func row(_ bytes: [UInt8], of entity: String, _ store: SQLiteOnlineStore) throws -> ValueObject {
        let state = try store.registered[0].state(from: bytes, key: key(entity).entity)
        return store.registered[0].row(state, at: readTime, features: nil)
    }

    /// Holds the store writer inside an item until `release()`: later writes stay in flight.
    final class HeldWriter: Sendable {
        private let entered = DispatchSemaphore(value: 0)
        private let gate = DispatchSemaphore(value: 0)

        init(_ store: SQLiteOnlineStore) {
            store.writer.submit(
                { [entered, gate] _ in
                    entered.signal()
                    gate.wait()
                }, completion: { _ in })
            WriterWakeUpDeferral.deliver()
            entered.wait()
        }

        func release() { gate.signal() }
    }

    /// Ingests `events` without waiting; the returned semaphore is signalled after the commit.
    static func ingestInFlight(_ events: [Value], _ store: SQLiteOnlineStore) throws -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        try store.ingest(events, into: "transactions", eventID: nil) { _ in done.signal() }
        return done
    }

    @Test func aKeyWithAWriteInFlightIsAskedForItsStateAndItsNextWriteUpsertsTheRow() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStoreWriteBehindTests.lagging(directory.file("store.db"))
        let created = StoreFixture.event("k0", 0, 5)
        let behind = StoreFixture.event("k0", 1_000, 7)
        _ = try store.ingestAndWait([created], into: "transactions")
        _ = try store.ingestAndWait([behind], into: "transactions")
        #expect(store.pendingStates.isBehind(Self.key("k0")))
        let held = HeldWriter(store)
        let inFlight = try Self.ingestInFlight([StoreFixture.event("k0", 2_000, 11)], store)
        let disk = try store.inspect()
        let source = Self.source(store)
        // Memory runs ahead of the log: no state from it; rebuilt from the row and the log, the committed one.
        guard case .inFlight = try source.committedState(of: Self.key("k0"), connection: disk, rebuildsInFlight: false)
        else {
            Issue.record("a key with a write in flight gave a state")
            held.release()
            return
        }
        let rebuilt = try source.committedState(of: Self.key("k0"), connection: disk, rebuildsInFlight: true)
        held.release()
        inFlight.wait()
        let reference = try SQLiteOnlineStore(
            path: directory.file("reference.db"), featureSets: [StoreFixture.transactions()])
        _ = try reference.ingestAndWait([created, behind], into: "transactions")
        guard case .state(let bytes, nil) = rebuilt else {
            Issue.record("no rebuilt state: \(rebuilt)")
            return
        }
        expectRowsMatch(
            ["k0": try Self.row(bytes, of: "k0", store)],
            try StoreFixture.rows(reference, keys: ["k0"], at: Self.readTime))
        // The key's next write upserts its row itself: nothing is behind any more.
        let next = StoreFixture.event("k0", 3_000, 13)
        _ = try store.ingestAndWait([next], into: "transactions")
        #expect(!store.pendingStates.isBehind(Self.key("k0")))
        #expect(try SQLiteOnlineStoreWriteBehindTests.rowsBehind(disk) == 0)
        _ = try reference.ingestAndWait([StoreFixture.event("k0", 2_000, 11), next], into: "transactions")
        let image = try SQLiteOnlineStoreWriteBehindTests.crashImage(of: store, directory)
        expectRowsMatch(
            try StoreFixture.rows(
                SQLiteOnlineStore(path: image, featureSets: [StoreFixture.transactions()]), keys: ["k0"],
                at: Self.readTime),
            try StoreFixture.rows(reference, keys: ["k0"], at: Self.readTime))
    }

    @Test func aKeyWithNoWriteInFlightGivesItsMemoryStateUpToTheLogsEnd() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStoreWriteBehindTests.lagging(directory.file("store.db"))
        let events = SQLiteOnlineStoreWriteBehindTests.events(count: 40, seed: 31)
        for event in events { _ = try store.ingestAndWait([event], into: "transactions") }
        let state = try Self.source(store).committedState(
            of: Self.key("k1"), connection: store.inspect(), rebuildsInFlight: false)
        guard case .state(let bytes, nil) = state else {
            Issue.record("no memory state: \(state)")
            return
        }
        let memory = try #require(try store.entityState(position: 0, key: EntityKey(parts: ["k1"])))
        #expect(bytes == memory.serialized())
    }

    @Test func anEvictedKeyBehindTheLogKeepsItsStateAndAFullFlushWritesIt() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStoreWriteBehindTests.lagging(
            directory.file("store.db"), shardCount: 1, maxKeysInMemory: 2)
        let events = SQLiteOnlineStoreWriteBehindTests.events(count: 300, seed: 32)
        for chunk in stride(from: 0, to: events.count, by: 3) {
            _ = try store.ingestAndWait(Array(events[chunk..<chunk + 3]), into: "transactions")
        }
        #expect(store.pendingStates.evicted.count > 0)
        let disk = try store.inspect()
        let evictedKey = try #require(
            Self.keys.first { entity in
                store.shards[0].withLock { $0.peek(Self.key(entity)) == nil }
                    && store.pendingStates.isBehind(Self.key(entity))
            })
        // The kept bytes are the key's committed state: the reference's row.
        let kept = try #require(store.pendingStates.evicted.state(of: Self.key(evictedKey)))
        var expected = try SQLiteOnlineStoreWriteBehindTests.reference(directory, [events])
        expectRowsMatch(
            [evictedKey: try Self.row(kept.bytes, of: evictedKey, store)],
            [evictedKey: try #require(expected[evictedKey])])
        // A newer committed state of the key supersedes what its eviction kept (a write that failed later
        // evicts it without keeping anything: the flush must not fall back to the older bytes).
        let update = StoreFixture.event(evictedKey, 900_000, 17)
        _ = try store.ingestAndWait([update], into: "transactions")
        #expect(store.pendingStates.evicted.state(of: Self.key(evictedKey)) == nil)
        try store.writer.submitAndWait { [pendingStates = store.pendingStates] connection in
            try pendingStates.flush(connection, now: 0)
        }
        #expect(store.pendingStates.evicted.count == 0)
        #expect(!Self.keys.contains { store.pendingStates.isBehind(Self.key($0)) })
        #expect(try disk.count("SELECT through_seq FROM state_flush_marks") == 301)
        expected = try SQLiteOnlineStoreWriteBehindTests.reference(directory, [events, [update]], name: "after.db")
        // The rows alone (the marks are at the log's end: nothing is replayed) are the reference's.
        let image = try SQLiteOnlineStoreWriteBehindTests.crashImage(of: store, directory)
        expectRowsMatch(
            try StoreFixture.rows(
                SQLiteOnlineStore(path: image, featureSets: [StoreFixture.transactions()]), keys: Self.keys,
                at: Self.readTime),
            expected)
    }

    @Test func roundsOverHotKeysWithWritesAlwaysInFlightEndAndKeepEveryRowExact() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(
            path: directory.file("store.db"), featureSets: [StoreFixture.transactions()],
            configuration: OnlineStoreConfiguration(
                shardCount: 2, stateFlushIntervalMilliseconds: 3_600_000, stateFlushMaxPending: 1))
        let hot = ["h0", "h1", "h2"]
        let created = hot.enumerated().map { StoreFixture.event($1, Int64($0), 1) }
        _ = try store.ingestAndWait(created, into: "transactions")
        // Requests submitted back to back without waiting: the hot keys almost always have writes in flight.
        var random = SplitMix(seed: 33)
        let updates = (0..<3_000).map { index in
            StoreFixture.event(hot[Int(random.next() % 3)], 1_000 + Int64(index), Int(random.next() % 50))
        }
        let done = DispatchSemaphore(value: 0)
        let failures = Atomic<Int>(0)
        for event in updates {
            try store.ingest([event], into: "transactions", eventID: nil) { result in
                if case .failure = result { failures.add(1, ordering: .relaxed) }
                done.signal()
            }
        }
        WriterWakeUpDeferral.deliver()
        for _ in updates { done.wait() }
        #expect(failures.load(ordering: .relaxed) == 0)
        let reference = try SQLiteOnlineStore(
            path: directory.file("reference.db"), featureSets: [StoreFixture.transactions()])
        _ = try reference.ingestAndWait(created + updates, into: "transactions")
        let expected = try StoreFixture.rows(reference, keys: hot, at: Self.readTime)
        expectRowsMatch(try StoreFixture.rows(store, keys: hot, at: Self.readTime), expected)
        // Rounds ended while the keys stayed hot (their mark moved), and the file alone reopens to the same rows.
        #expect(try store.inspect().count("SELECT COALESCE(MAX(through_seq), 0) FROM state_flush_marks") > 3)
        let image = try SQLiteOnlineStoreWriteBehindTests.crashImage(of: store, directory)
        expectRowsMatch(
            try StoreFixture.rows(
                SQLiteOnlineStore(path: image, featureSets: [StoreFixture.transactions()]), keys: hot,
                at: Self.readTime),
            expected)
    }
}
