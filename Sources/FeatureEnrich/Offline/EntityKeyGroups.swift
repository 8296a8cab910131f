/// The rows of an entity table grouped by entity key, keys in first-appearance order.
struct EntityKeyGroups: Sendable {
    /// The keys.
    private(set) var keys: [EntityKey] = []
    /// Row indices per key, in table order.
    private(set) var rows: [[Int]] = []
    /// Position in ``keys`` by encoded key.
    private(set) var positions: [String: Int] = [:]

    /// Adds row `rowIndex` to the group of `key`.
    mutating func add(_ rowIndex: Int, key: EntityKey) {
        if let position = positions[key.encoded] {
            rows[position].append(rowIndex)
        } else {
            positions[key.encoded] = keys.count
            keys.append(key)
            rows.append([rowIndex])
        }
    }

    /// The rows of key `position` by (time, row index).
    func timeOrderedRows(_ position: Int, in table: EntityTable) -> [Int] {
        rows[position].sorted { (table.rows[$0].time, $0) < (table.rows[$1].time, $1) }
    }

    /// The latest row time of key `position`.
    func lastTime(_ position: Int, in table: EntityTable) -> Int64 {
        rows[position].reduce(Int64.min) { max($0, table.rows[$1].time) }
    }

    /// `count` contiguous ranges of encoded keys (SQLite's BINARY order: bytes) holding about as many keys
    /// each: `nil` bounds are open, every key is in exactly one range. One open range when `count` < 2.
    func keyRanges(_ count: Int) -> [(lower: String?, upper: String?)] {
        guard count > 1, keys.count >= count else { return [(nil, nil)] }
        let sorted = positions.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var bounds: [String?] = [nil]
        for part in 1..<count { bounds.append(sorted[part * sorted.count / count]) }
        bounds.append(nil)
        return (0..<count).map { (bounds[$0], bounds[$0 + 1]) }
    }
}
