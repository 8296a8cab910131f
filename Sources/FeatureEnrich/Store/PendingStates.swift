import Synchronization

/// Entity states written behind the event log: the latest committed state of each entity whose `entity_state` row
/// is behind, flushed coalesced (docs/ARCHITECTURE.md, "States are a cache of the log").
///
/// A real-time item appends its events to `event_log` and stages its keys' serialized states here instead of
/// upserting them (``stage(_:bytes:throughSeq:)``); a write that does write a state row itself (write-through:
/// a key's first state, Feast's online-only push, batch ingestion) or a flush records that the row is current
/// (``markWritten(_:)``). Staging follows the writer's savepoints like ``DeferredStatistics``: what an item staged
/// is kept only when its savepoint is released, what a batch kept becomes pending only when the batch COMMITs, so
/// a pending state is always the state after committed items, and a rolled-back one never reaches the disk.
///
/// Flushing is a round spread over commits, so no commit (and no response waiting for it) stalls behind thousands
/// of upserts: once ``OnlineStoreConfiguration/stateFlushIntervalMilliseconds`` passed since the last round ended,
/// or more than ``OnlineStoreConfiguration/stateFlushMaxPending`` states wait, the keys pending then are taken in
/// key order with the log's `MAX(seq)`; each commit (``beforeCommit(_:closing:)``) writes the latest state of the
/// next ``chunk(items:)`` of them, and the commit writing the last sets each feature set's mark to that `MAX(seq)`
/// (every key pending at the start now has a row including its events up to it; any other key's row already
/// did). A round's progress counts only once its commit succeeded. ``flush(_:now:)`` writes everything at once
/// (close, batch ingestion, warm-up). Until a state is written, a reader rebuilds it from the row plus the key's
/// later log rows.
///
/// `@unchecked Sendable`: only the store-writer thread touches it (its work items and the batch observer calls).
final class PendingStates: StoreWriterBatchObserver, @unchecked Sendable {
    /// Serialized state bytes and the highest `event_log.seq` they include.
    struct State {
        let bytes: [UInt8]
        let throughSeq: Int64
    }

    private let featureSets: [String]
    private let flushInterval: Duration
    private let maxPending: Int
    /// After committed batches; flushed by the next flush.
    private var pending: [StoreShard.Key: State] = [:]
    /// Of the batch's kept items (nil: the row is current, drop the pending state at COMMIT).
    private var batch: [StoreShard.Key: State?] = [:]
    /// Of the item running now.
    private var item: [StoreShard.Key: State?] = [:]
    /// The keys of ``pending``, for ``mayBeBehind(_:)`` on any thread.
    private let behind = Mutex<Set<StoreShard.Key>>([])
    /// Whether this store ever staged a state (it is then the file's real-time writer).
    private let hasStaged = Atomic<Bool>(false)
    private var lastFlush = ContinuousClock.now
    private let clock = ContinuousClock()
    /// The flush in progress: keys pending when it started (put in key order a run per commit, then written in
    /// that order) and the log's `MAX(seq)` then (the mark it sets when done).
    private struct Round {
        let keys: IncrementalMergeSort<StoreShard.Key>
        let mark: Int64
    }
    private var round: Round?
    /// What ``round`` becomes if the running batch commits (`.some(nil)`: the round ended); nil: unchanged.
    private var roundAfterCommit: Round??
    /// Where the round's reading stood before the running batch took keys from it (restored if it rolls back).
    private var roundRewind: IncrementalMergeSort<StoreShard.Key>.Position?
    /// Items the running batch kept so far.
    private var keptItems = 0
    /// Whether the last batch rolled back.
    private var lastBatchFailed = false

    /// Buffers states of the feature sets named `featureSets` (indexed by ``StoreShard/Key/featureSet``), flushed
    /// every `flushIntervalMilliseconds` or past `maxPending` states.
    init(featureSets: [String], flushIntervalMilliseconds: Int, maxPending: Int) {
        self.featureSets = featureSets
        self.flushInterval = .milliseconds(flushIntervalMilliseconds)
        self.maxPending = maxPending
    }

    /// States not yet written (committed or in the running batch); writer thread only.
    var count: Int { pending.count + batch.count }

    /// Records that the running item leaves `key` with `bytes`, including its events up to `throughSeq`.
    func stage(_ key: StoreShard.Key, bytes: [UInt8], throughSeq: Int64) {
        item[key] = .some(State(bytes: bytes, throughSeq: throughSeq))
        hasStaged.store(true, ordering: .relaxed)
    }

    /// Whether the stored row of `key` may lack some of its logged events (any thread): true until this store
    /// stages a state (another process may have states behind the log), then only for the keys whose committed
    /// state is not written yet. A key can join them only through a write, which keeps it in memory until its
    /// commit (its item's batch records it here before any completion runs), so a load never misses it.
    func mayBeBehind(_ key: StoreShard.Key) -> Bool {
        guard hasStaged.load(ordering: .relaxed) else { return true }
        return behind.withLock { $0.contains(key) }
    }

    /// Records that the running item wrote `key`'s current state to its row: an older pending state is dropped.
    func markWritten(_ key: StoreShard.Key) {
        item[key] = .some(nil)
    }

    /// The latest unwritten state of `key` as of the running item (nil: its row is current).
    func latest(_ key: StoreShard.Key) -> State? {
        if let staged = item[key] { return staged }
        if let kept = batch[key] { return kept }
        return pending[key]
    }

