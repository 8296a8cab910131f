import Synchronization

/// Read-only connections for loading entity states that are not in memory; never the writer's connection.
///
/// A connection is checked out by one thread, used, and returned (WAL readers never block the writer:
/// <https://sqlite.org/wal.html>). When all are busy a new one is opened; at most `maxIdle` are kept.
final class StoreReaderPool: Sendable {
    private let path: String
    private let maxIdle: Int
    private let idle = Mutex<[ReaderConnection]>([])

    /// A pool over the database at `path` (which must exist: the writer creates it first).
    init(path: String, maxIdle: Int) {
        self.path = path
        self.maxIdle = maxIdle
    }

    /// Runs `body` with a read-only connection checked out for the call.
    func withConnection<Result>(_ body: (SQLiteConnection) throws -> Result) throws -> Result {
        let reader = try idle.withLock { $0.popLast() } ?? ReaderConnection(path: path)
        defer {
            idle.withLock { readers in
                if readers.count < maxIdle { readers.append(reader) }
            }
        }
        return try body(reader.connection)
    }
}

/// A read-only connection handed between threads through ``StoreReaderPool``'s mutex.
///
/// `@unchecked Sendable` because a ``SQLiteConnection`` is thread-confined: the pool guarantees that exactly
/// one thread holds it between checkout and return, and SQLite itself is built thread-safe (serialized or
/// multi-thread mode), which allows a connection to move between threads when not used concurrently.
private final class ReaderConnection: @unchecked Sendable {
    let connection: SQLiteConnection

    init(path: String) throws {
        connection = try SQLiteConnection(path: path, configuration: .readOnly)
    }
}
