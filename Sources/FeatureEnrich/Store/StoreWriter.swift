import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one store-writer thread: owns the only writing ``SQLiteConnection`` of a database file and
/// group-commits the work that any thread submits (DESIGN.md, "The write path").
///
/// Thread contract:
/// - `submit` may be called from any thread; it never blocks on SQLite (only on a short Mutex).
/// - Work items run on the writer thread, in submission order, each inside its own SAVEPOINT of a
///   batch transaction; they must not keep the connection or its statements.
/// - Completions run on the writer thread after the batch's COMMIT returned (the durability point),
///   in submission order. They must be quick and must not block: hand the result to an event loop
///   (its inbox + eventfd). Calling ``submitAndWait(_:)`` from a work item or completion throws.
/// - ``close()`` refuses new work, drains and commits what is queued, checkpoints the WAL with
///   TRUNCATE and joins the thread. `deinit` closes too.
///
/// ```swift
/// let writer = try StoreWriter(path: "/var/lib/serve/store.db")
/// writer.submit({ connection in
///     try connection.cachedStatement(sql: "INSERT INTO processed_events VALUES (?, ?, NULL)")
///         .execute([.text(eventID), .integer(nowMs)])
/// }, completion: { result in loop.complete(request, result) })
/// ```
package final class StoreWriter: Sendable {
    /// The database file.
    package let path: String
    private let queue: StoreWriterQueue
    private let thread: pthread_t
    private let isJoined = Mutex(false)

    /// Starts the writer thread, which opens (creating) the database at `path` and applies the
    /// configured migrations; throws their error (``SQLiteError``, ``SchemaMigrationError``).
    package init(path: String, configuration: StoreWriterConfiguration = StoreWriterConfiguration()) throws {
        let queue = StoreWriterQueue(maxQueuedItems: configuration.maxQueuedItems)
        let started = StoreWriterStartup()
        let body = StoreWriterThreadBody {
            // The connection is created, used and closed on this thread only.
            let loop: StoreWriterLoop
            do {
                loop = try StoreWriterLoop(path: path, configuration: configuration, queue: queue)
            } catch {
                started.report(.failure(error))
                return
            }
            started.report(.success(()))
            loop.run()
        }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(body).toOpaque()
        let code = pthread_create(&thread, nil, storeWriterThreadEntry, context)
        guard code == 0 else {
            Unmanaged<StoreWriterThreadBody>.fromOpaque(context).release()
            throw StoreWriterError.threadStartFailed(errno: code)
        }
        self.path = path
        self.queue = queue
        self.thread = thread
        if case .failure(let error) = started.wait() {
            isJoined.withLock { $0 = true }
            pthread_join(thread, nil)
            throw error
        }
    }

    deinit {
        close()
    }

    /// Queues `work` for the next batch; `completion` gets `.success` after its COMMIT, or the
    /// item's own error, or a ``StoreWriterError``. When the writer is closed or its queue is full,
    /// `completion` is called at once on the calling thread.
    package func submit(
        _ work: @escaping @Sendable (SQLiteConnection) throws -> Void,
        completion: @escaping @Sendable (Result<Void, any Error>) -> Void
    ) {
        if let refusal = queue.enqueue(StoreWriterQueue.Item(work: work, completion: completion)) {
            completion(.failure(refusal))
        }
    }

    /// Promises the queue's room for one item, or returns why there is none (closed, full); the item then goes in
    /// with ``enqueue(reserved:completion:)``, which cannot be refused.
    package func reserve() -> StoreWriterError? {
        queue.reserve()
    }

    /// Queues `work` in the room ``reserve()`` promised.
    package func enqueue(
        reserved work: @escaping @Sendable (SQLiteConnection) throws -> Void,
        completion: @escaping @Sendable (Result<Void, any Error>) -> Void
    ) {
        queue.enqueue(reserved: StoreWriterQueue.Item(work: work, completion: completion))
    }

    /// Submits `work` and blocks the calling thread until it is committed (for the CLI and batch
    /// ingestion; event loops use ``submit(_:completion:)``). Rethrows the item's failure.
    package func submitAndWait(_ work: @escaping @Sendable (SQLiteConnection) throws -> Void) throws {
        guard pthread_equal(pthread_self(), thread) == 0 else { throw StoreWriterError.calledFromWriterThread }
        let done = StoreWriterStartup()
        submit(work) { result in done.report(result) }
        WriterWakeUpDeferral.deliver()
        try done.wait().get()
    }

    /// Refuses new work, commits what is queued, checkpoints (TRUNCATE) and joins the writer
    /// thread. Idempotent; a second concurrent caller returns without waiting.
    package func close() {
        WriterWakeUpDeferral.deliver()
        queue.close()
        let shouldJoin = isJoined.withLock { joined in
            defer { joined = true }
            return !joined
        }
        guard shouldJoin else { return }
        if pthread_equal(pthread_self(), thread) != 0 {
            // The last reference was dropped by a work item or completion: the thread cannot join
            // itself; it finishes the queue and exits on its own.
            pthread_detach(thread)
        } else {
            pthread_join(thread, nil)
        }
    }

    /// Whether the writer thread is asleep waiting for work that nobody woke it for yet.
    package var isIdle: Bool { queue.isWriterIdle }

    /// Counters since open.
    package var statistics: StoreWriterStatistics {
        queue.statistics.withLock { $0 }
    }
}

/// The closure a writer thread runs, boxed to cross `pthread_create`'s C context pointer.
private final class StoreWriterThreadBody: Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

private func storeWriterThreadEntry(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let context else { return nil }
    let body = Unmanaged<StoreWriterThreadBody>.fromOpaque(context).takeRetainedValue()
    body.run()
    return nil
}

/// A one-shot result handed from one thread to another waiting for it.
private final class StoreWriterStartup: Sendable {
    private let result = Mutex<Result<Void, any Error>?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    func report(_ outcome: Result<Void, any Error>) {
        result.withLock { $0 = outcome }
        ready.signal()
    }

    func wait() -> Result<Void, any Error> {
        ready.wait()
        return result.withLock { $0 } ?? .success(())
    }
}
