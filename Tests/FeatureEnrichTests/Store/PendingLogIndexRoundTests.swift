import FeatureEnrich
import Foundation
import ServingGraph
import Synchronization
import Testing

/// A round of the event log's key index spread over many commits, with events arriving while it runs: each ends
/// indexed exactly once, in the running store and in a crash image taken in the middle of the round.
struct PendingLogIndexRoundTests {
    /// Watches the file after each commit from the completion, on the writer thread before its next batch, and
    /// submits the next single event from there: it lands in the very next commit, so in the round's middle.
    final class RoundObserver: Sendable {
        let store: SQLiteOnlineStore
        let image: String
        private let state = Mutex<(waiting: [Value], snapshots: [LogIndexSnapshot], failure: String?)>(([], [], nil))
        private let done = DispatchSemaphore(value: 0)

        init(store: SQLiteOnlineStore, singles: [Value], image: String) {
            self.store = store
            self.image = image
            state.withLock { $0.waiting = singles.reversed() }
        }

        /// The completion of the bulk request and of each single event after it.
        func committed(_ result: Result<Int, any Error>) {
            do {
                _ = try result.get()
                let connection = try store.inspect()
                if state.withLock({ $0.snapshots.isEmpty }) { try connection.execute("VACUUM INTO '\(image)'") }
                let snapshot = try LogIndexSnapshot(connection)
                let next = state.withLock { state in
                    state.snapshots.append(snapshot)
                    return state.waiting.popLast()
                }
                guard let next else {
                    done.signal()
                    return
                }
                try store.ingest([next], into: "transactions") { self.committed($0) }
            } catch {
                state.withLock { $0.failure = "\(error)" }
                done.signal()
            }
        }

        /// Blocks until the last single event committed (or one step failed); the snapshots and the failure.
        func wait() -> (snapshots: [LogIndexSnapshot], failure: String?) {
            done.wait()
            return state.withLock { ($0.snapshots, $0.failure) }
        }
    }

