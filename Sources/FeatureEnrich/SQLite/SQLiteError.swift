/// A failure reported by SQLite: its extended result code, its message and the SQL text involved.
///
/// Bound values are never part of an error (they may be personal data); only the SQL template with
/// its `?` placeholders is. Result codes are those of <https://sqlite.org/rescode.html>.
package enum SQLiteError: Error, Equatable, CustomStringConvertible {
    /// `sqlite3_open_v2` failed for `path`.
    case openFailed(path: String, extendedCode: Int32, message: String)
    /// Preparing, binding, stepping or executing `sql` failed.
    case statementFailed(extendedCode: Int32, message: String, sql: String)

    /// The extended result code, e.g. 2067 (`SQLITE_CONSTRAINT_UNIQUE`).
    package var extendedCode: Int32 {
        switch self {
        case .openFailed(_, let code, _), .statementFailed(let code, _, _): code
        }
    }

    /// The primary result code (the low byte of the extended one), e.g. 19 (`SQLITE_CONSTRAINT`).
    package var code: Int32 { extendedCode & 0xFF }

    /// SQLite's message (`sqlite3_errmsg`).
    package var message: String {
        switch self {
        case .openFailed(_, _, let message), .statementFailed(_, let message, _): message
        }
    }

    /// The SQL that failed, or nil when opening failed.
    package var sql: String? {
        switch self {
        case .openFailed: nil
        case .statementFailed(_, _, let sql): sql
        }
    }

    /// Longest SQL excerpt a description quotes; migrations can be pages long.
    package static let maxQuotedSQLLength = 240

    package var description: String {
        let codes = code == extendedCode ? "\(code)" : "\(code)/\(extendedCode)"
        switch self {
        case .openFailed(let path, _, let message):
            return "SQLite error \(codes) (\(message)) opening \"\(path)\""
        case .statementFailed(_, let message, let sql):
            var quoted = sql
            if quoted.count > Self.maxQuotedSQLLength {
                quoted = String(quoted.prefix(Self.maxQuotedSQLLength)) + "..."
            }
            return "SQLite error \(codes) (\(message)) in \"\(quoted)\""
        }
    }
}
