import Synchronization

/// Entity states written behind the event log: which entities' `entity_state` rows lag their committed state,
/// flushed coalesced (docs/ARCHITECTURE.md, "States are a cache of the log").
///
/// A real-time item appends its events to `event_log` and records here that its keys' rows are now behind
/// (``stage(_:throughSeq:)``) instead of upserting them; no state is serialised for it. A write that does write
/// a row itself (write-through: a key's first state, Feast's online-only push, a key a flush asked for, batch
/// ingestion) or a flush records that the row is current (``markWritten(_:)``). Changes follow the writer's
/// savepoints like ``DeferredStatistics``: what an item recorded is kept only when its savepoint is released, and
/// takes effect only when its batch COMMITs.
///
/// Flushing is a round spread over commits, so no commit (and no response waiting for it) stalls behind thousands
/// of upserts: once ``OnlineStoreConfiguration/stateFlushIntervalMilliseconds`` passed since the last round ended,
/// or more than ``OnlineStoreConfiguration/stateFlushMaxPending`` states wait, the keys behind then are taken in
/// key order with the log's `MAX(seq)`; each commit (``beforeCommit(_:closing:)``) writes the committed state of
/// the next ``chunk(items:)`` of them, read from ``source`` (memory, serialised then; a key with writes in flight
/// is retried later and asked to write through), and the commit writing the last sets each feature set's mark to
/// that `MAX(seq)` (every key behind at the start now has a row including its events up to it; any other key's
/// row already did). A round's progress counts only once its commit succeeded. ``flush(_:now:)`` writes everything
/// at once (close, batch ingestion, warm-up). Until a state is written, a reader rebuilds it from the row plus the
/// key's later log rows.
///
/// `@unchecked Sendable`: only the store-writer thread touches it (its work items and the batch observer calls),
/// except ``mayBeBehind(_:)``, ``isBehind(_:)``, ``committedSeq`` and ``evicted``, which are synchronised.
final class PendingStates: StoreWriterBatchObserver, @unchecked Sendable {
    /// What an item or a flush did to a key's row: left it behind its committed state (`written` false: a
    /// write staged behind the log, including its events up to `seq`) or wrote it.
    private struct Change {
        let key: StoreShard.Key
        let written: Bool
        let seq: Int64
    }

    private let featureSets: [String]
    private let flushInterval: Duration
    private let maxPending: Int
    /// Where flushes read committed states (set by the store once its memory exists, before any write).
    var source: (any CommittedStateSource)?
    /// States of keys evicted while behind (kept by the store's evictions, read through ``source``).
    let evicted = EvictedStates()
    /// Of the item running now, and of the batch's kept items then of its flush, in order.
    private var staging = SavepointStaging<Change>()
    /// Keys whose committed state is not written, for ``mayBeBehind(_:)`` on any thread; changed at COMMIT.
    private let behind = Mutex<Set<StoreShard.Key>>([])
    /// `behind.count`, for the writer.
    private var behindCount = 0
    /// The highest seq a committed staged write included (evictions record it with the state they keep).
    let committedSeq = Atomic<Int64>(0)
    /// Whether this store ever staged a state (it is then the file's real-time writer).
    private let hasStaged = Atomic<Bool>(false)
    private var lastFlush = ContinuousClock.now
    private let clock = ContinuousClock()
    /// The flush in progress: keys behind when it started (put in key order a run per commit, then written in
    /// that order), keys to try again (writes were in flight) and the log's `MAX(seq)` then (its mark).
    private struct Round {
        let keys: IncrementalMergeSort<StoreShard.Key>
        let mark: Int64
        var retry: [StoreShard.Key] = []
    }
    private var round: Round?
    /// What ``round`` becomes if the running batch commits (`.some(nil)`: the round ended); nil: unchanged.
    private var roundAfterCommit: Round??
    /// Where the round's reading stood before the running batch took keys from it (restored if it rolls back).
    private var roundRewind: IncrementalMergeSort<StoreShard.Key>.Position?
    /// Whether the last batch rolled back.
    private var lastBatchFailed = false

