import ServingGraph

/// A feature set as the online store uses it: the definition compiled once into its aggregator, its event
/// decoder, and where the numeric values tracked in `feature_stats` come from. Immutable, and a class so the
/// request path's `registered[position]` is one retain instead of a copy retaining each field.
final class RegisteredFeatureSet: Sendable {
    /// Where a statistics column's value is in a ``FeatureEvent``.
    enum StatisticsSource: Sendable {
        case aggregation(Int)
        case feature(Int)
    }

    let definition: FeatureSetDefinition
    let aggregator: FeatureSetAggregator
    let decoder: FeatureEventDecoder
    /// Plain features, then aggregation input columns that are not features (each once).
    let statisticsColumns: [(name: String, source: StatisticsSource)]
    /// The compiled validators; nil when the set declares none (the write paths then skip validation).
    let validator: FeatureSetValidator?
    private let columnNames: Set<String>

    init(_ definition: FeatureSetDefinition) {
        self.definition = definition
        let aggregator = FeatureSetAggregator(definition)
        self.aggregator = aggregator
        decoder = FeatureEventDecoder(featureSet: definition)
        var columns: [(name: String, source: StatisticsSource)] = []
        for (index, feature) in definition.features.enumerated() {
            columns.append((feature.name, .feature(index)))
        }
        for (index, aggregation) in definition.aggregations.enumerated()
        where !columns.contains(where: { $0.name == aggregation.column })
            && !definition.features.contains(where: { $0.name == aggregation.column })
        {
            columns.append((aggregation.column, .aggregation(index)))
        }
        statisticsColumns = columns
        validator = FeatureSetValidator(definition)
        columnNames = Set(definition.features.map(\.name) + aggregator.outputColumns)
    }

    /// Decodes a stored state of entity `key`; it must have been made for this definition (same hash and
    /// shape, checked with the aggregator's cached hash rather than re-encoding the definition per key).
    func state(from bytes: [UInt8], key: String) throws(OnlineStoreError) -> EntityState {
        let state: EntityState
        do {
            state = try EntityState(serialized: bytes)
        } catch {
            throw .corruptState(featureSet: definition.name, key: key, reason: error.description)
        }
        guard aggregator.isCompatible(state) else {
            throw .corruptState(featureSet: definition.name, key: key, reason: "made by another definition")
        }
        return state
    }

    /// True when `name` is a plain feature or an aggregation output column.
    func hasColumn(_ name: String) -> Bool { columnNames.contains(name) }

    /// The numeric values of `event` per statistics column, each as a one-value accumulator.
    func statistics(of event: FeatureEvent) -> [(String, FeatureStatistics)] {
        var result: [(String, FeatureStatistics)] = []
        for column in statisticsColumns {
            guard let value = value(of: column.source, in: event.aggregationValues, event.featureValues) else {
                continue
            }
            var statistics = FeatureStatistics()
            statistics.add(value)
            result.append((column.name, statistics))
        }
        return result
    }

    /// Folds the value of `source` in one event into `statistics`: a number into the moments, a string or bool
    /// into the count, no value into the null count.
    @inline(__always)
    static func observe(
        _ source: StatisticsSource, in aggregationValues: [Double?], _ featureValues: [Value?],
        into statistics: inout FeatureStatistics
    ) {
        switch source {
        case .aggregation(let index):
            if index < aggregationValues.count, let value = aggregationValues[index], value.isFinite {
                statistics.add(value)
            } else {
                statistics.nullCount += 1
            }
        case .feature(let index):
            guard index < featureValues.count, let value = featureValues[index] else {
                statistics.nullCount += 1
                return
            }
            if let number = value.doubleValue, number.isFinite {
                statistics.add(number)
            } else {
                statistics.addNonNumeric()
            }
        }
    }

    /// The finite numeric value of `source`, if any.
    func value(of source: StatisticsSource, in aggregationValues: [Double?], _ featureValues: [Value?]) -> Double? {
        Self.value(of: source, in: aggregationValues, featureValues)
    }

    /// The finite numeric value of `source`, if any.
    static func value(of source: StatisticsSource, in aggregationValues: [Double?], _ featureValues: [Value?])
        -> Double?
    {
        let value: Double?
        switch source {
        case .aggregation(let index): value = index < aggregationValues.count ? aggregationValues[index] : nil
        case .feature(let index): value = index < featureValues.count ? featureValues[index]?.doubleValue : nil
        }
        guard let value, value.isFinite else { return nil }
        return value
    }

    /// The row a read returns: plain features observed by `time` (and within the TTL), then every aggregation
    /// column aged to `time` (`null` when too late or not a finite number); only `features`, in that order, when
    /// given (a feature with no value is `null`).
    func row(_ state: EntityState, at time: Int64, features: [String]?) -> ValueObject {
        var all = ValueObject(minimumCapacity: definition.features.count + aggregator.outputColumns.count)
        let plain = aggregator.features(state, at: time)
        for (feature, latest) in zip(definition.features, state.latestFeatures) {
            guard let latest, latest.timestampMilliseconds <= time, let value = plain[feature.name] else { continue }
            all[feature.name] = value
        }
        var output: [Double?] = []
        aggregator.read(state, at: time, output: &output)
        for (column, value) in zip(aggregator.outputColumns, output) {
            if let value, value.isFinite {
                all[column] = .double(value)
            } else {
                all[column] = .null
            }
        }
        guard let features else { return all }
        var selected = ValueObject(minimumCapacity: features.count)
        for name in features { selected[name] = all[name] ?? .null }
        return selected
    }
}
