#ifndef CSQLITEWAL_H
#define CSQLITEWAL_H

/// The name of the VFS that `csqlitewal_register` registers: the default VFS with buffered WAL appends.
#define CSQLITEWAL_VFS_NAME "serving-batched-wal"

/// Registers (once; thread-safe) a SQLite VFS named CSQLITEWAL_VFS_NAME that wraps the default VFS and writes a
/// transaction's WAL frames with one `pwrite` at its commit frame instead of two per frame. Every other file and
/// call goes to the default VFS unchanged. Returns SQLITE_OK or the error of `sqlite3_vfs_register`.
int csqlitewal_register(void);

#endif
