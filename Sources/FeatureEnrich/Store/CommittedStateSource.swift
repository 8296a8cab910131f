import Synchronization

/// What a flush behind the log can write for one entity (``CommittedStateSource``).
enum CommittedState {
    /// The key's committed state, serialised, including its logged events up to `throughSeq` (nil: up to the
    /// log's current `MAX(seq)` on the writer's connection).
    case state([UInt8], throughSeq: Int64?)
    /// Writes of the key are in flight, so its memory state runs ahead of the log; the key was asked to write
    /// its state through with its next write. Try again later.
    case inFlight
    /// The key has no state anywhere (no row, nothing in memory).
    case none
}

/// Where ``PendingStates`` reads the committed state of a key it flushes: the store's memory (serialised only
/// when the row is written, so a request never serialises its state), the bytes an eviction kept, or the disk.
protocol CommittedStateSource: Sendable {
    /// The committed state of `key` as the writer's `connection` sees it (inside its transaction). With
    /// `rebuildsInFlight`, a key with writes in flight is rebuilt from its row and log instead of `.inFlight`.
    func committedState(
        of key: StoreShard.Key, connection: SQLiteConnection, rebuildsInFlight: Bool
    ) throws -> CommittedState
}

/// States of keys evicted from memory while their row was behind the log: serialised at eviction (with the seq
/// every committed event of the key is at or below), so a flush does not rebuild them from the disk.
///
/// Written under the evicted key's shard lock, read by the writer under the same lock, dropped once the key's
/// row is written.
final class EvictedStates: Sendable {
    /// Serialised state bytes and the highest `event_log.seq` they include.
    struct State: Sendable {
        let bytes: [UInt8]
        let throughSeq: Int64
    }

    private let states = Mutex<[StoreShard.Key: State]>([:])
    /// Whether any is kept (spares the writer the lock per written key in the common case).
    private let isEmpty = Atomic<Bool>(true)

    /// Keeps the state of `key`, evicted with `bytes` including its events up to `throughSeq`.
    func keep(_ key: StoreShard.Key, bytes: [UInt8], throughSeq: Int64) {
        states.withLock { states in
            states[key] = State(bytes: bytes, throughSeq: throughSeq)
            isEmpty.store(false, ordering: .releasing)
        }
    }

    /// The kept state of `key`, if any.
    func state(of key: StoreShard.Key) -> State? {
        guard !isEmpty.load(ordering: .acquiring) else { return nil }
        return states.withLock { $0[key] }
    }

    /// Forgets the kept states of `keys` (their rows were written).
    func drop(_ keys: some Sequence<StoreShard.Key>) {
        guard !isEmpty.load(ordering: .acquiring) else { return }
        states.withLock { states in
            for key in keys { states[key] = nil }
            if states.isEmpty { isEmpty.store(true, ordering: .releasing) }
        }
    }

    /// Number of kept states.
    var count: Int { states.withLock { $0.count } }
}
