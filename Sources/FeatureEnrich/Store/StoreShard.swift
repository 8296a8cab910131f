#if canImport(Glibc)
    import Glibc
#endif

/// One lock shard of the online store's in-memory state: the entity states that hash to it.
///
/// Lives inside a `Mutex` of ``SQLiteOnlineStore``; every method runs under that lock. An entry with writes in
/// flight (`pendingWrites > 0`) is never evicted, so memory never runs ahead of what reload could see; a
/// committed state still waiting behind the log (``PendingStates``) may be evicted: its row plus the key's later
/// log rows reload it exactly.
struct StoreShard: Sendable {
    /// One entity's state and its bookkeeping.
    struct Entry: Sendable {
        var state: EntityState
        /// Writes submitted to the store writer and not completed yet.
        var pendingWrites = 0
        /// ``StoreShard/clock`` at the last use (for least-recently-used eviction).
        var lastUsed: UInt64 = 0
        /// A flush found writes in flight: the next write upserts the state itself (``StoreStateSource``).
        var flushRequested = false
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
        guard let index = entries.index(forKey: key) else { return nil }
        clock += 1
        entries.values[index].lastUsed = clock
        return entries.values[index]
    }

    /// Whether `key` has an entry.
    func contains(_ key: Key) -> Bool {
        entries.index(forKey: key) != nil
    }

    /// The entry of `key`, not marked used (the writer's flushes).
    func peek(_ key: Key) -> Entry? {
        entries[key]
    }

    /// Runs `body` on the entry of `key` in place (no copy of its state), marked used; nil when there is none.
    @discardableResult
    mutating func modify<Result>(_ key: Key, _ body: (inout Entry) -> Result) -> Result? {
        guard let index = entries.index(forKey: key) else { return nil }
        clock += 1
        entries.values[index].lastUsed = clock
        return body(&entries.values[index])
    }

    /// Asks the next write of `key` to upsert its state itself.
    mutating func requestFlush(_ key: Key) {
        guard let index = entries.index(forKey: key) else { return }
        entries.values[index].flushRequested = true
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
    /// so the sort is paid once per `limit / 8` insertions); returns them.
    @discardableResult
    mutating func evictIdle(over limit: Int) -> [(key: Key, value: Entry)] {
        guard entries.count > limit else { return [] }
        let target = max(0, limit - max(1, limit / 8))
        let idle = entries.filter { $0.value.pendingWrites == 0 }.sorted { $0.value.lastUsed < $1.value.lastUsed }
        let evicted = Array(idle.prefix(entries.count - target))
        for (key, _) in evicted {
            entries[key] = nil
        }
        return evicted
    }
}

/// One shard behind its own lock. Besides `withLock`, a request that updates several entities locks all their
/// shards at once (``lock()``/``unlock()``, always in ascending shard order, so two requests never deadlock)
/// and reaches each one with ``withLockHeld(_:)``.
///
/// `@unchecked Sendable`: `shard` is only touched between `pthread_mutex_lock` and `pthread_mutex_unlock`.
final class LockedStoreShard: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var shard = StoreShard()

    init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the shard locked.
    func withLock<Result>(_ body: (inout StoreShard) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&shard)
    }

    /// Locks the shard; pair with ``unlock()``.
    func lock() { pthread_mutex_lock(mutex) }

    /// Unlocks the shard.
    func unlock() { pthread_mutex_unlock(mutex) }

    /// Runs `body` on the shard; the caller holds the lock (``lock()``).
    func withLockHeld<Result>(_ body: (inout StoreShard) throws -> Result) rethrows -> Result {
        try body(&shard)
    }
}
