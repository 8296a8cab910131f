/// The event log's key index written behind the log (docs/ARCHITECTURE.md, "The event log is indexed behind it").
///
/// An index on `event_log (feature_set, entity_key, event_ts_ms)` costs every appended event one random leaf of
/// the index's b-tree in the commit (its WAL frame, its checksum, its checkpoint copy). Instead, a writer item that
/// appends events stages their keys here (``stage(featureSet:key:time:seq:)``); they are written to
/// the recent runs of `event_log_keys_recent` in rounds, sorted, a few hundred per commit, each round a run at the
/// table's end, and the commit writing a round's last one lists the run and raises `log_index_mark` to the log's
/// `MAX(seq)` when the round started (the run's id). Once the runs hold enough rows, a ``LogKeyRunMerge`` moves them
/// into `event_log_keys` a key-range chunk per commit. Readers take `event_log_keys` and the listed runs up to the
/// mark plus the log's rows above it (``StoreStatements/logKeysSQL(columns:where:)``).
///
/// Staging follows the writer's savepoints like ``PendingStates``: an item's keys are kept when its savepoint is
/// released, a batch's become pending when it COMMITs. A round starts when more than `maxPending` keys wait or
/// `flushInterval` passed since the last one ended, its keys sorted a run per commit (``IncrementalMergeSort``).
/// ``flush(_:)`` indexes every row above the mark from SQL (close, the end of a batch ingestion); a store opening
/// indexes what a crash left behind the same way.
///
/// `@unchecked Sendable`: only the store-writer thread touches it (its work items and the batch observer calls).
final class PendingLogIndex: StoreWriterBatchObserver, @unchecked Sendable {
    /// One logged event's key row.
    struct Entry {
        let featureSet: Int
        let key: String
        let time: Int64
        let seq: Int64
    }

    /// What a round sorts for one entry: plain integers (moved without reference counting), its key's
    /// ``KeyOrder`` and its place in the round's entries; an entry's events of one key keep their staging order.
    struct SortItem {
        let order: KeyOrder
        /// The feature set's place in name order (the key table's first column).
        let rank: Int32
        let index: Int32
    }

    private let featureSets: [String]
    private let flushInterval: Duration
    private let maxPending: Int
    /// Of committed batches, not in a round yet.
    private var pending: [Entry] = []
    /// Of the running item and of the running batch's kept items.
    private var staging = SavepointStaging<Entry>()
    private var lastRound = ContinuousClock.now
    private let clock = ContinuousClock()
    /// The round in progress: its entries (put in key order a run per commit, then written in that order) and the
    /// log's `MAX(seq)` when it began.
    private struct Round {
        let entries: [Entry]
        let order: IncrementalMergeSort<SortItem>
        let mark: Int64
    }
    private var round: Round?
    /// What ``round`` becomes if the running batch commits (`.some(nil)`: it ended); nil: unchanged.
    private var roundAfterCommit: Round??
    /// Where the round's reading stood before the running batch took entries from it (restored on rollback).
    private var roundRewind: IncrementalMergeSort<SortItem>.Position?
    /// Each feature set's place in name order (the key table's order), by ``Entry/featureSet``.
    private let featureSetRanks: [Int]
    /// The `seq` a ``flush(_:)`` in the running batch indexed up to.
    private var flushedThrough: Int64?
    private var lastBatchFailed = false
    /// Complete runs of `event_log_keys_recent` not merged yet (committed), oldest first.
    private var recentRuns: [(run: Int64, rows: Int)] = []
    /// The run a round ending in the running batch registered.
    private var runAfterCommit: (run: Int64, rows: Int)?
    /// Runs holding more rows than this (or more than ``maxRecentRuns`` runs) start a merge.
    private let mergeRows: Int
    /// The merge in progress (nil: none).
    private var merge: LogKeyRunMerge?
    /// What the running batch's chunk left of the merge (``LogKeyRunMerge/isDone``: it ended), kept if it commits.
    private var mergeAfterCommit: LogKeyRunMerge?

    /// Keys of the feature sets named `featureSets` (indexed by ``Entry/featureSet``), written in rounds every
    /// `flushIntervalMilliseconds` or past `maxPending` keys.
    init(featureSets: [String], flushIntervalMilliseconds: Int, maxPending: Int, mergeRows: Int = 1_000_000) {
        self.mergeRows = mergeRows
        self.featureSets = featureSets
        var ranks = Array(repeating: 0, count: featureSets.count)
        for (rank, index) in featureSets.indices.sorted(by: { featureSets[$0] < featureSets[$1] }).enumerated() {
            ranks[index] = rank
        }
        self.featureSetRanks = ranks
        self.flushInterval = .milliseconds(flushIntervalMilliseconds)
        self.maxPending = maxPending
    }

    /// Records that the running item appended the event `seq` of `key` in feature set `featureSet` at `time`.
    func stage(featureSet: Int, key: String, time: Int64, seq: Int64) {
        staging.stage(Entry(featureSet: featureSet, key: key, time: time, seq: seq))
    }

    /// Indexes every logged event above the mark (but those from `keyedFrom` on, keyed as they were logged) and
    /// raises the mark to the log's last row, inside the running item or batch; what was staged up to there is
    /// forgotten only when that commits.
    func flush(_ connection: SQLiteConnection, keyedFrom: Int64 = .max) throws {
        flushedThrough = try StoreStatements.indexLogTail(connection, keyedFrom: keyedFrom)
    }

    // MARK: - StoreWriterBatchObserver

    func itemEnded(kept: Bool) {
        staging.itemEnded(kept: kept)
    }

