import CSQLite

/// One compiled SQL statement that owns its `sqlite3_stmt` handle (finalized in `deinit`).
///
/// Made by ``SQLiteConnection/prepare(sql:)`` or taken from its cache with
/// ``SQLiteConnection/cachedStatement(sql:)``. Confined like its connection: use it only on the
/// thread that owns the connection. A final class rather than `~Copyable` because the connection's
/// statement cache stores and hands out shared references.
///
/// Parameter indexes are 1-based (SQLite's convention, <https://sqlite.org/c3ref/bind_blob.html>);
/// column indexes are 0-based (<https://sqlite.org/c3ref/column_blob.html>).
///
/// ```swift
/// let insert = try connection.cachedStatement(sql: "INSERT INTO t(a, b) VALUES (?, ?)")
/// try insert.execute([.integer(1), .text("x")])
/// ```
package final class PreparedStatement {
    /// The SQL text this statement was compiled from (with its `?` placeholders, never values).
    package let sql: String
    let handle: OpaquePointer
    private let database: OpaquePointer

    /// Compiles `sql` (exactly one statement) on `database`; throws with the SQL when it does not
    /// compile or holds more than one statement (the rest would be silently ignored).
    init(database: OpaquePointer, sql: String) throws(SQLiteError) {
        var statement: OpaquePointer?
        var hasMoreStatements = false
        let code = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v2(database, text, -1, &statement, &tail)
            if let tail {
                hasMoreStatements = String(cString: tail).contains { !$0.isWhitespace && $0 != ";" }
            }
            return code
        }
        guard code == SQLITE_OK else {
            sqlite3_finalize(statement)
            throw .statementFailed(extendedCode: code, message: String(cString: sqlite3_errmsg(database)), sql: sql)
        }
        guard let statement, !hasMoreStatements else {
            sqlite3_finalize(statement)
            let problem =
                statement == nil
                ? "no SQL statement in text" : "more than one statement; use SQLiteConnection.execute for scripts"
            throw .statementFailed(extendedCode: SQLITE_MISUSE, message: problem, sql: sql)
        }
        self.sql = sql
        self.handle = statement
        self.database = database
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Number of `?` parameters.
    package var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    // MARK: - Binding

    /// Binds `value` to the 1-based parameter `index`.
    package func bind(_ value: Int64, at index: Int) throws(SQLiteError) {
        try check(sqlite3_bind_int64(handle, Int32(clamping: index), value))
    }

    /// Binds `value` to the 1-based parameter `index`.
    package func bind(_ value: Double, at index: Int) throws(SQLiteError) {
        try check(sqlite3_bind_double(handle, Int32(clamping: index), value))
    }

    /// Binds `value` as UTF-8 text (embedded NULs kept) to the 1-based parameter `index`.
    package func bind(_ value: String, at index: Int) throws(SQLiteError) {
        var value = value
        let index = Int32(clamping: index)
        let code = value.withUTF8 { bytes in
            // An empty buffer may have no base address, and a NULL pointer would bind SQL NULL.
            guard let base = bytes.baseAddress, bytes.count > 0 else {
                return "".withCString { empty in
                    sqlite3_bind_text64(handle, index, empty, 0, SQLiteConstants.transient, UInt8(SQLITE_UTF8))
                }
            }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { text in
                sqlite3_bind_text64(
                    handle, index, text, UInt64(bytes.count), SQLiteConstants.transient, UInt8(SQLITE_UTF8))
            }
        }
        try check(code)
    }

    /// Binds `text` (UTF-8) WITHOUT copying it (`SQLITE_STATIC`): for hot loops, which must keep the bytes alive
    /// and unchanged until the statement has stepped and they bind something else (or NULL) at `index`.
    package func bind(borrowedUTF8 text: UnsafeRawBufferPointer, at index: Int) throws(SQLiteError) {
        let index = Int32(clamping: index)
        guard let base = text.baseAddress, text.count > 0 else {
            try check(
                "".withCString {
                    sqlite3_bind_text64(handle, index, $0, 0, SQLiteConstants.transient, UInt8(SQLITE_UTF8))
                })
            return
        }
        try check(
            sqlite3_bind_text64(
                handle, index, base.assumingMemoryBound(to: CChar.self), UInt64(text.count), nil, UInt8(SQLITE_UTF8)))
    }

    /// Binds `bytes` as a blob WITHOUT copying them (`SQLITE_STATIC`), under the contract of
    /// ``bind(borrowedUTF8:at:)``; an empty buffer binds an empty blob.
    package func bind(borrowedBytes bytes: UnsafeRawBufferPointer, at index: Int) throws(SQLiteError) {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            try check(sqlite3_bind_zeroblob(handle, Int32(clamping: index), 0))
            return
        }
        try check(sqlite3_bind_blob64(handle, Int32(clamping: index), base, UInt64(bytes.count), nil))
    }

    /// Binds `bytes` as a blob (an empty array binds an empty blob, not NULL) to parameter `index`.
    package func bind(bytes: [UInt8], at index: Int) throws(SQLiteError) {
        let code = bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else {
                return sqlite3_bind_zeroblob(handle, Int32(clamping: index), 0)
            }
            return sqlite3_bind_blob64(
                handle, Int32(clamping: index), base, UInt64(buffer.count), SQLiteConstants.transient)
        }
        try check(code)
    }

    /// Binds SQL NULL to the 1-based parameter `index`.
    package func bindNull(at index: Int) throws(SQLiteError) {
        try check(sqlite3_bind_null(handle, Int32(clamping: index)))
    }

    /// Binds `value` in its storage class to the 1-based parameter `index`.
    package func bind(_ value: SQLiteValue, at index: Int) throws(SQLiteError) {
        switch value {
        case .null: try bindNull(at: index)
        case .integer(let integer): try bind(integer, at: index)
        case .real(let real): try bind(real, at: index)
        case .text(let text): try bind(text, at: index)
        case .blob(let bytes): try bind(bytes: bytes, at: index)
        }
    }

    /// Binds `values` to parameters 1, 2, ... in order.
    package func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        for (offset, value) in values.enumerated() {
            try bind(value, at: offset + 1)
        }
    }

    // MARK: - Stepping

    /// Runs the statement one step: true when a row is ready to read, false when done.
    package func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw failure(code)
        }
    }

    /// Rewinds the statement so it can run again; bindings are kept.
    package func reset() {
        // sqlite3_reset repeats the error of the last step, which step() already threw.
        sqlite3_reset(handle)
    }

    /// Sets every parameter back to NULL.
    package func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    /// Resets, binds `values`, and steps until done: for statements whose rows are not needed.
    package func execute(_ values: [SQLiteValue] = []) throws(SQLiteError) {
        reset()
        try bind(values)
        defer { reset() }
        while try step() {}
    }

    // MARK: - Errors

    private func check(_ code: Int32) throws(SQLiteError) {
        if code != SQLITE_OK { throw failure(code) }
    }

    private func failure(_ code: Int32) -> SQLiteError {
        .statementFailed(extendedCode: code, message: String(cString: sqlite3_errmsg(database)), sql: sql)
    }
}

@available(*, unavailable)
extension PreparedStatement: Sendable {}
