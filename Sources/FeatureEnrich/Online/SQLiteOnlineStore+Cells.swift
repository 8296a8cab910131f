import ServingGraph

extension SQLiteOnlineStore {
    /// The cells of `columns` (of one feature set) for one entity as of `time` (epoch ms; nil = now): nil when the
    /// entity was never ingested. A plain feature older than the set's `ttl` is ``FeatureCell/Status/outsideMaxAge``
    /// with its value; a never-observed feature or an empty window is ``FeatureCell/Status/nullValue``.
    public func cells(
        featureSet: String, key: EntityKey, columns: [ResolvedFeatureVector.Column], at time: Int64? = nil
    ) throws -> [FeatureCell]? {
        let position = try self.position(of: featureSet)
        guard let state = try entityState(position: position, key: key) else { return nil }
        return cells(of: state, position: position, columns: columns, at: time)
    }

    /// The cell plan of `columns` (all of feature set `featureSet`); nil when the store does not serve the set.
    package func cellPlan(featureSet: String, columns: [ResolvedFeatureVector.Column]) -> FeatureCellPlan? {
        guard let position = try? position(of: featureSet) else { return nil }
        return cellPlan(position: position, columns: columns)
    }

    /// Appends to `cells` the cells of `plan`'s columns for one entity as of `time` (epoch ms; nil = now), as
    /// ``cells(featureSet:key:columns:at:)`` reads them; false, appending nothing, when the entity was never
    /// ingested. For a caller that reads many entities into one buffer: no name lookup, no array per entity.
    package func appendCells(
        _ plan: FeatureCellPlan, key: EntityKey, at time: Int64?, to cells: inout [FeatureCell]
    ) throws -> Bool {
        guard let state = try entityState(position: plan.setIndex, key: key) else { return false }
        appendCells(plan, of: state, at: time, to: &cells)
        return true
    }

    /// The cells of `columns` read from `state` (an entity state of the set at `position`) at `time` (nil = now).
    func cells(
        of state: EntityState, position: Int, columns: [ResolvedFeatureVector.Column], at time: Int64?
    ) -> [FeatureCell] {
        var cells: [FeatureCell] = []
        cells.reserveCapacity(columns.count)
        appendCells(cellPlan(position: position, columns: columns), of: state, at: time, to: &cells)
        return cells
    }

    private func cellPlan(position: Int, columns: [ResolvedFeatureVector.Column]) -> FeatureCellPlan {
        let set = registered[position]
        let sources = columns.map { column -> FeatureCellPlan.Source in
            switch column.source {
            case .feature(let index): .feature(index)
            case .aggregation(let name): .aggregate(set.aggregator.outputColumns.firstIndex(of: name))
            }
        }
        return FeatureCellPlan(setIndex: position, ttl: set.definition.ttl?.milliseconds, sources: sources)
    }

    /// Appends the cells of `plan`'s columns read from `state` (an entity state of its set) at `time` (nil = now).
    /// A plain feature older than the `ttl` is outside max age with its value; an aggregate's event time is the
    /// latest plain feature's.
    func appendCells(
        _ plan: FeatureCellPlan, of state: EntityState, at time: Int64?, to cells: inout [FeatureCell]
    ) {
        let now = time ?? StoreWriterLoop.nowMilliseconds()
        var aggregates: [Double?] = []
        var latestTime: Int64?
        if plan.readsAggregates {
            registered[plan.setIndex].aggregator.read(state, at: now, output: &aggregates)
            latestTime = Self.latestTime(of: state, at: now)
        }
        for source in plan.sources {
            cells.append(
                Self.cell(source, of: state, aggregates: aggregates, now: now, ttl: plan.ttl, latestTime: latestTime))
        }
    }

    /// Writes the value of each of `plan`'s columns that ``appendCells(_:of:at:to:)`` reads as present into
    /// `values[offset + positions[i]]` (column `i`), leaving the others as they are: the enrichment path, which
    /// needs no status, event time or cell buffer.
    func storePresentValues(
        _ plan: FeatureCellPlan, of state: EntityState, at time: Int64?, positions: [Int], offset: Int,
        into values: inout [Value]
    ) {
        let now = time ?? StoreWriterLoop.nowMilliseconds()
        var aggregates: [Double?] = []
        if plan.readsAggregates { registered[plan.setIndex].aggregator.read(state, at: now, output: &aggregates) }
        for (source, position) in zip(plan.sources, positions) {
            let cell = Self.cell(source, of: state, aggregates: aggregates, now: now, ttl: plan.ttl, latestTime: nil)
            if cell.status == .present { values[offset + position] = cell.value }
        }
    }

    /// The cell of one column from `state` at `now`, given the aggregates read at `now` and the latest plain
    /// feature's time (the event time of aggregate cells).
    @inline(__always)
    private static func cell(
        _ source: FeatureCellPlan.Source, of state: EntityState, aggregates: [Double?], now: Int64, ttl: Int64?,
        latestTime: Int64?
    ) -> FeatureCell {
        switch source {
        case .feature(let index):
            guard index < state.latestFeatures.count, let latest = state.latestFeatures[index],
                latest.timestampMilliseconds <= now
            else { return FeatureCell(value: .null, status: .nullValue) }
            let expired = ttl.map { now - latest.timestampMilliseconds > $0 } ?? false
            return FeatureCell(
                value: latest.value, status: expired ? .outsideMaxAge : .present,
                eventTime: latest.timestampMilliseconds)
        case .aggregate(let index):
            if let index, index < aggregates.count, let value = aggregates[index], value.isFinite {
                return FeatureCell(value: .double(value), status: .present, eventTime: latestTime)
            }
            return FeatureCell(value: .null, status: .nullValue, eventTime: latestTime)
        }
    }

    /// The latest event time of `state`'s plain features at or before `now`; nil when none.
    private static func latestTime(of state: EntityState, at now: Int64) -> Int64? {
        var latestTime: Int64?
        for latest in state.latestFeatures {
            if let latest, latest.timestampMilliseconds <= now {
                latestTime = max(latestTime ?? latest.timestampMilliseconds, latest.timestampMilliseconds)
            }
        }
        return latestTime
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
