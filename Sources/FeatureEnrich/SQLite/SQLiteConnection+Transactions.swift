/// Transactions and savepoints as closures, as GRDB's `Database.inTransaction` (STYLE.md §5).
///
/// Both roll back when the body throws, and rethrow the body's error even when the rollback fails
/// too: the first error wins. See <https://sqlite.org/lang_transaction.html> and
/// <https://sqlite.org/lang_savepoint.html>.
extension SQLiteConnection {
    /// Runs `body` between BEGIN IMMEDIATE and COMMIT (or ROLLBACK when it asks or throws).
    ///
    /// IMMEDIATE takes the write lock up front, so a busy database fails at BEGIN (after the busy
    /// timeout) rather than midway. Not reentrant: nest with ``inSavepoint(_:)``.
    package func inTransaction(_ body: () throws -> TransactionCompletion) throws {
        try beginImmediateTransaction()
        let completion: TransactionCompletion
        do {
            completion = try body()
        } catch {
            try? rollbackTransaction()
            throw error
        }
        switch completion {
        case .commit:
            do {
                try commitTransaction()
            } catch {
                // A failed COMMIT may leave the transaction open (e.g. SQLITE_BUSY); end it.
                if isInTransaction { try? rollbackTransaction() }
                throw error
            }
        case .rollback:
            try rollbackTransaction()
        }
    }

    /// Runs `body` inside `SAVEPOINT spN`, released on `.commit`, rolled back to and released on
    /// `.rollback` or a throw. Nests to any depth; outside a transaction it starts a deferred one.
    package func inSavepoint(_ body: () throws -> TransactionCompletion) throws {
        let statements = try savepointStatements(depth: savepointDepth + 1)
        try statements.begin.execute()
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let completion: TransactionCompletion
        do {
            completion = try body()
        } catch {
            try? rollback(to: statements)
            throw error
        }
        switch completion {
        case .commit: try statements.release.execute()
        case .rollback: try rollback(to: statements)
        }
    }

    /// `BEGIN IMMEDIATE`, for callers (the store writer) that manage the transaction themselves.
    package func beginImmediateTransaction() throws(SQLiteError) {
        try cachedStatement(sql: "BEGIN IMMEDIATE").execute()
    }

    /// `COMMIT`: the durability point of everything since BEGIN.
    package func commitTransaction() throws(SQLiteError) {
        try cachedStatement(sql: "COMMIT").execute()
    }

    /// `ROLLBACK`; harmless to call when SQLite already rolled back on its own.
    package func rollbackTransaction() throws(SQLiteError) {
        guard isInTransaction else { return }
        try cachedStatement(sql: "ROLLBACK").execute()
    }

    private func rollback(to savepoint: SavepointStatements) throws(SQLiteError) {
        // After some errors (SQLITE_FULL, SQLITE_IOERR...) SQLite has already rolled back the whole
        // transaction and the savepoint no longer exists: nothing is left to undo.
        guard isInTransaction else { return }
        try savepoint.rollbackTo.execute()
        try savepoint.release.execute()
    }

    /// The statements of savepoint `sp<depth>`, compiled once per depth: the store writer opens a
    /// savepoint per work item, and a dictionary lookup of freshly interpolated SQL per item costs.
    private func savepointStatements(depth: Int) throws(SQLiteError) -> SavepointStatements {
        while savepointStatementsByDepth.count < depth {
            let name = "sp\(savepointStatementsByDepth.count + 1)"
            savepointStatementsByDepth.append(
                SavepointStatements(
                    begin: try prepare(sql: "SAVEPOINT \(name)"), release: try prepare(sql: "RELEASE \(name)"),
                    rollbackTo: try prepare(sql: "ROLLBACK TO \(name)")))
        }
        return savepointStatementsByDepth[depth - 1]
    }
}

/// The compiled SAVEPOINT, RELEASE and ROLLBACK TO statements of one savepoint name.
struct SavepointStatements {
    let begin: PreparedStatement
    let release: PreparedStatement
    let rollbackTo: PreparedStatement
}

/// What a transaction or savepoint body asks for when it returns normally.
package enum TransactionCompletion: Sendable {
    /// Make the changes permanent (COMMIT, or RELEASE for a savepoint).
    case commit
    /// Undo the changes (ROLLBACK, or ROLLBACK TO + RELEASE for a savepoint).
    case rollback
}
