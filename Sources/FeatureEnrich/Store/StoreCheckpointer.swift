import Dispatch
import ServingGraph
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Copies committed WAL frames back into the database file on its own thread and connection, so the store
/// writer keeps committing while pages are written back and fsynced (<https://sqlite.org/wal.html>: a
/// checkpoint runs concurrently with a writer; only the WAL's restart waits for a complete one).
///
/// The writer asks for a run with ``request()`` (coalesced: one pending run at most); each run is a PASSIVE
/// checkpoint, which never blocks the writer or readers and copies what was committed when it started. To let
/// the WAL restart, the writer checkpoints inline once a run it asked for has finished (``nextRun``,
/// ``finishedRuns``), which then finds only the frames committed meanwhile, or at once at its hard WAL limit. Stopped (and joined) by ``stop()``, which the writer calls before its final TRUNCATE checkpoint.
final class StoreCheckpointer: Sendable {
    private let signals = Signals()
    private let isStopped = Mutex(false)
    private static let logger = Logger(label: "store-checkpointer")

    /// Starts the thread, which opens its own read-write connection to `path`; `completed` is called on that
    /// thread after each successful run. Without a thread (creation failed) requests are ignored and the writer's
    /// inline checkpoints do the work.
    init(path: String, configuration: SQLiteConfiguration, completed: @escaping @Sendable () -> Void) {
        let body = StoreCheckpointerBody { [signals] in
            defer { signals.exited.signal() }
            let connection: SQLiteConnection
            do {
                connection = try SQLiteConnection(path: path, configuration: configuration)
            } catch {
                Self.logger.warning("checkpoint connection failed", [("error", "\(error)")])
                // Not running: the writer checkpoints inline again (``isRunning``).
                signals.stopping.store(true, ordering: .releasing)
                return
            }
            // The database file's pages a run copied are synced here, off the writer: a PASSIVE run that does not
            // copy the whole WAL (commits keep coming) leaves them to the writer's next WAL restart, whose
            // fdatasync of tens of MB then held every commit for 10-20 ms.
            let databaseFile = open(path, O_RDONLY | O_CLOEXEC)
            defer { if databaseFile >= 0 { close(databaseFile) } }
            while true {
                signals.wake.wait()
                if signals.stopping.load(ordering: .acquiring) { return }
                signals.pending.store(false, ordering: .releasing)
                signals.started.add(1, ordering: .acquiringAndReleasing)
                defer { signals.finished.add(1, ordering: .releasing) }
                do {
                    _ = try connection.checkpoint(mode: .passive)
                    if databaseFile >= 0 { _ = fdatasync(databaseFile) }
                    completed()
                } catch {
                    Self.logger.warning("background WAL checkpoint failed", [("error", "\(error)")])
                }
            }
        }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(body).toOpaque()
        if pthread_create(&thread, nil, storeCheckpointerThreadEntry, context) != 0 {
            Unmanaged<StoreCheckpointerBody>.fromOpaque(context).release()
            signals.stopping.store(true, ordering: .releasing)
            isStopped.withLock { $0 = true }
            return
        }
        pthread_detach(thread)
    }

    /// Asks for one run; does nothing when a run is already pending or the checkpointer is stopping.
    func request() {
        guard !signals.stopping.load(ordering: .acquiring) else { return }
        if signals.pending.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged {
            signals.wake.signal()
        }
    }

    /// Ends the thread after its current run and waits for it. Idempotent.
    func stop() {
        let wasStopped = isStopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !wasStopped else { return }
        signals.stopping.store(true, ordering: .releasing)
        signals.wake.signal()
        signals.exited.wait()
    }

    /// Whether a thread runs the requests (false when it could not be created, or after ``stop()``).
    var isRunning: Bool { !signals.stopping.load(ordering: .acquiring) }

    /// The number of the next run to start: a run numbered at least this one starts after this call, so it
    /// copies every frame committed before it.
    var nextRun: Int { signals.started.load(ordering: .acquiring) + 1 }

    /// Runs finished (successfully or not) since start; run `n` is done when this is at least `n`.
    var finishedRuns: Int { signals.finished.load(ordering: .acquiring) }

    /// What the caller's threads and the checkpoint thread share.
    private final class Signals: Sendable {
        let wake = DispatchSemaphore(value: 0)
        let exited = DispatchSemaphore(value: 0)
        let started = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        let pending = Atomic<Bool>(false)
        let stopping = Atomic<Bool>(false)
    }
}

private final class StoreCheckpointerBody: Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

private func storeCheckpointerThreadEntry(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let context else { return nil }
    Unmanaged<StoreCheckpointerBody>.fromOpaque(context).takeRetainedValue().run()
    return nil
}