    /// Tracks states of the feature sets named `featureSets` (indexed by ``StoreShard/Key/featureSet``), flushed
    /// every `flushIntervalMilliseconds` or past `maxPending` states.
    init(featureSets: [String], flushIntervalMilliseconds: Int, maxPending: Int) {
        self.featureSets = featureSets
        self.flushInterval = .milliseconds(flushIntervalMilliseconds)
        self.maxPending = maxPending
    }

    /// States not yet written (committed or staged by the running batch); writer thread only.
    var count: Int {
        behindCount + staging.batch.count(where: { !$0.written }) + staging.item.count(where: { !$0.written })
    }

    /// Records that the running item leaves `key`'s row behind its state, which includes its events up to
    /// `throughSeq`.
    func stage(_ key: StoreShard.Key, throughSeq: Int64) {
        staging.stage(Change(key: key, written: false, seq: throughSeq))
        hasStaged.store(true, ordering: .relaxed)
    }

    /// Whether the stored row of `key` may lack some of its logged events (any thread): true until this store
    /// stages a state (another process may have states behind the log), then only for the keys whose committed
    /// state is not written yet. A key can join them only through a write, which keeps it in memory until its
    /// commit (its item's batch records it here before any completion runs), so a load never misses it.
    func mayBeBehind(_ key: StoreShard.Key) -> Bool {
        guard hasStaged.load(ordering: .relaxed) else { return true }
        return isBehind(key)
    }

    /// Whether the committed state of `key` is not written (any thread).
    func isBehind(_ key: StoreShard.Key) -> Bool {
        behind.withLock { $0.contains(key) }
    }

    /// Records that the running item wrote `key`'s current state to its row.
    func markWritten(_ key: StoreShard.Key) {
        staging.stage(Change(key: key, written: true, seq: 0))
    }

    /// Whether the row of `key` lacks part of its state as of the running item (writer thread).
    func latestIsBehind(_ key: StoreShard.Key) -> Bool {
        if let change = staging.item.last(where: { $0.key == key }) ?? staging.batch.last(where: { $0.key == key }) {
            return !change.written
        }
        return isBehind(key)
    }

    /// The committed state of `key` (rebuilt from its row and log when writes of it are in flight), on the
    /// writer's `connection`; nil when it has none.
    func committedBytes(_ key: StoreShard.Key, _ connection: SQLiteConnection) throws -> [UInt8]? {
        guard let source,
            case .state(let bytes, _) = try source.committedState(
                of: key, connection: connection, rebuildsInFlight: true)
        else { return nil }
        return bytes
    }

    /// Writes every unwritten state (behind, or staged by the batch or the running item) in key order and sets
    /// every feature set's mark to the log's `MAX(seq)`, inside the running item or batch: what it wrote is
    /// forgotten only when that commits. A key with writes in flight is rebuilt from its row and log.
    func flush(_ connection: SQLiteConnection, now: Int64) throws {
        guard source != nil else { return }  // the store is still opening: nothing was staged
        var keys = behind.withLock { $0 }
        for change in staging.batch where !change.written { keys.insert(change.key) }
        for change in staging.item where !change.written { keys.insert(change.key) }
        let maxSeq = try StoreStatements.maxSeq(connection)
        for key in keys.sorted(by: Self.keyOrder) {
            guard try write(key, connection, maxSeq: maxSeq, now: now, rebuildsInFlight: true) else { continue }
            staging.stage(Change(key: key, written: true, seq: 0))
        }
        for name in featureSets {
            try StoreStatements.setFlushMark(connection, featureSet: name, throughSeq: maxSeq)
        }
        lastFlush = clock.now
    }

    /// Upserts the committed state of `key`; false when its writes are in flight (only without
    /// `rebuildsInFlight`) or it has no state.
    private func write(
        _ key: StoreShard.Key, _ connection: SQLiteConnection, maxSeq: Int64, now: Int64, rebuildsInFlight: Bool
    ) throws -> Bool {
        guard key.featureSet < featureSets.count, let source else { return false }
        switch try source.committedState(of: key, connection: connection, rebuildsInFlight: rebuildsInFlight) {
        case .state(let bytes, let throughSeq):
            try StoreStatements.upsertState(
                connection, featureSet: featureSets[key.featureSet], key: key.entity, state: bytes,
                throughSeq: throughSeq ?? maxSeq, now: now)
            return true
        case .inFlight:
            return false
        case .none:
            // Nothing to write (no row, no memory): nothing is behind either.
            return true
        }
    }

