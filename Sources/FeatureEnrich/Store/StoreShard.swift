import Synchronization

/// One lock shard of the online store's in-memory state: the entity states that hash to it.
///
/// Lives inside a `Mutex` of ``SQLiteOnlineStore``; every method runs under that lock. An entry with writes in
/// flight (`pendingWrites > 0`) is never evicted, so memory never runs ahead of what reload could see.
struct StoreShard: Sendable {
    /// One entity's state and its bookkeeping.
    struct Entry: Sendable {
        var state: EntityState
        /// Writes submitted to the store writer and not completed yet.
        var pendingWrites = 0
        /// ``StoreShard/clock`` at the last use (for least-recently-used eviction).
        var lastUsed: UInt64 = 0
    }

    /// Identifies an entity across feature sets: (feature-set position, encoded key).
    struct Key: Sendable, Hashable {
        let featureSet: Int
        let entity: String
    }

    private(set) var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0

    /// The entry of `key`, marked used.
    mutating func entry(_ key: Key) -> Entry? {
        guard var entry = entries[key] else { return nil }
        clock += 1
        entry.lastUsed = clock
        entries[key] = entry
        return entry
    }

    /// Stores `entry` for `key`, marked used.
    mutating func set(_ entry: Entry, for key: Key) {
        clock += 1
        var entry = entry
        entry.lastUsed = clock
        entries[key] = entry
    }

    /// Drops `key` when no write of it is in flight; returns whether it is gone.
    @discardableResult
    mutating func evict(_ key: Key) -> Bool {
        guard let entry = entries[key] else { return true }
        guard entry.pendingWrites == 0 else { return false }
        entries[key] = nil
        return true
    }

    /// Records that one write of `key` completed; returns the writes still in flight.
    mutating func completeWrite(_ key: Key) -> Int {
        guard var entry = entries[key] else { return 0 }
        entry.pendingWrites = max(0, entry.pendingWrites - 1)
        entries[key] = entry
        return entry.pendingWrites
    }

    /// When over `limit` entries, evicts idle ones, least recently used first, down to 7/8 of `limit` (a burst,
    /// so the sort is paid once per `limit / 8` insertions).
    mutating func evictIdle(over limit: Int) {
        guard entries.count > limit else { return }
        let target = max(0, limit - max(1, limit / 8))
        let idle = entries.filter { $0.value.pendingWrites == 0 }.sorted { $0.value.lastUsed < $1.value.lastUsed }
        for (key, _) in idle.prefix(entries.count - target) {
            entries[key] = nil
        }
    }
}

/// One shard's lock (an array cannot hold the non-copyable `Mutex` itself).
final class LockedStoreShard: Sendable {
    private let mutex = Mutex(StoreShard())

    /// Runs `body` with the shard locked.
    func withLock<Result, Failure: Error>(
        _ body: (inout StoreShard) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        try mutex.withLock(body)
    }
}
