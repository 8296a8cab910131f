import CSQLite
import CSQLiteWAL

/// One open SQLite database connection, confined to the thread that uses it.
///
/// Thread contract: not `Sendable`. A connection is created, used and released by one thread: the
/// store-writer thread owns the only writing connection (``StoreWriter``), and each event loop owns
/// its own read-only one. The connection is opened with `SQLITE_OPEN_NOMUTEX` because nothing else
/// touches it. Writing connections use WAL (<https://sqlite.org/wal.html>), the configured
/// `synchronous`, a busy timeout and `foreign_keys=ON`. Closed in `deinit` with `sqlite3_close_v2`,
/// which waits for statements still alive elsewhere to be finalized.
///
/// ```swift
/// let connection = try SQLiteConnection(path: "/tmp/store.db")
/// try connection.inTransaction {
///     try connection.cachedStatement(sql: "INSERT INTO t(a) VALUES (?)").execute([.integer(1)])
///     return .commit
/// }
/// ```
package final class SQLiteConnection {
    /// The file this connection opened (`:memory:` for an in-memory database).
    package let path: String
    /// The configuration it was opened with.
    package let configuration: SQLiteConfiguration
    let handle: OpaquePointer
    private var statementCache: [String: PreparedStatement] = [:]
    /// The statements most recently fetched from the cache, newest first.
    private var recentStatements: [PreparedStatement] = []
    /// Depth of ``inSavepoint(_:)`` nesting; names savepoints `sp1`, `sp2`, ...
    var savepointDepth = 0
    /// Compiled savepoint statements, index `depth - 1`.
    var savepointStatementsByDepth: [SavepointStatements] = []
    /// What the WAL hook writes to (``observeWALFrames(into:)``), kept alive as long as the connection.
    var walHookContext: WALFrameCounter?

    /// Opens (or, in read-write mode, creates) the database at `path` and applies the pragmas.
    package init(path: String, configuration: SQLiteConfiguration = SQLiteConfiguration()) throws(SQLiteError) {
        let flags: Int32 =
            switch configuration.accessMode {
            case .readWriteCreate: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
            case .readOnly: SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
            }
        var database: OpaquePointer?
        let batched =
            configuration.accessMode == .readWriteCreate && configuration.batchesWALWrites
            && csqlitewal_register() == SQLITE_OK
        let code = sqlite3_open_v2(path, &database, flags, batched ? CSQLITEWAL_VFS_NAME : nil)
        guard code == SQLITE_OK, let database else {
            let message = database.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            let extended = database.map { sqlite3_extended_errcode($0) } ?? code
            sqlite3_close_v2(database)
            throw .openFailed(path: path, extendedCode: extended, message: message)
        }
        self.path = path
        self.configuration = configuration
        self.handle = database
        sqlite3_extended_result_codes(database, 1)
        sqlite3_busy_timeout(database, configuration.busyTimeoutMilliseconds)
        try execute("PRAGMA foreign_keys = ON")
        if configuration.accessMode == .readWriteCreate {
            try execute("PRAGMA journal_mode = WAL")
            try execute("PRAGMA synchronous = \(configuration.synchronous.rawValue)")
        }
    }

    deinit {
        statementCache.removeAll()
        recentStatements.removeAll()
        savepointStatementsByDepth.removeAll()
        sqlite3_close_v2(handle)
    }

    // MARK: - Statements

    /// Runs `sql` (one or more statements separated by `;`), discarding any rows.
    package func execute(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        guard code == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw .statementFailed(extendedCode: sqlite3_extended_errcode(handle), message: message, sql: sql)
        }
    }

    /// Compiles `sql` into a new statement that the caller owns.
    package func prepare(sql: String) throws(SQLiteError) -> PreparedStatement {
        try PreparedStatement(database: handle, sql: sql)
    }

    /// The cached statement for `sql`, compiled on first use, returned reset with NULL bindings.
    ///
    /// Resetting means one SQL text cannot be stepped by two callers at once: a nested user of the
    /// same SQL would rewind the outer one. Hot paths (the writer, the online store) rely on this.
    package func cachedStatement(sql: String) throws(SQLiteError) -> PreparedStatement {
        let statement = try lookUpOrPrepare(sql: sql)
        statement.reset()
        statement.clearBindings()
        return statement
    }

    private func lookUpOrPrepare(sql: String) throws(SQLiteError) -> PreparedStatement {
        // Fast path: hot callers pass the same literal each time, and String == compares identical
        // storage without reading it, while a dictionary lookup hashes the whole SQL text.
        for index in recentStatements.indices where recentStatements[index].sql == sql {
            return recentStatements[index]
        }
        let statement: PreparedStatement
        if let cached = statementCache[sql] {
            statement = cached
        } else {
            statement = try PreparedStatement(database: handle, sql: sql)
            if statementCache.count >= configuration.maxCachedStatements {
                statementCache.removeAll(keepingCapacity: true)
                recentStatements.removeAll(keepingCapacity: true)
            }
            statementCache[sql] = statement
        }
        if recentStatements.count >= Self.recentStatementCount {
            recentStatements.removeLast()
        }
        recentStatements.insert(statement, at: 0)
        return statement
    }

    /// How many most recently used statements are checked before the dictionary.
    private static let recentStatementCount = 8

    /// Number of statements in the cache.
    package var cachedStatementCount: Int { statementCache.count }

    /// Runs `sql` with `bindings` (a cached statement) and returns every row: for tests and admin paths.
    package func query(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> [[SQLiteValue]] {
        let statement = try cachedStatement(sql: sql)
        defer { statement.reset() }
        try statement.bind(bindings)
        var rows: [[SQLiteValue]] = []
        while try statement.step() {
            rows.append(statement.row())
        }
        return rows
    }

    // MARK: - State

    /// Rowid of the last successful INSERT on this connection (`sqlite3_last_insert_rowid`).
    package var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last INSERT, UPDATE or DELETE (`sqlite3_changes64`).
    package var changes: Int { Int(sqlite3_changes64(handle)) }

    /// True between BEGIN and COMMIT/ROLLBACK (SQLite is not in autocommit mode).
    package var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// The journal mode in effect (`wal` for writing file connections, `memory` in memory).
    package func journalMode() throws(SQLiteError) -> String {
        try query("PRAGMA journal_mode").first?.first?.textValue ?? ""
    }
}

@available(*, unavailable)
extension SQLiteConnection: Sendable {}
