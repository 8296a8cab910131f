import CSQLite

/// SQLite names that Swift cannot import directly, gathered in one place (STYLE.md §8).
enum SQLiteConstants {
    /// `SQLITE_TRANSIENT`: a cast macro, so `shim.h` returns it. Tells SQLite to copy bound bytes
    /// before the bind call returns, so Swift buffers need not outlive the call.
    static var transient: sqlite3_destructor_type { csqlite_transient() }
}
