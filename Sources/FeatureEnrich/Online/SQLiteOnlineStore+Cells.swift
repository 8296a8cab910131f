public import ServingGraph

extension SQLiteOnlineStore {
    /// The cells of `columns` (of one feature set) for one entity as of `time` (epoch ms; nil = now): nil when the
    /// entity was never ingested. A plain feature older than the set's `ttl` is ``FeatureCell/Status/outsideMaxAge``
    /// with its value; a never-observed feature or an empty window is ``FeatureCell/Status/nullValue``.
    public func cells(
        featureSet: String, key: EntityKey, columns: [ResolvedFeatureVector.Column], at time: Int64? = nil
    ) throws -> [FeatureCell]? {
        let position = try self.position(of: featureSet)
        guard let state = try entityState(position: position, key: key) else { return nil }
        return cells(of: state, featureSet: registered[position], columns: columns, at: time)
    }

    /// The cells of `columns` read from `state` (an entity state of `set`) at `time` (nil = now).
    func cells(
        of state: EntityState, featureSet set: RegisteredFeatureSet, columns: [ResolvedFeatureVector.Column],
        at time: Int64?
    ) -> [FeatureCell] {
        let now = time ?? StoreWriterLoop.nowMilliseconds()
        let ttl = set.definition.ttl?.milliseconds
        var aggregates: [Double?] = []
        var latestTime: Int64?
        for latest in state.latestFeatures {
            if let latest, latest.timestampMilliseconds <= now {
                latestTime = max(latestTime ?? latest.timestampMilliseconds, latest.timestampMilliseconds)
            }
        }
        var cells: [FeatureCell] = []
        cells.reserveCapacity(columns.count)
        for column in columns {
            switch column.source {
            case .feature(let index):
                guard index < state.latestFeatures.count, let latest = state.latestFeatures[index],
                    latest.timestampMilliseconds <= now
                else {
                    cells.append(FeatureCell(value: .null, status: .nullValue))
                    continue
                }
                let expired = ttl.map { now - latest.timestampMilliseconds > $0 } ?? false
                cells.append(
                    FeatureCell(
                        value: latest.value, status: expired ? .outsideMaxAge : .present,
                        eventTime: latest.timestampMilliseconds))
            case .aggregation(let name):
                if aggregates.isEmpty { set.aggregator.read(state, at: now, output: &aggregates) }
                let index = set.aggregator.outputColumns.firstIndex(of: name)
                if let index, index < aggregates.count, let value = aggregates[index], value.isFinite {
                    cells.append(FeatureCell(value: .double(value), status: .present, eventTime: latestTime))
                } else {
                    cells.append(FeatureCell(value: .null, status: .nullValue, eventTime: latestTime))
                }
            }
        }
        return cells
    }

    /// The running statistics (`count`, `mean`, `min`, `max`, `std`) of `feature` in `featureSet`, kept by the
    /// store in the same commit as the values; nil when no value was ever written.
    public func statistics(featureSet: String, feature: String) throws -> [String: Double]? {
        let rows = try readers.withConnection { connection in
            try connection.query(
                "SELECT count, mean, m2, min, max FROM feature_stats WHERE feature_set = ? AND feature = ?",
                [.text(featureSet), .text(feature)])
        }
        guard let row = rows.first, row.count == 5, let count = row[0].realValue, count > 0 else { return nil }
        var result: [String: Double] = ["count": count]
        result["mean"] = row[1].realValue
        result["min"] = row[3].realValue
        result["max"] = row[4].realValue
        if let m2 = row[2].realValue, count > 1 { result["std"] = (max(0, m2 / (count - 1))).squareRoot() }
        return result
    }
}
