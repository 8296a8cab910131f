import ServingGraph
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The body of the store-writer thread: owns the only writing ``SQLiteConnection`` and turns
/// queued work items into group-committed transactions.
///
/// Confined to the writer thread (built there, never shared). For each batch: BEGIN IMMEDIATE;
/// each item inside its own SAVEPOINT (an item that throws rolls back only its savepoint and gets
/// its error); COMMIT; then every completion, in submission order, after COMMIT returned, which is
/// the durability point (<https://sqlite.org/wal.html>: with `synchronous=NORMAL` a commit in WAL
/// mode survives a process crash). A failed BEGIN or COMMIT fails every item of the batch.
final class StoreWriterLoop {
    private let connection: SQLiteConnection
    private let queue: StoreWriterQueue
    private let configuration: StoreWriterConfiguration
    /// Deferred per-batch work (``StoreWriterConfiguration/batchObservers``).
    private let observers: [any StoreWriterBatchObserver]
    private var commitsSinceCheckpoint = 0
    /// Frames in the WAL after the last commit (the connection's WAL hook), when checkpoints run in the background.
    private let walFrames = WALFrameCounter()
    private let checkpointer: StoreCheckpointer?
    /// The WAL length at the last background request (0 after a restart of the WAL).
    private var framesAtLastRequest = 0
    /// The background run that must finish before the inline checkpoint restarting the WAL (nil: none wanted).
    private var restartAfterRun: Int?
    private static let logger = Logger(label: "store-writer")

    /// Opens the connection at `path` and applies the schema migrations.
    init(path: String, configuration: StoreWriterConfiguration, queue: StoreWriterQueue) throws {
        var connectionConfiguration = configuration.connection
        connectionConfiguration.accessMode = .readWriteCreate
        let connection = try SQLiteConnection(path: path, configuration: connectionConfiguration)
        self.connection = connection
        self.queue = queue
        self.configuration = configuration
        self.observers = configuration.batchObservers
        let outcome = try SchemaMigrator(migrations: configuration.migrations)
            .migrate(connection, nowMilliseconds: Self.nowMilliseconds())
        if outcome.fromVersion != outcome.toVersion {
            Self.logger.info(
                "migrated store schema",
                [("path", path), ("from", String(outcome.fromVersion)), ("to", String(outcome.toVersion))])
        }
        if configuration.backgroundCheckpointPages > 0 {
            connection.observeWALFrames(into: walFrames)
            checkpointer = StoreCheckpointer(path: path, configuration: connectionConfiguration) { [queue] in
                queue.statistics.withLock { $0.checkpoints += 1 }
            }
        } else {
            try connection.execute("PRAGMA wal_autocheckpoint = \(configuration.walAutocheckpointPages)")
            checkpointer = nil
        }
    }

    /// Runs batches until the queue is closed and drained, then checkpoints with TRUNCATE. While an observer
    /// defers work, an idle wait ends after its delay with an empty batch (its deferred work is written then), and
    /// one last batch lets it write everything before the checkpoint.
    func run() {
        var batch: [StoreWriterQueue.Item] = []
        batch.reserveCapacity(configuration.maxBatchItems)
        while true {
            let outcome = queue.waitForBatch(
                limit: configuration.maxBatchItems, into: &batch, timeoutMicroseconds: deferredWorkDelay)
            if outcome == .finished { break }
            if configuration.maxBatchDelayMicroseconds > 0 && batch.count < configuration.maxBatchItems {
                Self.sleep(microseconds: configuration.maxBatchDelayMicroseconds)
                queue.takeMore(limit: configuration.maxBatchItems - batch.count, into: &batch)
            }
            commit(batch)
            batch.removeAll(keepingCapacity: true)
        }
        if deferredWorkDelay != nil { commit([], closing: true) }
        checkpointer?.stop()
        checkpoint(.truncate)
    }

    /// The shortest delay any observer's deferred work allows an idle writer (nil: none waiting).
    private var deferredWorkDelay: Int? {
        var shortest: Int?
        for observer in observers {
            guard let delay = observer.deferredWorkDelayMicroseconds else { continue }
            shortest = min(shortest ?? delay, delay)
        }
        return shortest
    }

