import FeatureEnrich
import Foundation
import Glibc
import ServingGraph
import Testing

/// Offline reads of a log whose key index lags it (schema migration 7): time travel, its entities and training
/// sets (per-key queries and the scan) read the key rows up to the mark plus the log's rows above it, and give
/// what a store with a complete index gives; migration, retention and Feast offline pushes keep the index exact.
struct OfflineReadsBehindTheLogIndexTests {
    typealias WriteBehind = SQLiteOnlineStoreWriteBehindTests
    static let keys = WriteBehind.keys
    static let times = [StoreFixture.base + 1_000, StoreFixture.base + 4_000, WriteBehind.readTime]

    /// The `amount_count_24h` each key has at the last of ``times`` after `events` (nil: no row), then nil (a key
    /// without events).
    static func counts(_ events: [Value]) -> [Value?] {
        let counts = keys.map { key in events.filter { $0["key"]?.stringValue == key }.count }
        return counts.map { $0 == 0 ? nil : .double(Double($0)) } + [nil]
    }

    @Test func readsBehindTheMarkEqualThoseOfACompleteIndex() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        // Rounds past 10 waiting keys, states never flushed (6 keys), 2 in memory: key rows below the mark, log
        // rows above it, and disk loads of states far behind both.
        let store = try SQLiteOnlineStore(
            path: path, featureSets: [StoreFixture.transactions()],
            configuration: OnlineStoreConfiguration(
                shardCount: 1, maxKeysInMemory: 2, stateFlushIntervalMilliseconds: 3_600_000, stateFlushMaxPending: 10,
                logIndexIntervalMilliseconds: 3_600_000, logIndexMaxPending: 10)
        )
        let events = WriteBehind.events(count: 305, seed: 51)
        try PendingLogIndexTests.ingest(Array(events[..<300]), into: store, by: 10)
        _ = try store.ingestAndWait(Array(events[300...]), into: "transactions")
        let behind = try LogIndexSnapshot(store.inspect())
        #expect(behind.mark > 0 && behind.mark < behind.maxSeq, "\(behind)")
        #expect(behind.keyRows > 0 && behind.keyRows < behind.logRows && behind.unkeyedBelowMark == 0, "\(behind)")
        let complete = try directory.completeStore([events])
        #expect(try LogIndexSnapshot(path: complete).isComplete)
        let reads = try OfflineReads.transactions(path, keys: Self.keys + ["absent"], times: Self.times)
        #expect(reads == (try OfflineReads.transactions(complete, keys: Self.keys + ["absent"], times: Self.times)))
        #expect(Array(reads.counts.suffix(Self.keys.count + 1)) == Self.counts(events))
        expectRowsMatch(
            try StoreFixture.rows(store, keys: Self.keys, at: WriteBehind.readTime),
            try WriteBehind.reference(directory, [events]))
    }

    @Test func migrationSevenIndexesAVersionSixLogAndDropsItsIndex() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let events = WriteBehind.events(count: 200, seed: 52)
        let offline = [StoreFixture.event("k0", 90_000, 1_000)]
        let store = try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()])
        try PendingLogIndexTests.ingest(events, into: store, by: 20)
        _ = try store.ingestAndWait(offline, into: "transactions", target: .offline)
        store.close()
        // Back to a version-6 file: the event log's index, no key table, no mark.
        let connection = try SQLiteConnection(path: path)
        try connection.dropKeyIndexTables()
        try connection.execute("DELETE FROM schema_version WHERE version >= 7")
        #expect(try connection.count("SELECT MAX(version) FROM schema_version") == 6)
        let migrated = try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()])
        let disk = try migrated.inspect()
        #expect(try disk.count("SELECT MAX(version) FROM schema_version") == Int64(StoreSchema.migrations.count))
        let snapshot = try LogIndexSnapshot(disk)
        #expect(snapshot.isComplete, "\(snapshot)")
        #expect(snapshot.logRows == 201 && snapshot.mark == 201)
        #expect(try disk.count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'event_log_by_entity_time'") == 0)
        let reads = try OfflineReads.transactions(path, keys: Self.keys, times: Self.times)
        #expect(
            reads
                == (try OfflineReads.transactions(
                    directory.completeStore([events, offline]), keys: Self.keys, times: Self.times)))
        #expect(reads.counts.suffix(Self.keys.count) == Self.counts(events + offline).dropLast())
        expectRowsMatch(
            try StoreFixture.rows(migrated, keys: Self.keys, at: WriteBehind.readTime),
            try WriteBehind.reference(directory, [events]))
    }

    @Test func retentionOnOpenDeletesTheKeyRowsOfPrunedEventsAndKeepsTheOthers() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let seconds = Int64(time(nil))
        let old = Int64(StoreFixture.base / 1000)
        func event(_ key: String, _ time: Int64, _ amount: Int) -> Value {
            ["key": .string(key), "timestamp": .int(time), "amount": .int(Int64(amount))]
        }
        let recent = [event("a", seconds - 3_600, 1), event("b", seconds - 3_000, 2), event("a", seconds - 2_000, 3)]
        // The newest rows are the pruned ones: their seqs are taken again by the events after the reopening.
        let stale = [event("a", old, 4), event("c", old + 1, 5), event("c", old + 2, 6)]
        let store = try SQLiteOnlineStore(
            path: path, featureSets: [try OfflineLogRetentionTests.definition(retention: nil)])
        _ = try store.ingestAndWait(recent, into: "tx")
        _ = try store.ingestAndWait(stale, into: "tx")
        store.close()
        #expect(try LogIndexSnapshot(path: path).keyRows == 6)
        let pruning = try SQLiteOnlineStore(
            path: path, featureSets: [try OfflineLogRetentionTests.definition(retention: "7d")])
        let pruned = try LogIndexSnapshot(pruning.inspect())
        #expect(pruned.isComplete && pruned.logRows == 3 && pruned.mark == 3, "\(pruned)")
        #expect(try pruning.inspect().count("SELECT COUNT(*) FROM event_log_keys WHERE entity_key = '1:c'") == 0)
        let later = [event("c", seconds - 1_000, 7), event("d", seconds - 500, 8)]
        _ = try pruning.ingestAndWait(later, into: "tx")
        pruning.close()
        let reopened = try LogIndexSnapshot(path: path)
        #expect(reopened.isComplete && reopened.logRows == 5, "\(reopened)")
        let fresh = try SQLiteOnlineStore(
            path: directory.file("fresh.db"), featureSets: [try OfflineLogRetentionTests.definition(retention: nil)])
        _ = try fresh.ingestAndWait(recent + later, into: "tx")
        fresh.close()
        let now = seconds * 1_000
        let read = { (path: String) in
            try OfflineReads(
                path, featureSet: "tx", keys: ["a", "b", "c", "d"], times: [now - 2_500_000, now], features: ["amount"])
        }
        let reads = try read(path)
        #expect(reads == (try read(directory.file("fresh.db"))))
        #expect(reads.rows.suffix(4).map { $0?["amount"] } == [.double(3), .double(2), .double(7), .double(8)])
    }

    @Test func anOfflinePushIsKeyedBehindTheLogAndReadableBeforeAndAfterItsRound() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let store = try PendingLogIndexTests.store(path, maxPending: 20)
        let events = WriteBehind.events(count: 25, seed: 53)
        _ = try store.ingestAndWait(Array(events[..<15]), into: "transactions", target: .offline)
        let behind = try LogIndexSnapshot(store.inspect())
        #expect(behind.logRows == 15 && behind.keyRows == 0 && behind.mark == 0, "\(behind)")
        let first = try OfflineReads.transactions(path, keys: Self.keys, times: Self.times)
        #expect(
            first
                == (try OfflineReads.transactions(
                    directory.completeStore([Array(events[..<15])], name: "first.db"), keys: Self.keys,
                    times: Self.times)))
        #expect(first.counts.suffix(Self.keys.count) == Self.counts(Array(events[..<15])).dropLast())
        // 25 keys waiting, past 20: the second push's commit runs the whole round.
        _ = try store.ingestAndWait(Array(events[15...]), into: "transactions", target: .offline)
        let indexed = try LogIndexSnapshot(store.inspect())
        #expect(indexed.isComplete && indexed.logRows == 25, "\(indexed)")
        let all = try OfflineReads.transactions(path, keys: Self.keys, times: Self.times)
        #expect(
            all
                == (try OfflineReads.transactions(
                    directory.completeStore([events], name: "all.db"), keys: Self.keys, times: Self.times)))
        #expect(all.counts.suffix(Self.keys.count) == Self.counts(events).dropLast())
    }
}
