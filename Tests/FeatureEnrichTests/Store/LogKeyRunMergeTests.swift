import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// The key index's recent runs (schema migration 8): each round appends a run, and merges move the runs' rows into
/// `event_log_keys` a key-range chunk per commit. At every commit each logged row has exactly one key row, and every
/// offline read equals that of a store whose index is complete, in the running store and in crash images.
struct LogKeyRunMergeTests {
    typealias WriteBehind = SQLiteOnlineStoreWriteBehindTests

    /// A store whose rounds start past `maxPending` keys and whose merges start past `mergeRows` rows in runs.
    static func store(_ path: String, maxPending: Int, mergeRows: Int) throws -> SQLiteOnlineStore {
        try SQLiteOnlineStore(
            path: path, featureSets: [StoreFixture.transactions()],
            configuration: OnlineStoreConfiguration(
                stateFlushIntervalMilliseconds: 3_600_000, logIndexIntervalMilliseconds: 3_600_000,
                logIndexMaxPending: maxPending, logIndexMergeRows: mergeRows))
    }

    static let keys = (0..<40).map { "m\($0)" }
    static let times = [StoreFixture.base + 2_000, StoreFixture.base + 600_000]

    /// `count` events over ``keys``, one per millisecond from `offset`.
    static func events(count: Int, seed: UInt64, offset: Int64 = 0) -> [Value] {
        PendingLogIndexTests.spread(count: count, keys: keys.count, seed: seed, offset: offset)
    }

    @Test func mergesMoveEveryRunIntoTheIndexWithEachRowKeyedOnceAtEveryCommit() throws {
        let directory = try SQLiteTestDirectory()
        let store = try Self.store(directory.file("store.db"), maxPending: 20, mergeRows: 150)
        let disk = try store.inspect()
        let events = Self.events(count: 1_500, seed: 61)
        var merged = false
        var images: [String] = []
        for start in stride(from: 0, to: events.count, by: 5) {
            _ = try store.ingestAndWait(Array(events[start..<start + 5]), into: "transactions")
            let snapshot = try LogIndexSnapshot(disk)
            #expect(
                snapshot.unkeyedBelowMark == 0 && snapshot.orphanKeys == 0 && snapshot.duplicateKeys == 0,
                "\(snapshot)")
            let base = try disk.count("SELECT COUNT(*) FROM event_log_keys")
            // A merge in the middle: some rows moved, runs still listed.
            if base > 0 && snapshot.recentRows > 0 && images.count < 3 && start % 100 == 0 {
                images.append(try WriteBehind.crashImage(of: store, directory))
            }
            merged = merged || base > 0
        }
        #expect(merged)
        #expect(try disk.count("SELECT COUNT(*) FROM log_key_runs") <= 64)
        let reference = try directory.completeStore([events])
        let keys = Self.keys + ["absent"]
        let expected = try OfflineReads.transactions(reference, keys: keys, times: Self.times)
        #expect(try OfflineReads.transactions(directory.file("store.db"), keys: keys, times: Self.times) == expected)
        // Merges took the first events' runs: their crash images reopen complete and read as their own log does.
        #expect(!images.isEmpty)
        for image in images {
            let logged = try SQLiteConnection(path: image).count("SELECT COUNT(*) FROM event_log")
            let reopened = try SQLiteOnlineStore(path: image, featureSets: [StoreFixture.transactions()])
            let snapshot = try LogIndexSnapshot(reopened.inspect())
            #expect(snapshot.isComplete && snapshot.recentRows == 0, "\(snapshot)")
            reopened.close()
            let prefix = try directory.completeStore(
                [Array(events.prefix(Int(logged)))], name: "prefix-\(logged).db")
            #expect(
                try OfflineReads.transactions(image, keys: keys, times: Self.times)
                    == OfflineReads.transactions(prefix, keys: keys, times: Self.times))
        }
        store.close()
        let closed = try LogIndexSnapshot(path: directory.file("store.db"))
        #expect(closed.isComplete && closed.recentRows == 0, "\(closed)")
    }

    @Test func aMergeWhoseCommitsFailResumesAndEndsWithEachRowKeyedOnce() throws {
        let directory = try SQLiteTestDirectory()
        let store = try Self.store(directory.file("store.db"), maxPending: 20, mergeRows: 150)
        let disk = try store.inspect()
        try disk.execute(
            """
            CREATE TABLE refuse_moves (reason TEXT);
            CREATE TRIGGER refuse_moves BEFORE INSERT ON event_log_keys WHEN EXISTS (SELECT 1 FROM refuse_moves)
            BEGIN SELECT RAISE(ABORT, 'moves refused'); END
            """)
        let events = Self.events(count: 600, seed: 62)
        var committed: [Value] = []
        var failures = 0
        for start in stride(from: 0, to: events.count, by: 5) {
            // Moves refused from the 30th request to the 60th: the commits that carry a merge chunk fail whole.
            if start == 150 { try disk.execute("INSERT INTO refuse_moves VALUES ('full')") }
            if start == 300 { try disk.execute("DELETE FROM refuse_moves") }
            let chunk = Array(events[start..<start + 5])
            do {
                _ = try store.ingestAndWait(chunk, into: "transactions")
                committed.append(contentsOf: chunk)
            } catch {
                failures += 1
            }
            let snapshot = try LogIndexSnapshot(disk)
            #expect(
                snapshot.unkeyedBelowMark == 0 && snapshot.orphanKeys == 0 && snapshot.duplicateKeys == 0,
                "\(snapshot)")
        }
        #expect(failures > 0)
        #expect(try disk.count("SELECT COUNT(*) FROM event_log_keys") > 0)
        let reference = try directory.completeStore([committed])
        let keys = Self.keys
        #expect(
            try OfflineReads.transactions(directory.file("store.db"), keys: keys, times: Self.times)
                == OfflineReads.transactions(reference, keys: keys, times: Self.times))
    }
}