    /// Writes every unwritten state (pending, kept by the batch, staged by the running item) in key order and
    /// sets every feature set's mark to the log's `MAX(seq)`, inside the running item or batch: what it wrote is
    /// forgotten only when that commits.
    func flush(_ connection: SQLiteConnection, now: Int64) throws {
        var latest: [StoreShard.Key: State] = pending
        for (key, state) in batch { latest[key] = state }
        for (key, state) in item { latest[key] = state }
        let keys = latest.keys.sorted { ($0.featureSet, $0.entity) < ($1.featureSet, $1.entity) }
        for key in keys {
            guard let state = latest[key], key.featureSet < featureSets.count else { continue }
            try StoreStatements.upsertState(
                connection, featureSet: featureSets[key.featureSet], key: key.entity, state: state.bytes,
                throughSeq: state.throughSeq, now: now)
            item[key] = .some(nil)
        }
        for (key, _) in pending where item[key] == nil { item[key] = .some(nil) }
        let maxSeq = try StoreStatements.maxSeq(connection)
        for name in featureSets {
            try StoreStatements.setFlushMark(connection, featureSet: name, throughSeq: maxSeq)
        }
        lastFlush = clock.now
    }

    // MARK: - StoreWriterBatchObserver

    func itemEnded(kept: Bool) {
        if kept {
            for (key, state) in item { batch[key] = state }
            keptItems += 1
        }
        item.removeAll(keepingCapacity: true)
    }

    func beforeCommit(_ connection: SQLiteConnection, closing: Bool) throws {
        guard !pending.isEmpty || !batch.isEmpty else { return }
        if closing {
            try flush(connection, now: StoreWriterLoop.nowMilliseconds())
            itemEnded(kept: true)
            return
        }
        let working: Round
        if let round {
            working = round
        } else if count > maxPending || clock.now - lastFlush >= flushInterval {
            var keys = Array(pending.keys)
            for (key, state) in batch where state != nil && pending[key] == nil { keys.append(key) }
            let order = IncrementalMergeSort(keys, runLength: Self.sortRunLength) {
                ($0.featureSet, $0.entity) < ($1.featureSet, $1.entity)
            }
            working = Round(keys: order, mark: try StoreStatements.maxSeq(connection))
        } else {
            return
        }
        // A run of the sort per commit: no commit waits for the whole sort (a small round is sorted at once).
        guard working.keys.advance() else {
            roundAfterCommit = working
            return
        }
        let now = StoreWriterLoop.nowMilliseconds()
        roundRewind = working.keys.position
        for key in working.keys.next(chunk(items: keptItems)) {
            // Written since (write-through, a full flush): nothing left; otherwise its latest state.
            guard let state = batch[key] ?? pending[key], key.featureSet < featureSets.count else { continue }
            try StoreStatements.upsertState(
                connection, featureSet: featureSets[key.featureSet], key: key.entity, state: state.bytes,
                throughSeq: state.throughSeq, now: now)
            batch[key] = .some(nil)
        }
        if working.keys.remaining == 0 {
            for name in featureSets {
                try StoreStatements.setFlushMark(connection, featureSet: name, throughSeq: working.mark)
            }
            roundAfterCommit = .some(nil)
        } else {
            roundAfterCommit = working
        }
    }

    func batchEnded(committed: Bool) {
        if committed && !batch.isEmpty {
            behind.withLock { behind in
                for (key, state) in batch {
                    pending[key] = state
                    if state == nil { behind.remove(key) } else { behind.insert(key) }
                }
            }
        }
        if committed {
            if let after = roundAfterCommit {
                round = after
                if after == nil { lastFlush = clock.now }
            }
            // Every key pending at the round's start was written since (a full flush, writes through): the round
            // is done. Its mark is not needed (each row's `through_seq` is exact); an idle writer must not keep
            // committing empty batches for it.
            if round != nil && pending.isEmpty {
                round = nil
                lastFlush = clock.now
            }
        }
        if !committed, let rewind = roundRewind { round?.keys.restore(rewind) }
        lastBatchFailed = !committed
        roundAfterCommit = nil
        roundRewind = nil
        keptItems = 0
        batch.removeAll(keepingCapacity: true)
        item.removeAll(keepingCapacity: true)
    }

    var deferredWorkDelayMicroseconds: Int? {
        guard !pending.isEmpty else { return nil }
        return Self.idleDelayMicroseconds(
            roundInProgress: round != nil, lastBatchFailed: lastBatchFailed,
            remaining: flushInterval - (clock.now - lastFlush))
    }

    /// How long an idle writer may wait before its next empty batch for work written behind the log: none while a
    /// round is in progress, else until the interval's `remaining` part has passed (at least 1 ms); never less than
    /// ``retryDelayMicroseconds`` after a failed commit (a full disk...), instead of spinning.
    static func idleDelayMicroseconds(roundInProgress: Bool, lastBatchFailed: Bool, remaining: Duration) -> Int {
        let floor = lastBatchFailed ? retryDelayMicroseconds : 0
        if roundInProgress { return floor }
        let (seconds, attoseconds) = remaining.components
        return max(floor, 1000, Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000))
    }

    /// Keys sorted per commit while a round starts (about half a millisecond of string comparisons).
    static let sortRunLength = 2_048

    /// The shortest wait of an idle writer for deferred states after a failed commit: 100 ms.
    static let retryDelayMicroseconds = 100_000

    /// States a flush round writes in the commit of a batch of `items` kept items: twice the batch (so a round
    /// outpaces the states it flushes under load) and at least 32; 64 in an idle writer's empty batch. Each upsert
    /// costs ~5-10 µs, so a request arriving during a round waits at most about half a millisecond more (an idle
    /// chunk of 1,024 held requests for 10-20 ms once per round: the open-loop p99).
    func chunk(items: Int) -> Int {
        items == 0 ? 64 : max(32, 2 * items)
    }
}
