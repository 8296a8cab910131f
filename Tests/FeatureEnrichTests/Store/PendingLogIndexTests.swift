import FeatureEnrich
import Foundation
import ServingGraph
import Synchronization
import Testing

/// The event log's key index written behind the log (schema migration 7, `PendingLogIndex`): rounds, close, batch
/// ingestion and reopening a crash image leave every log row with exactly its key row and the mark at the log's
/// last row, and no row at or below the mark is ever without its key row.
struct PendingLogIndexTests {
    typealias WriteBehind = SQLiteOnlineStoreWriteBehindTests
    static let keys = WriteBehind.keys
    static let readTime = WriteBehind.readTime

    static func store(_ path: String, intervalMilliseconds: Int = 3_600_000, maxPending: Int) throws
        -> SQLiteOnlineStore
    {
        try SQLiteOnlineStore(
            path: path, featureSets: [StoreFixture.transactions()],
            configuration: OnlineStoreConfiguration(
                stateFlushIntervalMilliseconds: intervalMilliseconds, stateFlushMaxPending: maxPending,
                logIndexIntervalMilliseconds: intervalMilliseconds, logIndexMaxPending: maxPending))
    }

    /// `count` events over keys `m0` ..< `m<keys>`, one per millisecond from `offset`, random amounts 1-90.
    static func spread(count: Int, keys: Int, seed: UInt64, offset: Int64 = 0) -> [Value] {
        var random = SplitMix(seed: seed)
        return (0..<count).map { index in
            StoreFixture.event(
                "m\(random.next() % UInt64(keys))", offset + Int64(index), Int(random.next() % 90) + 1)
        }
    }

    static func ingest(_ events: [Value], into store: SQLiteOnlineStore, by size: Int) throws {
        for start in stride(from: 0, to: events.count, by: size) {
            _ = try store.ingestAndWait(Array(events[start..<min(start + size, events.count)]), into: "transactions")
        }
    }

    @Test func pastTheMaximumPendingKeysARoundIndexesThemAndRaisesTheMark() throws {
        let directory = try SQLiteTestDirectory()
        let store = try Self.store(directory.file("store.db"), maxPending: 10)
        let disk = try store.inspect()
        let events = WriteBehind.events(count: 60, seed: 21)
        for event in events {
            _ = try store.ingestAndWait([event], into: "transactions")
            let snapshot = try LogIndexSnapshot(disk)
            // Past 10 waiting keys a round starts, and one of 11 single-event keys ends in the same commit.
            #expect(snapshot.logRows - snapshot.keyRows <= 10, "\(snapshot)")
            #expect(snapshot.unkeyedBelowMark == 0 && snapshot.orphanKeys == 0, "\(snapshot)")
        }
        #expect(try LogIndexSnapshot(disk).mark >= 50)
        // More keys than one commit writes: the idle writer ends the round in empty batches.
        let bulk = WriteBehind.events(count: 700, seed: 22, offset: 1_000)
        _ = try store.ingestAndWait(bulk, into: "transactions")
        let done = try LogIndexSnapshot.waitUntil(disk) { $0.mark == $0.maxSeq }
        #expect(done.isComplete, "\(done)")
        #expect(done.logRows == 760)
        expectRowsMatch(
            try StoreFixture.rows(store, keys: Self.keys, at: Self.readTime),
            try WriteBehind.reference(directory, [events, bulk]))
    }

    @Test func anIdleWriterIndexesWhatWaitsOnceTheIntervalPassed() throws {
        let directory = try SQLiteTestDirectory()
        let store = try Self.store(directory.file("store.db"), intervalMilliseconds: 20, maxPending: 1_000_000)
        for seed in UInt64(0)..<3 {
            _ = try store.ingestAndWait(
                WriteBehind.events(count: 50, seed: 30 + seed, offset: Int64(seed) * 1_000), into: "transactions")
        }
        let done = try LogIndexSnapshot.waitUntil(store.inspect()) { $0.isComplete }
        #expect(done.isComplete, "\(done)")
        #expect(done.logRows == 150 && done.mark == 150)
    }

