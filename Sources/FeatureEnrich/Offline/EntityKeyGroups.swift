/// The rows of an entity table grouped by entity key, keys in first-appearance order.
///
/// Rows are kept flat, key after key (each key's rows in table order), not as an array per key: grouping a
/// million rows touches no per-key buffer at random.
struct EntityKeyGroups: Sendable {
    /// The keys.
    let keys: [EntityKey]
    /// Position in ``keys`` by encoded key.
    let positions: [String: Int]
    /// Every row index, grouped by key: key `p`'s rows are `orderedRows[rowStarts[p]..<rowStarts[p + 1]]`.
    private let orderedRows: [Int]
    private let rowStarts: [Int]

    /// Groups rows `0..<rowCount`, row `i` under `key(i)`; the first error `key` throws is rethrown.
    init(rowCount: Int, key: (Int) throws -> EntityKey) rethrows {
        var keys: [EntityKey] = []
        var positions: [String: Int] = [:]
        var rowKeys: [Int32] = []
        rowKeys.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            let entityKey = try key(row)
            let position = positions[entityKey.encoded] ?? keys.count
            if position == keys.count {
                positions[entityKey.encoded] = position
                keys.append(entityKey)
            }
            rowKeys.append(Int32(truncatingIfNeeded: position))
        }
        // Counting sort of the rows by key: stable, so each key keeps its rows in table order.
        var starts = [Int](repeating: 0, count: keys.count + 1)
        for position in rowKeys { starts[Int(position) + 1] += 1 }
        for position in keys.indices { starts[position + 1] += starts[position] }
        var next = starts
        var orderedRows = [Int](repeating: 0, count: rowCount)
        for (row, position) in rowKeys.enumerated() {
            orderedRows[next[Int(position)]] = row
            next[Int(position)] += 1
        }
        self.keys = keys
        self.positions = positions
        self.orderedRows = orderedRows
        rowStarts = starts
    }

    /// The number of rows grouped.
    var rowCount: Int { orderedRows.count }

    /// The rows of key `position`, in table order.
    func rows(_ position: Int) -> ArraySlice<Int> {
        orderedRows[rowStarts[position]..<rowStarts[position + 1]]
    }

    /// The rows of key `position` by (time, row index).
    func timeOrderedRows(_ position: Int, in table: EntityTable) -> [Int] {
        rows(position).sorted { (table.rows[$0].time, $0) < (table.rows[$1].time, $1) }
    }

    /// The latest row time of key `position`.
    func lastTime(_ position: Int, in table: EntityTable) -> Int64 {
        rows(position).reduce(Int64.min) { max($0, table.rows[$1].time) }
    }

    /// Keys sampled to choose the bounds of ``keyRanges(_:)``.
    static let boundsSample = 4096

    /// `count` contiguous ranges of encoded keys (SQLite's BINARY order: bytes) holding about as many keys
    /// each: `nil` bounds are open, every key is in exactly one range. One open range when `count` < 2.
    func keyRanges(_ count: Int) -> [(lower: String?, upper: String?)] {
        guard count > 1, keys.count >= count else { return [(nil, nil)] }
        // The bounds only balance the ranges: quantiles of an evenly spaced sample of the keys do that as well
        // as sorting all of them (a twentieth of the serial start-up at 100k keys).
        let step = max(1, keys.count / Self.boundsSample)
        let sorted = stride(from: 0, to: keys.count, by: step).map { keys[$0].encoded }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var bounds: [String?] = [nil]
        for part in 1..<count { bounds.append(sorted[part * sorted.count / count]) }
        bounds.append(nil)
        return (0..<count).map { (bounds[$0], bounds[$0 + 1]) }
    }
}
