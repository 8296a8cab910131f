/// How a ``SQLiteConnection`` opens its database file; every field has a documented default.
package struct SQLiteConfiguration: Sendable {
    /// Whether the connection may write.
    package enum AccessMode: Sendable {
        /// Read and write, creating the file when missing; sets `journal_mode=WAL`.
        case readWriteCreate
        /// Read only (`SQLITE_OPEN_READONLY`): the per-loop readers of the online store. The
        /// database must exist; WAL readers never block the writer (<https://sqlite.org/wal.html>).
        case readOnly
    }

    /// `PRAGMA synchronous` (<https://sqlite.org/pragma.html#pragma_synchronous>).
    package enum Synchronous: String, Sendable {
        /// In WAL mode a commit survives a process crash (`kill -9`) but maybe not power loss.
        case normal = "NORMAL"
        /// Every commit is fsynced: survives power loss, at the cost of one fsync per commit.
        case full = "FULL"
    }

    /// Read-write-create (default) or read-only.
    package var accessMode: AccessMode
    /// `synchronous` for writing connections; default `.normal` (see DESIGN.md, "Durability").
    package var synchronous: Synchronous
    /// How long a statement waits for another connection's lock before failing with
    /// `SQLITE_BUSY` (<https://sqlite.org/c3ref/busy_timeout.html>); default 5 s.
    package var busyTimeoutMilliseconds: Int32
    /// Most statements the per-connection cache keeps; past it the cache is emptied. Default 128.
    package var maxCachedStatements: Int
    /// Whether a writing connection buffers its WAL appends and writes a transaction's frames with one call at its
    /// commit frame (the `serving-batched-wal` VFS of the `CSQLiteWAL` target) instead of two `pwrite`s per frame.
    /// The file holds the same bytes at every point another connection can look; default true.
    package var batchesWALWrites: Bool

    /// A configuration; every argument has the default documented on its property.
    package init(
        accessMode: AccessMode = .readWriteCreate,
        synchronous: Synchronous = .normal,
        busyTimeoutMilliseconds: Int32 = 5_000,
        maxCachedStatements: Int = 128,
        batchesWALWrites: Bool = true
    ) {
        self.accessMode = accessMode
        self.synchronous = synchronous
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.maxCachedStatements = maxCachedStatements
        self.batchesWALWrites = batchesWALWrites
    }

    /// Read-only with the other defaults.
    package static var readOnly: SQLiteConfiguration { SQLiteConfiguration(accessMode: .readOnly) }
}
