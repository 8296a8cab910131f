import CSQLite
import Synchronization

/// WAL checkpoints, which copy committed pages back into the database file so the `-wal` file
/// stays bounded (<https://sqlite.org/c3ref/wal_checkpoint_v2.html>).
extension SQLiteConnection {
    /// How hard a checkpoint tries.
    package enum CheckpointMode: Sendable {
        /// Copies what it can without waiting for readers or writers; never blocks.
        case passive
        /// Waits (busy timeout) for readers, copies everything, then truncates the WAL to 0 bytes.
        case truncate

        var rawValue: Int32 {
            switch self {
            case .passive: SQLITE_CHECKPOINT_PASSIVE
            case .truncate: SQLITE_CHECKPOINT_TRUNCATE
            }
        }
    }

    /// What a checkpoint achieved.
    package struct CheckpointResult: Sendable, Equatable {
        /// Frames in the WAL when the checkpoint ended (-1 when not in WAL mode).
        package var walFrames: Int
        /// Frames copied back into the database (-1 when not in WAL mode).
        package var checkpointedFrames: Int
        /// False when readers or a writer kept it from finishing (`SQLITE_BUSY`); try again later.
        package var isComplete: Bool
    }

    /// Runs a checkpoint of the main database in `mode`. `SQLITE_BUSY` is reported as an incomplete
    /// result, not thrown: a reader holding an old snapshot is normal.
    package func checkpoint(mode: CheckpointMode) throws(SQLiteError) -> CheckpointResult {
        var walFrames: Int32 = -1
        var checkpointed: Int32 = -1
        let code = sqlite3_wal_checkpoint_v2(handle, nil, mode.rawValue, &walFrames, &checkpointed)
        switch code & 0xFF {
        case SQLITE_OK, SQLITE_BUSY:
            return CheckpointResult(
                walFrames: Int(walFrames), checkpointedFrames: Int(checkpointed), isComplete: code == SQLITE_OK)
        default:
            throw .statementFailed(
                extendedCode: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)),
                sql: "PRAGMA wal_checkpoint(\(mode == .passive ? "PASSIVE" : "TRUNCATE"))")
        }
    }
}

/// The number of frames in a connection's WAL after its last commit, written by the connection's WAL hook and
/// read by whoever decides when to checkpoint.
final class WALFrameCounter: Sendable {
    /// Frames in the WAL after the last commit (0 before any).
    let frames = Atomic<Int>(0)

    /// A counter at 0.
    init() {}
}

extension SQLiteConnection {
    /// Records the WAL's frame count in `counter` after every commit of this connection
    /// (<https://sqlite.org/c3ref/wal_hook.html>). This replaces SQLite's automatic checkpoint: the owner
    /// checkpoints when the count says so. The connection keeps `counter` alive.
    func observeWALFrames(into counter: WALFrameCounter) {
        walHookContext = counter
        sqlite3_wal_hook(
            handle,
            { context, _, _, frames in
                if let context {
                    Unmanaged<WALFrameCounter>.fromOpaque(context).takeUnretainedValue()
                        .frames.store(Int(frames), ordering: .relaxed)
                }
                return SQLITE_OK
            },
            Unmanaged.passUnretained(counter).toOpaque())
    }
}