    @Test func closeIndexesEveryRowLeftBehindTheMark() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let first = WriteBehind.events(count: 100, seed: 34)
        let firstStore = try WriteBehind.lagging(path)
        try Self.ingest(first, into: firstStore, by: 10)
        firstStore.close()
        let store = try WriteBehind.lagging(path)
        try Self.ingest(WriteBehind.events(count: 100, seed: 35, offset: 2_000), into: store, by: 10)
        let behind = try LogIndexSnapshot(store.inspect())
        #expect(behind.mark == 100 && behind.keyRows == 100 && behind.logRows == 200, "\(behind)")
        #expect(behind.unkeyed == 100 && behind.unkeyedBelowMark == 0, "\(behind)")
        store.close()
        let closed = try LogIndexSnapshot(path: path)
        #expect(closed.isComplete, "\(closed)")
        #expect(closed.logRows == 200)
    }

    @Test func aCrashImageBehindTheMarkReopensWithEveryRowIndexedAndTheSameReads() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let first = WriteBehind.events(count: 150, seed: 36)
        let firstStore = try WriteBehind.lagging(path)
        try Self.ingest(first, into: firstStore, by: 15)
        firstStore.close()
        let running = try WriteBehind.lagging(path)
        let second = WriteBehind.events(count: 150, seed: 37, offset: 5_000)
        try Self.ingest(second, into: running, by: 15)
        let image = try WriteBehind.crashImage(of: running, directory)
        let crashed = try LogIndexSnapshot(path: image)
        #expect(crashed.mark == 150 && crashed.keyRows == 150 && crashed.unkeyed == 150, "\(crashed)")
        let complete = try directory.completeStore([first, second])
        let times = [StoreFixture.base + 1_000, StoreFixture.base + 6_000, Self.readTime]
        let expected = try OfflineReads.transactions(complete, keys: Self.keys, times: times)
        #expect(try OfflineReads.transactions(image, keys: Self.keys, times: times) == expected)
        let reopened = try SQLiteOnlineStore(path: image, featureSets: [StoreFixture.transactions()])
        let snapshot = try LogIndexSnapshot(reopened.inspect())
        #expect(snapshot.isComplete, "\(snapshot)")
        #expect(snapshot.logRows == 300)
        #expect(try OfflineReads.transactions(image, keys: Self.keys, times: times) == expected)
        expectRowsMatch(
            try StoreFixture.rows(reopened, keys: Self.keys, at: Self.readTime),
            try WriteBehind.reference(directory, [first, second]))
    }

    @Test func batchIngestionIndexesEveryRowAndMovesTheMarkToTheLogsEnd() throws {
        let directory = try SQLiteTestDirectory()
        let store = try WriteBehind.lagging(directory.file("store.db"))
        let realTime = WriteBehind.events(count: 120, seed: 38)
        try Self.ingest(realTime, into: store, by: 20)
        let disk = try store.inspect()
        #expect(try LogIndexSnapshot(disk).keyRows == 0)
        let batch = WriteBehind.events(count: 80, seed: 39, offset: 10_000)
        let csv = try WriteBehind.csv(of: batch, in: directory)
        _ = try store.ingestCSV(path: csv, into: "transactions", skipBadRows: false)
        let ingested = try LogIndexSnapshot(disk)
        #expect(ingested.isComplete, "\(ingested)")
        #expect(ingested.logRows == 200)
        let more = WriteBehind.events(count: 40, seed: 40, offset: 20_000)
        try Self.ingest(more, into: store, by: 10)
        let after = try LogIndexSnapshot(disk)
        #expect(after.mark == 200 && after.keyRows == 200 && after.logRows == 240, "\(after)")
        let times = [StoreFixture.base + 5_000, Self.readTime]
        #expect(
            try OfflineReads.transactions(store.path, keys: Self.keys, times: times)
                == OfflineReads.transactions(
                    directory.completeStore([realTime, batch, more]), keys: Self.keys, times: times))
    }

    @Test func aRebuildThatReEncodesEntityKeysRekeysTheirKeyRowsToo() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let keys = ["007", "0042", "5"]
        var random = SplitMix(seed: 45)
        let events = (0..<120).map { index in
            StoreFixture.event(keys[Int(random.next() % 3)], Int64(index) * 10, Int(random.next() % 90) + 1)
        }
        let firstStore = try WriteBehind.lagging(path)
        try Self.ingest(Array(events[..<60]), into: firstStore, by: 10)
        firstStore.close()
        let running = try WriteBehind.lagging(path)
        try Self.ingest(Array(events[60...]), into: running, by: 10)
        // Key rows up to the mark under the string keys, log rows above it without any.
        let image = try WriteBehind.crashImage(of: running, directory)
        let crashed = try LogIndexSnapshot(path: image)
        #expect(crashed.mark == 60 && crashed.keyRows == 60 && crashed.logRows == 120, "\(crashed)")
        // As int64 entities "007" and "0042" encode as 1:7 and 2:42: their logged rows are re-keyed.
        let integerKeys = try FeatureSetDefinition(
            jsonText: StoreFixture.transactionsJSON.replacingOccurrences(
                of: #"{"name": "key", "type": "string"}"#, with: #"{"name": "key", "type": "int64"}"#))
        let rebuilt = try SQLiteOnlineStore(path: image, featureSets: [integerKeys], rebuild: true)
        let disk = try rebuilt.inspect()
        let snapshot = try LogIndexSnapshot(disk)
        #expect(snapshot.isComplete && snapshot.logRows == 120, "\(snapshot)")
        #expect(
            try disk.query("SELECT DISTINCT entity_key FROM event_log_keys ORDER BY 1") == [
                [.text("1:5")], [.text("1:7")], [.text("2:42")],
            ])
        let fresh = try SQLiteOnlineStore(path: directory.file("fresh.db"), featureSets: [integerKeys])
        _ = try fresh.ingestAndWait(events, into: "transactions")
        fresh.close()
        let times = [StoreFixture.base + 500, Self.readTime]
        let reads = try OfflineReads.transactions(image, keys: ["7", "42", "5"], times: times)
        #expect(
            reads == (try OfflineReads.transactions(directory.file("fresh.db"), keys: ["7", "42", "5"], times: times)))
        #expect(reads.rows.allSatisfy { $0 != nil })
    }

    @Test func roundsOverTwoFeatureSetsKeyEachRowUnderItsOwnSet() throws {
        let directory = try SQLiteTestDirectory()
        let other = try FeatureSetDefinition(
            jsonText: StoreFixture.transactionsJSON.replacingOccurrences(
                of: #"{"name": "transactions""#, with: #"{"name": "other""#))
        let sets = [try StoreFixture.transactions(), other]
        let open = { (name: String, maxPending: Int) in
            try SQLiteOnlineStore(
                path: directory.file(name), featureSets: sets,
                configuration: OnlineStoreConfiguration(
                    stateFlushIntervalMilliseconds: 3_600_000, stateFlushMaxPending: maxPending,
                    logIndexIntervalMilliseconds: 3_600_000, logIndexMaxPending: maxPending))
        }
        let store = try open("store.db", 10)
        let complete = try open("complete.db", 1_000_000)
        let events = WriteBehind.events(count: 80, seed: 46)
        // The same keys in both sets, alternating one event at a time: every round holds both.
        for (index, event) in events.enumerated() {
            for target in [store, complete] {
                _ = try target.ingestAndWait([event], into: index % 2 == 0 ? "transactions" : "other")
            }
        }
        complete.close()
        let disk = try store.inspect()
        let indexed = try LogIndexSnapshot(disk)
        #expect(indexed.mark >= 70 && indexed.unkeyedBelowMark == 0 && indexed.orphanKeys == 0, "\(indexed)")
        #expect(
            try disk.query("SELECT feature_set, COUNT(*) FROM \(LogIndexSnapshot.keysSQL) GROUP BY 1 ORDER BY 1").map {
                $0[0]
            }
                == [.text("other"), .text("transactions")])
        let times = [StoreFixture.base + 300, Self.readTime]
        for name in ["transactions", "other"] {
            let read = { (path: String) in
                try OfflineReads(
                    path, featureSet: name, keys: Self.keys, times: times,
                    features: ["amount", "amount_count_1h", "amount_sum_24h"])
            }
            #expect(try read(store.path) == read(directory.file("complete.db")), "\(name)")
        }
    }
}