    @Test func eventsArrivingDuringARoundEndIndexedExactlyOnce() throws {
        let directory = try SQLiteTestDirectory()
        let store = try PendingLogIndexTests.store(directory.file("store.db"), maxPending: 1_000)
        let keys = (0..<300).map { "m\($0)" }
        var random = SplitMix(seed: 41)
        let bulk = (0..<5_000).map { index in
            StoreFixture.event(keys[Int(random.next() % 300)], Int64(index), Int(random.next() % 90) + 1)
        }
        let singles = (0..<8).map { StoreFixture.event(keys[$0 * 37], 10_000 + Int64($0), 5) }
        let observer = RoundObserver(store: store, singles: singles, image: directory.file("mid-round.db"))
        // 5,000 keys waiting (past 1,000): the bulk's commit starts a round; it and the next commit each sort a
        // run of 2,048, the third sorts the last run and writes a first chunk, the others a chunk each.
        try store.ingest(bulk, into: "transactions") { observer.committed($0) }
        let (snapshots, failure) = observer.wait()
        #expect(failure == nil)
        #expect(snapshots.count == singles.count + 1)
        #expect(snapshots.prefix(2).allSatisfy { $0.keysAboveMark == 0 }, "sorting: \(snapshots.prefix(2))")
        for snapshot in snapshots.dropFirst(2) {
            #expect(snapshot.keysAboveMark > 0 && snapshot.keysAboveMark < 5_000, "mid-round: \(snapshot)")
        }
        for snapshot in snapshots {
            #expect(snapshot.mark < 5_000 && snapshot.unkeyedBelowMark == 0 && snapshot.orphanKeys == 0)
        }
        // The round ends in the idle writer's empty batches, its mark the log's end when it began: the singles
        // arrived after, so they wait for the next round, above the mark.
        let disk = try store.inspect()
        let ended = try LogIndexSnapshot.waitUntil(disk) { $0.keysAboveMark == 0 && $0.mark > 0 }
        #expect(ended.mark == 5_000 && ended.unkeyed == 8 && ended.unkeyedBelowMark == 0, "\(ended)")
        // 1,200 more: past the maximum again, the next round takes the singles with them.
        let more = (0..<1_200).map { index in
            StoreFixture.event(keys[Int(random.next() % 300)], 20_000 + Int64(index), Int(random.next() % 90) + 1)
        }
        _ = try store.ingestAndWait(more, into: "transactions")
        let done = try LogIndexSnapshot.waitUntil(disk) { $0.mark == $0.maxSeq }
        #expect(done.isComplete, "\(done)")
        #expect(done.logRows == 6_208 && done.keyRows == 6_208)
        let reference = try SQLiteOnlineStore(
            path: directory.file("reference.db"), featureSets: [StoreFixture.transactions()])
        _ = try reference.ingestAndWait(bulk + singles + more, into: "transactions")
        let readTime = StoreFixture.base + 600_000
        expectRowsMatch(
            try StoreFixture.rows(store, keys: keys, at: readTime),
            try StoreFixture.rows(reference, keys: keys, at: readTime))
        reference.close()
        let times = [StoreFixture.base + 2_500, readTime]
        let sample = Array(keys.prefix(40))
        #expect(
            try OfflineReads.transactions(store.path, keys: sample, times: times)
                == OfflineReads.transactions(directory.file("reference.db"), keys: sample, times: times))
    }

    @Test func aCrashImageInTheMiddleOfARoundReopensWithEachRowIndexedOnce() throws {
        let directory = try SQLiteTestDirectory()
        let store = try PendingLogIndexTests.store(directory.file("store.db"), maxPending: 1_000)
        // 2,000 keys: one run, sorted and first written by the bulk's own commit.
        let bulk = PendingLogIndexTests.spread(count: 2_000, keys: 100, seed: 42)
        let observer = RoundObserver(store: store, singles: [], image: directory.file("mid-round.db"))
        try store.ingest(bulk, into: "transactions") { observer.committed($0) }
        let (snapshots, failure) = observer.wait()
        #expect(failure == nil)
        let crashed = try LogIndexSnapshot(path: directory.file("mid-round.db"))
        #expect(crashed == snapshots.first)
        #expect(crashed.keysAboveMark > 0 && crashed.mark == 0 && crashed.logRows == 2_000, "\(crashed)")
        let reopened = try SQLiteOnlineStore(
            path: directory.file("mid-round.db"), featureSets: [StoreFixture.transactions()])
        let snapshot = try LogIndexSnapshot(reopened.inspect())
        #expect(snapshot.isComplete, "\(snapshot)")
        #expect(snapshot.keyRows == 2_000)
    }

    @Test func batchIngestionSubmittedInTheMiddleOfARoundIndexesEveryRowAndEndsIt() throws {
        let directory = try SQLiteTestDirectory()
        let store = try PendingLogIndexTests.store(directory.file("store.db"), maxPending: 1_000)
        // 2,000 keys: one run, sorted and first written by the bulk's own commit.
        let bulk = PendingLogIndexTests.spread(count: 2_000, keys: 200, seed: 43)
        let csv = directory.file("events.csv")
        let rows = (0..<100).map { "c\($0 % 10),\((StoreFixture.base + 8_000) / 1000 + Int64($0)),\($0 % 13)" }
        try (["key,timestamp,amount"] + rows).joined(separator: "\n").write(
            toFile: csv, atomically: true, encoding: .utf8)
        let duringRound = Mutex<LogIndexSnapshot?>(nil)
        let ingested = Mutex<Result<BatchIngestSummary, any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        let bulkDone = DispatchSemaphore(value: 0)
        try store.ingest(bulk, into: "transactions") { _ in
            // The writer thread, the round begun: the batch ingestion is submitted before the writer's next batch
            // (its rows all produced, which reports progress), so the round is still in progress when it runs.
            duringRound.withLock { $0 = try? LogIndexSnapshot(store.inspect()) }
            let produced = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                let result = Result {
                    try store.ingestCSV(path: csv, into: "transactions", skipBadRows: false) { _ in produced.signal() }
                }
                ingested.withLock { $0 = result }
                finished.signal()
            }
            _ = produced.wait(timeout: .now() + 30)
            bulkDone.signal()
        }
        bulkDone.wait()
        finished.wait()
        #expect(try ingested.withLock { $0 }?.get().rowsIngested == 100)
        let before = try #require(duringRound.withLock { $0 })
        #expect(before.keysAboveMark > 0 && before.mark == 0, "\(before)")
        let after = try LogIndexSnapshot(store.inspect())
        #expect(after.isComplete, "\(after)")
        #expect(after.logRows == 2_100)
        // Nothing was left waiting: closing adds no key row.
        store.close()
        #expect(try LogIndexSnapshot(path: directory.file("store.db")) == after)
    }
}
