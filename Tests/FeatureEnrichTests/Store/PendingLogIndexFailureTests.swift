import FeatureEnrich
import Foundation
import ServingGraph
import Synchronization
import Testing

/// Commits of a key-index round that fail (a full disk, here a trigger refusing key rows): each fails its whole
/// batch, the round keeps its place, and once commits succeed again it ends with every row indexed exactly once.
struct PendingLogIndexFailureTests {
    @Test func aRoundWhoseCommitsFailResumesAndEndsIndexedExactlyOnce() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let store = try PendingLogIndexTests.store(path, maxPending: 1_000)
        let disk = try store.inspect()
        try disk.execute(
            """
            CREATE TABLE refuse_key_rows (reason TEXT);
            CREATE TRIGGER refuse_key_rows BEFORE INSERT ON event_log_keys_recent WHEN EXISTS (SELECT 1 FROM refuse_key_rows)
            BEGIN SELECT RAISE(ABORT, 'key rows refused'); END
            """)
        // 2,000 keys: one run, sorted and first written by the bulk's own commit.
        let bulk = PendingLogIndexTests.spread(count: 2_000, keys: 100, seed: 44)
        let refused = DispatchSemaphore(value: 0)
        try store.ingest(bulk, into: "transactions") { _ in
            // The writer thread, the round begun: from its next commit on, key rows are refused.
            _ = try? store.inspect().execute("INSERT INTO refuse_key_rows VALUES ('full')")
            refused.signal()
        }
        refused.wait()
        let stuck = try LogIndexSnapshot(disk)
        #expect(stuck.logRows == 2_000 && stuck.keysAboveMark > 0 && stuck.mark == 0, "\(stuck)")
        // Each request's commit writes a chunk of the round too: it fails, and its events are not logged.
        let singles = (0..<5).map { StoreFixture.event("s\($0)", 10_000 + Int64($0), 7) }
        for event in singles {
            #expect(throws: (any Error).self) { try store.ingestAndWait([event], into: "transactions") }
        }
        #expect(try LogIndexSnapshot(disk) == stuck)
        try disk.execute("DELETE FROM refuse_key_rows")
        let resumed = try LogIndexSnapshot.waitUntil(disk) { $0.mark == $0.maxSeq }
        #expect(resumed.isComplete && resumed.logRows == 2_000, "\(resumed)")
        for event in singles { _ = try store.ingestAndWait([event], into: "transactions") }
        store.close()
        let closed = try LogIndexSnapshot(path: path)
        #expect(closed.isComplete && closed.logRows == 2_005, "\(closed)")
        let reference = try SQLiteOnlineStore(
            path: directory.file("reference.db"), featureSets: [StoreFixture.transactions()])
        _ = try reference.ingestAndWait(bulk + singles, into: "transactions")
        reference.close()
        let keys = (0..<20).map { "m\($0)" } + singles.compactMap { $0["key"]?.stringValue }
        let times = [StoreFixture.base + 1_500, StoreFixture.base + 600_000]
        #expect(
            try OfflineReads.transactions(path, keys: keys, times: times)
                == OfflineReads.transactions(directory.file("reference.db"), keys: keys, times: times))
    }
}