    /// Commits `batch` as one transaction and calls each completion with its outcome (`closing`: the last one).
    private func commit(_ batch: [StoreWriterQueue.Item], closing: Bool = false) {
        var results: [Result<Void, any Error>] = []
        results.reserveCapacity(batch.count)
        var transactionError: (any Error)?
        do {
            try connection.beginImmediateTransaction()
            for item in batch {
                do {
                    try connection.inSavepoint {
                        try item.work(connection)
                        return .commit
                    }
                    results.append(.success(()))
                    for observer in observers { observer.itemEnded(kept: true) }
                } catch {
                    results.append(.failure(error))
                    for observer in observers { observer.itemEnded(kept: false) }
                    // Some errors (SQLITE_FULL, SQLITE_IOERR, ...) make SQLite roll back the whole
                    // transaction: the items before this one are gone too.
                    if !connection.isInTransaction { throw error }
                }
            }
            for observer in observers { try observer.beforeCommit(connection, closing: closing) }
            try connection.commitTransaction()
        } catch {
            transactionError = StoreWriterError.transactionFailed(cause: error, batchSize: batch.count)
            try? connection.rollbackTransaction()
        }
        for observer in observers { observer.batchEnded(committed: transactionError == nil) }
        if let transactionError {
            for index in results.indices {
                if case .success = results[index] { results[index] = .failure(transactionError) }
            }
            while results.count < batch.count { results.append(.failure(transactionError)) }
            Self.logger.error(
                "store transaction failed", [("items", String(batch.count)), ("error", "\(transactionError)")])
        }
        if !batch.isEmpty { record(results, committed: transactionError == nil) }
        for (item, result) in zip(batch, results) {
            item.completion(result)
        }
        if transactionError == nil { scheduleCheckpoint() }
    }

    /// After a commit: the checkpoint, if any, the WAL length and the commit count call for. Without a running
    /// background checkpointer, every ``StoreWriterConfiguration/checkpointEveryCommits`` commits inline (and
    /// SQLite's own auto-checkpoint); with one, see ``StoreWriterConfiguration``: a request every
    /// ``StoreWriterConfiguration/backgroundCheckpointPages`` new pages (or that many commits), the inline tail at
    /// ``StoreWriterConfiguration/walAutocheckpointPages`` once a run started after it finished, and an inline
    /// checkpoint at once at ``StoreWriterConfiguration/walHardLimitPages``.
    private func scheduleCheckpoint() {
        var countDue = false
        if configuration.checkpointEveryCommits > 0 {
            commitsSinceCheckpoint += 1
            if commitsSinceCheckpoint >= configuration.checkpointEveryCommits {
                commitsSinceCheckpoint = 0
                countDue = true
            }
        }
        let frames = walFrames.frames.load(ordering: .relaxed)
        guard let checkpointer, checkpointer.isRunning else {
            // Without a checkpointer thread the WAL hook still replaced SQLite's auto-checkpoint: bound it here.
            if countDue || (checkpointer != nil && frames >= configuration.walAutocheckpointPages) {
                checkpoint(.passive)
            }
            return
        }
        if frames < framesAtLastRequest {
            // The WAL restarted from its beginning.
            framesAtLastRequest = 0
            restartAfterRun = nil
        }
        if frames >= configuration.walHardLimitPages {
            restartInline()
        } else if frames >= configuration.walAutocheckpointPages {
            if let run = restartAfterRun {
                if checkpointer.finishedRuns >= run { restartInline() }
            } else {
                restartAfterRun = checkpointer.nextRun
                checkpointer.request()
                framesAtLastRequest = frames
            }
        } else if countDue || frames - framesAtLastRequest >= configuration.backgroundCheckpointPages {
            checkpointer.request()
            framesAtLastRequest = frames
        }
    }

    /// The inline PASSIVE checkpoint that lets the next commit restart the WAL from its beginning.
    private func restartInline() {
        checkpoint(.passive)
        framesAtLastRequest = 0
        restartAfterRun = nil
    }

    private func record(_ results: [Result<Void, any Error>], committed: Bool) {
        let failed = results.reduce(0) { count, result in
            if case .failure = result { return count + 1 }
            return count
        }
        queue.statistics.withLock { statistics in
            if committed { statistics.commits += 1 } else { statistics.failedTransactions += 1 }
            statistics.committedItems += results.count - failed
            statistics.failedItems += failed
            statistics.largestBatch = max(statistics.largestBatch, results.count)
        }
    }

    private func checkpoint(_ mode: SQLiteConnection.CheckpointMode) {
        do {
            let result = try connection.checkpoint(mode: mode)
            queue.statistics.withLock { $0.checkpoints += 1 }
            if !result.isComplete {
                Self.logger.debug("WAL checkpoint incomplete", [("wal_frames", String(result.walFrames))])
            }
        } catch {
            Self.logger.warning("WAL checkpoint failed", [("error", "\(error)")])
        }
    }

    /// Unix epoch milliseconds (UTC), for `schema_version.applied_at_ms`.
    static func nowMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    private static func sleep(microseconds: Int) {
        var request = timespec(tv_sec: microseconds / 1_000_000, tv_nsec: (microseconds % 1_000_000) * 1000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR {
            request = remaining
        }
    }
}

@available(*, unavailable)
extension StoreWriterLoop: Sendable {}
