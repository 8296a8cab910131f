import ServingGraph

/// Per-feature statistics computed from the offline event log over an event-time range: count of events,
/// nulls (events without a value), and over the numeric values min, max, mean and sample standard deviation.
///
/// Columns: the set's plain features, then aggregation input columns that are not features. Events are
/// decoded with the store's registered definition, so the numbers match what the online path ingested.
public struct OfflineStatistics: Sendable {
    /// The statistics of one column.
    public struct Column: Sendable, Equatable {
        /// Column name.
        public let name: String
        /// Events in the range.
        public let events: Int64
        /// Events with no value for the column.
        public let nulls: Int64
        /// Numeric values seen (non-numeric values count as present but not here).
        public let count: Int64
        /// Smallest numeric value, if any.
        public let min: Double?
        /// Largest numeric value, if any.
        public let max: Double?
        /// Mean of the numeric values, if any.
        public let mean: Double?
        /// Sample standard deviation (`nil` below two values).
        public let stddev: Double?
    }

    /// The columns, in definition order.
    public let columns: [Column]

    /// Scans the events of `featureSet` in the store at `path` with `from <= event_ts < to` (either bound
    /// optional, epoch milliseconds).
    public init(path: String, featureSet: String, from: Int64? = nil, to: Int64? = nil) throws {
        let reader = try OfflineStoreReader(path: path)
        guard let definition = try reader.featureSets().first(where: { $0.name == featureSet }) else {
            throw OnlineStoreError.unknownFeatureSet(name: featureSet)
        }
        let set = RegisteredFeatureSet(definition)
        var names = definition.features.map(\.name)
        var sources: [RegisteredFeatureSet.StatisticsSource] = definition.features.indices.map { .feature($0) }
        for (index, aggregation) in definition.aggregations.enumerated() where !names.contains(aggregation.column) {
            names.append(aggregation.column)
            sources.append(.aggregation(index))
        }
        var statistics = Array(repeating: FeatureStatistics(), count: names.count)
        var nulls = Array(repeating: Int64(0), count: names.count)
        var events: Int64 = 0
        try reader.forEachEvent(
            featureSet: featureSet, from: from ?? Int64.min, to: to ?? Int64.max, decoder: set.decoder
        ) { event in
            events += 1
            for (index, source) in sources.enumerated() {
                let present: Bool
                switch source {
                case .feature(let position): present = event.featureValues[position] != nil
                case .aggregation(let position): present = event.aggregationValues[position] != nil
                }
                if !present { nulls[index] += 1 }
                if let value = set.value(of: source, in: event.aggregationValues, event.featureValues) {
                    statistics[index].add(value)
                }
            }
        }
        columns = names.indices.map { index in
            let stats = statistics[index]
            let any = stats.count > 0
            return Column(
                name: names[index], events: events, nulls: nulls[index], count: stats.count,
                min: any ? stats.min : nil, max: any ? stats.max : nil, mean: any ? stats.mean : nil,
                stddev: stats.variance.map { $0.squareRoot() })
        }
    }
}
