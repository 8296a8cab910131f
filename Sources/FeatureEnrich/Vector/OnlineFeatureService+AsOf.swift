public import ServingGraph

extension OnlineFeatureService {
    /// The vector of each entity row as it was at `time` (epoch ms), computed from the store file's offline
    /// event log by the training set's code (``TimeTravelReader``), in the shape of ``get(_:asList:at:)``: one
    /// object (or with `asList` an array) per row, `null` for an entity with no event at or before `time` in any
    /// of the vector's sets. Values are not imputed (the statistics imputing reads are today's), so a result
    /// equals the training row of that entity at `time`. Opens its own read-only connection: call it off the
    /// event loop.
    public func get(_ entityRows: [Value], asList: Bool = false, asOf time: Int64) throws -> [Value] {
        let reader = try TimeTravelReader(store: try OfflineStoreReader(path: store.path))
        return try results(entityRows, asList: asList) { row, path in
            let keys = try keyValues(row, path: path)
            var values = [Value](repeating: .null, count: vector.columns.count)
            var found = false
            for group in groups {
                let key = try EntityKeyReader.key(of: group.set, from: keys, path: path)
                guard
                    let read = try reader.row(
                        featureSet: group.set.name, key: key, at: time, features: group.columns.map(\.feature))
                else { continue }
                found = true
                for (column, position) in zip(group.columns, group.positions) {
                    values[position] = read[column.feature] ?? .null
                }
            }
            return found ? values : nil
        }
    }
}