    static func keyOrder(_ lhs: StoreShard.Key, _ rhs: StoreShard.Key) -> Bool {
        (lhs.featureSet, lhs.entity) < (rhs.featureSet, rhs.entity)
    }

    // MARK: - StoreWriterBatchObserver

    func itemEnded(kept: Bool) {
        staging.itemEnded(kept: kept)
    }

    func beforeCommit(_ connection: SQLiteConnection, closing: Bool) throws {
        guard behindCount > 0 || !staging.batch.isEmpty || round != nil, source != nil else { return }
        if closing {
            try flush(connection, now: StoreWriterLoop.nowMilliseconds())
            itemEnded(kept: true)
            return
        }
        var working: Round
        if let round {
            working = round
        } else if count > 0 && (count > maxPending || clock.now - lastFlush >= flushInterval) {
            var keys = Array(behind.withLock { $0 })
            var seen = Set<StoreShard.Key>()
            for change in staging.batch where !change.written && seen.insert(change.key).inserted {
                keys.append(change.key)
            }
            let order = IncrementalMergeSort(keys, runLength: Self.sortRunLength, by: Self.keyOrder)
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
        let maxSeq = try StoreStatements.maxSeq(connection)
        // The batch's own changes decide for its keys; the others are behind unless written since the round began.
        var latest: [StoreShard.Key: Bool] = [:]
        for change in staging.batch { latest[change.key] = change.written }
        let chunk = chunk(items: staging.keptItems)
        let keys: [StoreShard.Key]
        if working.keys.remaining > 0 {
            roundRewind = working.keys.position
            keys = working.keys.next(chunk)
        } else {
            keys = Array(working.retry.prefix(chunk))
            working.retry.removeFirst(keys.count)
        }
        let stillBehind = behind.withLock { behind in keys.map { latest[$0].map { !$0 } ?? behind.contains($0) } }
        for (key, isBehind) in zip(keys, stillBehind) where isBehind {
            if try write(key, connection, maxSeq: maxSeq, now: now, rebuildsInFlight: false) {
                staging.addToBatch(Change(key: key, written: true, seq: 0))
            } else {
                working.retry.append(key)
            }
        }
        if working.keys.remaining == 0 && working.retry.isEmpty {
            for name in featureSets {
                try StoreStatements.setFlushMark(connection, featureSet: name, throughSeq: working.mark)
            }
            roundAfterCommit = .some(nil)
        } else {
            roundAfterCommit = working
        }
    }

    func batchEnded(committed: Bool) {
        if committed && !staging.batch.isEmpty {
            var highest: Int64 = 0
            behindCount = behind.withLock { behind in
                for change in staging.batch {
                    if change.written {
                        behind.remove(change.key)
                    } else {
                        behind.insert(change.key)
                        highest = max(highest, change.seq)
                    }
                }
                return behind.count
            }
            if highest > committedSeq.load(ordering: .relaxed) { committedSeq.store(highest, ordering: .releasing) }
            // A kept eviction state is superseded by any later change: a written row, or a newer committed state.
            evicted.drop(staging.batch.lazy.map(\.key))
        }
        if committed {
            if let after = roundAfterCommit {
                round = after
                if after == nil { lastFlush = clock.now }
            }
            // Every key behind at the round's start was written since (a full flush, writes through): the round
            // is done. Its mark is not needed (each row's `through_seq` is exact); an idle writer must not keep
            // committing empty batches for it.
            if round != nil && behindCount == 0 {
                round = nil
                lastFlush = clock.now
            }
        }
        if !committed, let rewind = roundRewind { round?.keys.restore(rewind) }
        lastBatchFailed = !committed
        roundAfterCommit = nil
        roundRewind = nil
        staging.batchEnded()
    }

    var deferredWorkDelayMicroseconds: Int? {
        guard behindCount > 0 || round != nil else { return nil }
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
