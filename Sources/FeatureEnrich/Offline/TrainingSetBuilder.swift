import ServingGraph

/// Builds point-in-time training sets: for each entity row (keys, timestamp T) the feature vector as it was
/// at T, with no leakage from the future (reference/feast.md §5; DESIGN.md, "Offline = online").
///
/// Values come from the offline event log replayed through the same ``FeatureSetAggregator`` and read with
/// the same row code as the online store, so a served vector at T equals the training row for T whenever the
/// events up to T had arrived in time order (see ``PointInTimeReplay``). Rows are grouped by entity key and
/// sorted by T, so each key's events are read and replayed once.
///
/// ```swift
/// let store = try OfflineStoreReader(path: "features.db")
/// let builder = try TrainingSetBuilder(vector: vectorDefinition, store: store)
/// let set = try builder.build(try EntityTable(csvPath: "entities.csv"))
/// ```
public struct TrainingSetBuilder {
    /// Whether a row for time T includes the events stamped exactly T.
    ///
    /// A serving graph decides what its model saw of the request's own event: with `UpdateAggregates` before
    /// `EnrichWithFeatures` the vector includes it, with `EnrichWithFeatures` first it does not. A training row
    /// built for the request's time must be cut the same way to equal the served vector (docs/OFFLINE.md,
    /// "Training/serving skew").
    public enum Cutoff: String, Sendable, CaseIterable {
        /// Events with `event_ts <= T` (Feast's point-in-time rule; the default): the row includes the event at T.
        case inclusive
        /// Events with `event_ts < T`, read at T: the entity just before an event at T was applied.
        case exclusive

        /// The latest event time visible to a row at `time`.
        func lastVisible(at time: Int64) -> Int64 {
            switch self {
            case .inclusive: time
            case .exclusive: max(time, Int64.min + 1) - 1
            }
        }
    }

    /// The vector, resolved against the store's catalog.
    public let vector: ResolvedFeatureVector
    /// Which events at exactly a row's time its features include.
    public let cutoff: Cutoff
    private let store: OfflineStoreReader
    /// Fewest distinct keys of a feature set for which ``build(_:progress:)`` scans the whole event log of the
    /// set in key order rather than querying each key (default 256).
    package var scanMinimumKeys = 256
    /// Threads a scan is split over by key range, each with its own read connection (default 2).
    package var scanThreads = 2

    /// Resolves `vector` against the feature sets registered in `store`: an unknown set or feature is a
    /// ``FeatureVectorError`` naming it.
    public init(vector: FeatureVectorDefinition, store: OfflineStoreReader, cutoff: Cutoff = .inclusive) throws {
        self.vector = try vector.resolve(featureSets: try store.featureSets())
        self.cutoff = cutoff
        self.store = store
    }

    /// Output column names after the entity columns: the vector's columns in declared order, then the label.
    public var featureColumns: [String] {
        vector.columns.map(\.name) + (vector.label.map { [$0.name] } ?? [])
    }

    /// The training rows of `table`, in its row order. `progress` is called with (rows done, total rows)
    /// after each entity key.
    ///
    /// A feature set whose rows name at least ``scanMinimumKeys`` keys is read in one ordered scan of its event
    /// log; fewer keys are read with one indexed query each. Both give the same rows.
    public func build(_ table: EntityTable, progress: ((Int, Int) -> Void)? = nil) throws -> TrainingSet {
        let outputs = vector.columns + (vector.label.map { [$0] } ?? [])
        let width = outputs.count
        // The first set's rows are grouped while the buffer is allocated.
        let allocation = NullValuesAllocation(count: table.rows.count * width)
        let firstGroups: EntityKeyGroups?
        do {
            firstGroups = try vector.featureSets.first.map { try group(table, by: $0) }
        } catch {
            _ = allocation.take()
            throw error
        }
        var values = allocation.take()
        let total = table.rows.count * vector.featureSets.count
        var done = 0
        for (index, definition) in vector.featureSets.enumerated() {
            let set = RegisteredFeatureSet(definition)
            let groups = try index == 0 ? firstGroups ?? group(table, by: definition) : group(table, by: definition)
            let before = done
            try values.withUnsafeMutableBufferPointer { buffer in
                let fill = TrainingSetFill(
                    set: set, projection: TrainingColumnProjection(set: set, outputs: outputs), groups: groups,
                    table: table, cutoff: cutoff, width: width, values: TrainingValueBuffer(buffer: buffer))
                let counter = TrainingRowCounter()
                let report = { (rows: Int) in
                    done = before + counter.add(rows)
                    progress?(done, total)
                }
                guard groups.keys.count >= scanMinimumKeys else {
                    try fill.query(store, progress: report)
                    return
                }
                // Another connection to an in-memory database would see another database: one thread there.
                let ranges = groups.keyRanges(store.path == ":memory:" || store.path.isEmpty ? 1 : scanThreads)
                let path = store.path
                let threads = ranges.dropFirst().map { range in
                    ScanThread {
                        try fill.scan(try OfflineStoreReader(path: path), range: range) { _ = counter.add($0) }
                    }
                }
                let failure: (any Error)?
                do {
                    try fill.scan(store, range: ranges[0], progress: report)
                    failure = nil
                } catch {
                    failure = error
                }
                // Join every thread before the buffer goes away, then report the first failure.
                let failures = threads.compactMap { $0.join() }
                if let error = failure ?? failures.first { throw error }
            }
            // Rows of keys the scans did not report (no event, or another thread's) count as done too.
            let finished = before + groups.rowCount
            if finished != done {
                done = finished
                progress?(done, total)
            }
        }
        return TrainingSet(table: table, featureColumns: featureColumns, values: values)
    }

    /// Row indices of `table` by their entity key in `definition` (int64 columns canonicalised).
    private func group(_ table: EntityTable, by definition: FeatureSetDefinition) throws -> EntityKeyGroups {
        var columnIndices: [(Int, EntityColumn)] = []
        for entity in definition.entities {
            guard let index = table.columns.firstIndex(of: entity.name) else {
                throw TrainingSetError.missingEntityColumn(source: table.source, column: entity.name)
            }
            columnIndices.append((index, entity))
        }
        if columnIndices.count == 1, let (index, entity) = columnIndices.first, entity.type == .string {
            // One string column: the key of the field itself, with no parts array per row.
            return EntityKeyGroups(rowCount: table.rows.count) { EntityKey(part: table.rows[$0].fields[index]) }
        }
        var parts: [String] = []
        return try EntityKeyGroups(rowCount: table.rows.count) { rowIndex in
            let row = table.rows[rowIndex]
            parts.removeAll(keepingCapacity: true)
            for (index, entity) in columnIndices {
                let text = row.fields[index]
                switch entity.type {
                case .string:
                    parts.append(text)
                case .int64:
                    guard let number = Int64(text) else {
                        throw TrainingSetError.badEntityKey(
                            source: table.source, line: row.line, column: entity.name, value: text)
                    }
                    parts.append(String(number))
                }
            }
            return EntityKey(parts: parts)
        }
    }
}
