import CSQLite

/// Reading the current row; valid after ``PreparedStatement/step()`` returned true.
extension PreparedStatement {
    /// Number of columns in a result row.
    package var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// Name of the 0-based column `index` (its `AS` alias when given).
    package func columnName(at index: Int) -> String {
        sqlite3_column_name(handle, Int32(clamping: index)).map { String(cString: $0) } ?? ""
    }

    /// True when the 0-based column `index` of the current row is NULL.
    package func isNull(at index: Int) -> Bool {
        sqlite3_column_type(handle, Int32(clamping: index)) == SQLITE_NULL
    }

    /// The 0-based column `index` as an integer (SQLite converts other classes; NULL is 0).
    package func int64(at index: Int) -> Int64 {
        sqlite3_column_int64(handle, Int32(clamping: index))
    }

    /// The 0-based column `index` as a double (SQLite converts other classes; NULL is 0).
    package func double(at index: Int) -> Double {
        sqlite3_column_double(handle, Int32(clamping: index))
    }

    /// The 0-based column `index` as UTF-8 text, embedded NULs kept (NULL is "").
    package func text(at index: Int) -> String {
        let column = Int32(clamping: index)
        // Per https://sqlite.org/c3ref/column_blob.html: call _text first, then _bytes.
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// The 0-based column `index` as bytes (NULL and empty blobs are `[]`).
    package func blob(at index: Int) -> [UInt8] {
        let column = Int32(clamping: index)
        guard let pointer = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// True when the 0-based column `index` of the current row holds a BLOB.
    package func isBlob(at index: Int) -> Bool {
        sqlite3_column_type(handle, Int32(clamping: index)) == SQLITE_BLOB
    }

    /// Calls `body` with the bytes of the 0-based column `index` (a blob, or text as UTF-8) without copying them;
    /// they are valid only inside `body`.
    package func withBytes<Result, Failure: Error>(
        at index: Int, _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let column = Int32(clamping: index)
        // Per https://sqlite.org/c3ref/column_blob.html: call _blob first, then _bytes.
        let pointer = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        return try body(UnsafeRawBufferPointer(start: pointer, count: pointer == nil ? 0 : count))
    }

    /// The 0-based column `index` in its storage class.
    package func value(at index: Int) -> SQLiteValue {
        switch sqlite3_column_type(handle, Int32(clamping: index)) {
        case SQLITE_INTEGER: .integer(int64(at: index))
        case SQLITE_FLOAT: .real(double(at: index))
        case SQLITE_TEXT: .text(text(at: index))
        case SQLITE_BLOB: .blob(blob(at: index))
        default: .null
        }
    }

    /// Every column of the current row.
    package func row() -> [SQLiteValue] {
        (0..<columnCount).map { value(at: $0) }
    }
}
