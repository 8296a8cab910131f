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
            let events = try store.events(
                featureSet: set.definition.name, key: groups.keys[position],
                upTo: cutoff.lastVisible(at: groups.lastTime(position, in: table)), decoder: set.decoder)
            let rows = groups.timeOrderedRows(position, in: table)
            fill(rows, events, scratch: &scratch)
            progress(rows.count)
        }
    }

    /// Fills the keys of `range` (see ``EntityKeyGroups/keyRanges(_:)``) from one ordered scan of the log.
    func scan(_ store: OfflineStoreReader, range: (lower: String?, upper: String?), progress: (Int) -> Void) throws {
        var scratch: [Double?] = []
        var events: [FeatureEvent] = []
        try store.forEachKey(
            featureSet: set.definition.name, range: range,
            limit: { key in
                guard let position = groups.positions[key] else { return nil }
                return cutoff.lastVisible(at: groups.lastTime(position, in: table))
            }
        ) { key, logged in
            guard let position = groups.positions[key] else { return }
            events.removeAll(keepingCapacity: true)
            for event in logged {
                events.append(
                    try OfflineStoreReader.decode(event, featureSet: set.definition.name, decoder: set.decoder))
            }
            let rows = groups.timeOrderedRows(position, in: table)
            fill(rows, events, scratch: &scratch)
            progress(rows.count)
        }
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