    func beforeCommit(_ connection: SQLiteConnection, closing: Bool) throws {
        if closing {
            if !pending.isEmpty || !staging.batch.isEmpty || round != nil || !recentRuns.isEmpty {
                try flush(connection)
            }
            return
        }
        // A flush in this batch indexed everything up to its point: what follows is the next round's.
        guard flushedThrough == nil else { return }
        try mergeIfDue(connection)
        let working: Round
        if let round {
            working = round
        } else if pending.count + staging.batch.count > maxPending
            || (!(pending.isEmpty && staging.batch.isEmpty) && clock.now - lastRound >= flushInterval)
        {
            var entries = pending
            entries.append(contentsOf: staging.batch)
            let items = entries.enumerated().map { index, entry in
                let rank =
                    entry.featureSet < featureSetRanks.count ? featureSetRanks[entry.featureSet] : entry.featureSet
                return SortItem(order: KeyOrder(entry.key), rank: Int32(truncatingIfNeeded: rank), index: Int32(index))
            }
            let order = IncrementalMergeSort(items, runLength: PendingStates.sortRunLength) { left, right in
                if left.rank != right.rank { return left.rank < right.rank }
                let keyOrder = KeyOrder.precedes(
                    left.order, entries[Int(left.index)].key, right.order, entries[Int(right.index)].key)
                return keyOrder ?? (left.index < right.index)
            }
            working = Round(entries: entries, order: order, mark: try StoreStatements.maxSeq(connection))
        } else {
            return
        }
        // A run of the sort per commit: no commit waits for the whole sort (a small round is sorted at once).
        guard working.order.advance() else {
            roundAfterCommit = working
            return
        }
        roundRewind = working.order.position
        let rows = working.order.next(chunk(items: staging.keptItems)).compactMap { item in
            let entry = working.entries[Int(item.index)]
            return entry.featureSet < featureSets.count ? (entry.featureSet, entry.key, entry.time, entry.seq) : nil
        }
        // The round's run: its rows at the end of `event_log_keys_recent` (the runs grow with the mark).
        try StoreStatements.insertLogKeys(connection, featureSets: featureSets, rows, run: working.mark)
        if working.order.remaining == 0 {
            try StoreStatements.registerRecentRun(connection, run: working.mark, rows: working.entries.count)
            try StoreStatements.raiseLogIndexMark(connection, to: working.mark)
            runAfterCommit = (working.mark, working.entries.count)
            roundAfterCommit = .some(nil)
        } else {
            roundAfterCommit = working
        }
    }

    func batchEnded(committed: Bool) {
        if committed {
            if let flushed = flushedThrough {
                pending.append(contentsOf: staging.batch)
                pending.removeAll { $0.seq <= flushed }
                round = nil
                lastRound = clock.now
                // The flush moved every run into `event_log_keys`.
                recentRuns.removeAll()
                merge = nil
            } else {
                if let after = mergeAfterCommit {
                    if after.isDone, let last = after.runs.last?.run { recentRuns.removeAll { $0.run <= last } }
                    merge = after.isDone ? nil : after
                }
                if let run = runAfterCommit { recentRuns.append(run) }
                // A round that began in this batch (none before, one after) took ``pending`` and ``batch``.
                let roundBegan = round == nil && roundAfterCommit != nil
                if roundBegan {
                    pending.removeAll(keepingCapacity: true)
                } else {
                    pending.append(contentsOf: staging.batch)
                }
                if let after = roundAfterCommit {
                    round = after
                    if after == nil { lastRound = clock.now }
                }
            }
        }
        if !committed, let rewind = roundRewind { round?.order.restore(rewind) }
        lastBatchFailed = !committed
        roundAfterCommit = nil
        roundRewind = nil
        runAfterCommit = nil
        mergeAfterCommit = nil
        flushedThrough = nil
        staging.batchEnded()
    }

    /// Starts a merge once the runs hold more than ``mergeRows`` rows or number more than ``maxRecentRuns``, and moves
    /// the next chunk of the merge in progress.
    private func mergeIfDue(_ connection: SQLiteConnection) throws {
        var working: LogKeyRunMerge
        if let merge {
            working = merge
        } else if !recentRuns.isEmpty
            && (recentRuns.reduce(0, { $0 + $1.rows }) > mergeRows || recentRuns.count > Self.maxRecentRuns)
        {
            working = LogKeyRunMerge(runs: recentRuns)
        } else {
            return
        }
        try working.moveChunk(connection, rows: Self.mergeChunk(items: staging.keptItems))
        mergeAfterCommit = working
    }

    /// Rows a merge moves in the commit of a batch of `items` kept items: eight per item and at least 256; 1,024 in
    /// an idle writer's empty batch (a chunk reads and deletes a range of every run, so a larger one spreads those
    /// seeks over more rows, about 1-2 µs per row moved).
    static func mergeChunk(items: Int) -> Int {
        items == 0 ? 1_024 : max(256, 8 * items)
    }

    /// Most runs before a merge, whatever their rows: each costs a per-key read one more seek.
    static let maxRecentRuns = 64

    var deferredWorkDelayMicroseconds: Int? {
        guard !pending.isEmpty || round != nil || merge != nil else { return nil }
        return PendingStates.idleDelayMicroseconds(
            roundInProgress: round != nil || merge != nil, lastBatchFailed: lastBatchFailed,
            remaining: flushInterval - (clock.now - lastRound))
    }

    /// Keys a round writes in the commit of a batch of `items` kept items: four per item and at least 128; 256 in
    /// an idle writer's empty batch. A key row is a few dozen bytes written in key order (about 1-2 µs each), so a
    /// chunk holds a request arriving meanwhile for a fraction of a millisecond.
    func chunk(items: Int) -> Int {
        items == 0 ? 256 : max(128, 4 * items)
    }
}
