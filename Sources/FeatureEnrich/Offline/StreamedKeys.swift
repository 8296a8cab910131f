import ServingGraph
import Synchronization

/// The keys of one ``TrainingSetFill/scan(_:range:progress:)`` while the log is walked: each key's state, and
/// its rows waiting for their last visible event.
///
/// Keys are met in ingestion order, i.e. at random, so each event misses the cache on its key's state (and each
/// finished row on its output cells). Events are therefore decoded into a small batch first and applied a batch
/// at a time, after one pass over the batch has touched what the updates will read: the misses of a batch
/// overlap instead of following one another. Applying a batch in order keeps every key's ingestion order.
struct StreamedKeys {
    /// Events decoded before a batch is applied.
    static let batchSize = 32

    private var keys: [StreamedKey] = []
    private var slots = [Int](repeating: 0, count: batchSize)
    private var times = [Int64](repeating: 0, count: batchSize)
    private var aggregationValues = [[Double?]](repeating: [], count: batchSize)
    private var featureValues = [[Value?]](repeating: [], count: batchSize)
    private var pending = 0
    /// The entity-table row each pending event's key writes next, when the event is its last unseen one (-1).
    private var dueRows = [Int](repeating: -1, count: batchSize)
    private var scratch: [Double?] = []
    /// Where the touches of a batch go, so that the optimiser keeps them.
    private let touched = TouchedWords()

    /// No keys yet.
    init() {}

    /// The number of keys.
    var count: Int { keys.count }

    /// Adds a key with the empty `state`, its `rows` (time order, each with how many of the key's events it
    /// sees), the first of which that sees an event is `nextRow`.
    mutating func append(state: EntityState, rows: [StreamedRow], nextRow: Int) {
        keys.append(
            StreamedKey(
                state: state, rows: rows, nextRow: nextRow,
                nextSeen: nextRow < rows.count ? rows[nextRow].seen : .max))
    }

    /// Decodes the current event of `row` for key `slot`, stamped `time`, into the batch; applies the batch
    /// when it is full.
    mutating func add(
        slot: Int, time: Int64, row: LoggedEventRow, fill: TrainingSetFill, progress: (Int) -> Void
    ) throws(TrainingSetError) {
        try row.decodeValues(
            fill.set.decoder, aggregationValues: &aggregationValues[pending], featureValues: &featureValues[pending])
        slots[pending] = slot
        times[pending] = time
        pending += 1
        if pending == Self.batchSize { applyPending(fill, progress: progress) }
    }

    /// Applies the decoded events not applied yet, in order, and writes every row whose events are then all
    /// applied; `progress` gets the rows written.
    mutating func applyPending(_ fill: TrainingSetFill, progress: (Int) -> Void) {
        touchPending(fill)
        let aggregator = fill.set.aggregator
        for index in 0..<pending {
            let slot = slots[index]
            aggregator.apply(
                at: times[index], aggregationValues: aggregationValues[index], featureValues: featureValues[index],
                into: &keys[slot].state)
            keys[slot].applied += 1
            guard keys[slot].applied == keys[slot].nextSeen else { continue }
            let start = keys[slot].nextRow
            var next = start
            let rows = keys[slot].rows
            while next < rows.count, rows[next].seen == keys[slot].applied {
                fill.projection.write(
                    keys[slot].state, at: rows[next].time, into: fill.values.buffer, base: rows[next].row * fill.width,
                    scratch: &scratch)
                next += 1
            }
            keys[slot].nextRow = next
            keys[slot].nextSeen = next < rows.count ? rows[next].seen : .max
            progress(next - start)
        }
        pending = 0
    }

    /// Reads, for every pending event, each cache line its update will use, level by level: the loads of a level
    /// do not depend on one another, so their cache misses overlap. A row about to be written (by the key's next
    /// event) has its row entry and output cells touched too.
    private mutating func touchPending(_ fill: TrainingSetFill) {
        var sum = 0
        for index in 0..<pending { sum &+= keys[slots[index]].applied }
        for index in 0..<pending {
            let slot = slots[index]
            sum &+= Self.touchLines(keys[slot].state.latestFeatures) &+ Self.touchLines(keys[slot].state.aggregations)
            let due = keys[slot].applied + 1 == keys[slot].nextSeen && keys[slot].nextRow < keys[slot].rows.count
            dueRows[index] = due ? keys[slot].rows[keys[slot].nextRow].row : -1
        }
        let cellBytes = fill.width * MemoryLayout<Value>.stride
        for index in 0..<pending {
            let slot = slots[index]
            for aggregation in keys[slot].state.aggregations.indices {
                sum &+= Self.touchLines(keys[slot].state.aggregations[aggregation].buckets)
            }
            if dueRows[index] >= 0, let cells = fill.values.buffer.baseAddress {
                let row = UnsafeRawBufferPointer(start: cells + dueRows[index] * fill.width, count: cellBytes)
                sum &+= Self.touchLines(row)
            }
        }
        touched.value.store(sum, ordering: .relaxed)
    }

    /// The sum of one byte of each 64-byte line of `array`'s elements.
    private static func touchLines<Element>(_ array: [Element]) -> Int {
        array.withUnsafeBytes { touchLines($0) }
    }

    /// The sum of one byte of each 64-byte line of `bytes`, and of its last byte.
    private static func touchLines(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard !bytes.isEmpty else { return 0 }
        var sum = Int(bytes[bytes.count - 1])
        var offset = 0
        while offset < bytes.count {
            sum &+= Int(bytes[offset])
            offset += 64
        }
        return sum
    }
}

/// The sum of the words a ``StreamedKeys`` batch touched: an atomic store, which the optimiser never removes.
private final class TouchedWords: Sendable {
    let value = Atomic<Int>(0)
}

/// A row of a ``StreamedKeys`` key: how many of the key's events (ingestion order) it sees, its index in the
/// entity table and its time.
struct StreamedRow {
    /// Events of the key the row sees.
    let seen: Int
    /// The row's index in the entity table.
    let row: Int
    /// The row's time T.
    let time: Int64
}

/// A key of ``StreamedKeys``.
private struct StreamedKey {
    /// The key's state after ``applied`` events.
    var state: EntityState
    /// Its rows in time order.
    let rows: [StreamedRow]
    /// The first row not yet written.
    var nextRow: Int
    /// `rows[nextRow].seen`, or `.max` once every row is written: read without touching ``rows``.
    var nextSeen: Int
    /// Events applied so far.
    var applied = 0
}
