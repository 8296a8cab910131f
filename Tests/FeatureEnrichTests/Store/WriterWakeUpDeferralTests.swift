import Dispatch
import Foundation
import Synchronization
import Testing

@testable import FeatureEnrich

/// A thread that defers store-writer wake-ups (an HTTP event loop): its writes wait for ``deliver()``, and no
/// blocking call on a writer from that thread can deadlock on a wake-up it still holds.
@Suite(.timeLimit(.minutes(1)))
struct WriterWakeUpDeferralTests {
    /// Runs `body` on a new thread (deferral is per thread; the test's own thread is shared with other tests),
    /// waiting at most 60 s: a thread deadlocked on a wake-up it holds fails the test instead of hanging it.
    private func onOwnThread(_ body: @escaping @Sendable () throws -> Void) throws {
        let outcome = Mutex<(any Error)?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do { try body() } catch { outcome.withLock { $0 = error } }
            done.signal()
        }
        thread.start()
        let finished = done.wait(timeout: .now() + .seconds(60))
        #expect(finished == .success, "the thread did not finish: deadlocked on a held writer wake-up")
        if let error = outcome.withLock({ $0 }) { throw error }
    }

    /// A writer on a fresh store that has gone to sleep (so the next submission must wake it).
    private func sleepingWriter(_ directory: SQLiteTestDirectory) throws -> StoreWriter {
        let writer = try StoreWriter(path: directory.file("store.db"))
        try writer.submitAndWait { _ in }
        while !writer.isIdle { usleep(1_000) }
        return writer
    }

    private static func insert(_ id: String) -> @Sendable (SQLiteConnection) throws -> Void {
        { connection in
            try connection.cachedStatement(sql: "INSERT INTO processed_events (event_id, seen_at_ms) VALUES (?, 1)")
                .execute([.text(id)])
        }
    }

    @Test func aDeferringThreadsWriteWaitsForDeliverThenCommits() throws {
        let directory = try SQLiteTestDirectory()
        let writer = try sleepingWriter(directory)
        let committed = DispatchSemaphore(value: 0)
        let beforeDeliver = Mutex<DispatchTimeoutResult?>(nil)
        try onOwnThread {
            WriterWakeUpDeferral.enableOnCurrentThread()
            writer.submit(Self.insert("a")) { _ in committed.signal() }
            // Nobody wakes the sleeping writer until this thread delivers: the item cannot have run.
            beforeDeliver.withLock { $0 = committed.wait(timeout: .now() + .milliseconds(200)) }
            #expect(writer.isIdle == false)
            WriterWakeUpDeferral.deliver()
        }
        #expect(beforeDeliver.withLock { $0 } == .timedOut)
        committed.wait()
        let rows = try writer.submitAndWaitCount()
        #expect(rows == 1)
    }

    @Test func aThreadThatDoesNotDeferWakesTheWriterAtOnce() throws {
        let directory = try SQLiteTestDirectory()
        let writer = try sleepingWriter(directory)
        let committed = DispatchSemaphore(value: 0)
        try onOwnThread {
            writer.submit(Self.insert("a")) { _ in committed.signal() }
            committed.wait()
        }
        #expect(try writer.submitAndWaitCount() == 1)
    }

    @Test func submitAndWaitOnADeferringThreadDeliversWhatItHoldsFirst() throws {
        let directory = try SQLiteTestDirectory()
        let writer = try sleepingWriter(directory)
        let completions = Mutex(0)
        try onOwnThread {
            WriterWakeUpDeferral.enableOnCurrentThread()
            writer.submit(Self.insert("a")) { _ in completions.withLock { $0 += 1 } }
            // The first submission took the writer's wake-up; this one would wait forever without delivery.
            try writer.submitAndWait(Self.insert("b"))
        }
        #expect(completions.withLock { $0 } == 1)
        #expect(try writer.submitAndWaitCount() == 2)
    }

    @Test func aBatchIngestionOnADeferringThreadWakesTheWriterBeforeFillingItsChannel() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(
            path: directory.file("store.db"), featureSets: [StoreFixture.transactions()])
        // More chunks than the channel holds: the producing thread blocks on it unless the writer consumes.
        let rows = (SQLiteOnlineStore.batchChannelCapacity + 4) * SQLiteOnlineStore.batchChunkRows
        let lines = (0..<rows).map { "k\($0 % 97),\((StoreFixture.base + Int64($0)) / 1000),\($0 % 13)" }
        let csv = directory.file("events.csv")
        try (["key,timestamp,amount"] + lines).joined(separator: "\n").write(
            toFile: csv, atomically: true, encoding: .utf8)
        while !store.writer.isIdle { usleep(1_000) }
        let ingested = Mutex<Int>(0)
        try onOwnThread {
            WriterWakeUpDeferral.enableOnCurrentThread()
            // A write queued first takes the sleeping writer's wake-up, which this thread then holds.
            try store.ingest([StoreFixture.event("first", 1_000, 1)], into: "transactions", eventID: nil) { _ in }
            let summary = try store.ingestCSV(path: csv, into: "transactions", skipBadRows: false)
            ingested.withLock { $0 = summary.rowsIngested }
        }
        #expect(ingested.withLock { $0 } == rows)
    }

    @Test func closingFromADeferringThreadCommitsWhatItQueued() throws {
        let directory = try SQLiteTestDirectory()
        let writer = try sleepingWriter(directory)
        let outcome = Mutex<Bool?>(nil)
        try onOwnThread {
            WriterWakeUpDeferral.enableOnCurrentThread()
            writer.submit(Self.insert("a")) { result in
                outcome.withLock { $0 = if case .success = result { true } else { false } }
            }
            writer.close()
        }
        #expect(outcome.withLock { $0 } == true)
        let connection = try SQLiteConnection(path: directory.file("store.db"), configuration: .readOnly)
        #expect(try connection.query("SELECT count(*) FROM processed_events") == [[.integer(1)]])
    }
}

extension StoreWriter {
    /// Rows of `processed_events`, read on the writer after everything queued before.
    fileprivate func submitAndWaitCount() throws -> Int64 {
        let count = Mutex<Int64>(-1)
        try submitAndWait { connection in
            let rows = try connection.query("SELECT count(*) FROM processed_events")
            count.withLock { $0 = rows.first?.first?.integerValue ?? -1 }
        }
        return count.withLock { $0 }
    }
}
