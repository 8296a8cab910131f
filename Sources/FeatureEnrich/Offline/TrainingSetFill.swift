import ServingGraph
import Synchronization

/// Fills one feature set's columns of a training set, key by key: each key's events are replayed once and read
/// at each of its rows' times, in time order. Keys come from per-key queries (few keys) or from ordered scans
/// of key ranges of the event log, one read connection per thread (many keys).
///
/// Each key's rows are written only by the thread that holds the key, so threads never write the same value.
struct TrainingSetFill: Sendable {
    /// The feature set filled.
    let set: RegisteredFeatureSet
    /// Where its columns go in a row.
    let projection: TrainingColumnProjection
    /// The table's rows by key.
    let groups: EntityKeyGroups
    /// The entity rows.
    let table: EntityTable
    /// Which events at exactly a row's time it sees.
    let cutoff: TrainingSetBuilder.Cutoff
    /// Values per row.
    let width: Int
    /// The row-major values, `table.rows.count * width` of them, initialised.
    let values: TrainingValueBuffer

    /// Fills every key with one indexed query each; `progress` gets the rows done after each key.
    func query(_ store: OfflineStoreReader, progress: (Int) -> Void) throws {
        var scratch: [Double?] = []
        for position in groups.keys.indices {
            try fillQueried(position, store, scratch: &scratch, progress: progress)
        }
    }

    /// Fills the keys of `range` (see ``EntityKeyGroups/keyRanges(_:)``) in two ordered passes: the index gives
    /// each key's visible events and, per row, how many of them it sees; then one walk of the log in ingestion
    /// order applies each event to its key's state and reads every row whose events are then all applied. The
    /// same events in the same order as ``PointInTimeReplay``, without a random read per event. A key with a
    /// late event (arrived after an event with a later time) is replayed from its own query instead.
    ///
    /// Both passes (and the late keys' queries) read one snapshot of the store: a read transaction.
    func scan(_ store: OfflineStoreReader, range: (lower: String?, upper: String?), progress: (Int) -> Void) throws {
        try store.connection.inSavepoint {
            try scanSnapshot(store, range: range, progress: progress)
            return .commit
        }
    }

    private func scanSnapshot(
        _ store: OfflineStoreReader, range: (lower: String?, upper: String?), progress: (Int) -> Void
    ) throws {
        var keys = StreamedKeys()
        var lateKeys: [Int] = []
        var seqs: (lowest: Int64, highest: Int64) = (.max, .min)
        // Each streamed key's slot by the seqs of its visible events (-1: not read), so the log walk finds an
        // event's key without reading its text. 4 bytes per logged event.
        let highestSeq = try store.highestSeq()
        var slotBySeq = [Int32](repeating: -1, count: Int(max(highestSeq, 0)) + 1)
        var scratch: [Double?] = []
        try store.forEachKeyIndex(
            featureSet: set.definition.name, range: range,
            limit: { key in
                guard let position = groups.positions[key] else { return nil }
                return cutoff.lastVisible(at: groups.lastTime(position, in: table))
            }
        ) { key, events in
            guard let position = groups.positions[key] else { return }
            for index in events.indices.dropFirst() where events[index - 1].seq > events[index].seq {
                lateKeys.append(position)
                return
            }
            var rows: [StreamedRow] = []
            var seen = 0
            for row in groups.timeOrderedRows(position, in: table) {
                let time = table.rows[row].time
                let visible = cutoff.lastVisible(at: time)
                while seen < events.count, events[seen].time <= visible { seen += 1 }
                rows.append(StreamedRow(seen: seen, row: row, time: time))
            }
            // Rows that see no event stay null, as a replay with nothing visible leaves them.
            let unseen = rows.firstIndex { $0.seen > 0 } ?? rows.count
            if unseen > 0 { progress(unseen) }
            guard let first = events.first, let last = events.last, unseen < rows.count else { return }
            seqs = (min(seqs.lowest, first.seq), max(seqs.highest, last.seq))
            for event in events where event.seq >= 0 && event.seq <= highestSeq {
                slotBySeq[Int(event.seq)] = Int32(truncatingIfNeeded: keys.count)
            }
            keys.append(state: set.aggregator.makeState(), rows: rows, nextRow: unseen)
        }
        if seqs.lowest <= seqs.highest {
            // Only the key's visible events have a slot, and its last row sees them all: no time check here.
            try store.forEachLoggedEvent(featureSet: set.definition.name, seqs: seqs.lowest...seqs.highest) {
                seq, time, row in
                let slot = seq >= 0 && seq <= highestSeq ? Int(slotBySeq[Int(seq)]) : -1
                guard slot >= 0 else { return }
                try keys.add(slot: slot, time: time, row: row, fill: self, progress: progress)
            }
            keys.applyPending(self, progress: progress)
        }
        for position in lateKeys {
            try fillQueried(position, store, scratch: &scratch, progress: progress)
        }
    }

    /// Fills the key at `position` from its visible events, read with one indexed query.
    private func fillQueried(
        _ position: Int, _ store: OfflineStoreReader, scratch: inout [Double?], progress: (Int) -> Void
    ) throws {
        let events = try store.events(
            featureSet: set.definition.name, key: groups.keys[position],
            upTo: cutoff.lastVisible(at: groups.lastTime(position, in: table)), decoder: set.decoder)
        let rows = groups.timeOrderedRows(position, in: table)
        fill(rows, events, scratch: &scratch)
        progress(rows.count)
    }

    /// Fills the rows of one key (time order) from its events (ingestion order).
    private func fill(_ rows: [Int], _ events: [FeatureEvent], scratch: inout [Double?]) {
        var replay = PointInTimeReplay(set: set, events: events)
        for rowIndex in rows {
            let time = table.rows[rowIndex].time
            guard replay.advance(lastVisible: cutoff.lastVisible(at: time)) else { continue }
            projection.write(replay.state, at: time, into: values.buffer, base: rowIndex * width, scratch: &scratch)
        }
    }
}

/// The values of a training set being built, shared by the threads of a scan; each writes only its own keys'
/// rows (``TrainingSetFill``), and the owner joins them before reading.
struct TrainingValueBuffer: @unchecked Sendable {
    /// The values.
    let buffer: UnsafeMutableBufferPointer<Value>
}

/// Rows done over the threads of a scan.
final class TrainingRowCounter: Sendable {
    private let rows = Atomic<Int>(0)

    /// Adds `count` rows; the new total.
    func add(_ count: Int) -> Int { rows.add(count, ordering: .relaxed).newValue }
}
