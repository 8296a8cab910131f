/// Running statistics of one numeric feature (Welford's algorithm): count, mean, M2, min and max.
///
/// Two accumulators merge exactly (Chan et al.'s parallel formula), which is how a batch or a single event is
/// folded into the `feature_stats` row in the same transaction as its events (``StoreStatements``).
package struct FeatureStatistics: Sendable, Equatable {
    /// Number of values.
    package var count: Int64 = 0
    /// Their mean.
    package var mean: Double = 0
    /// Sum of squared deviations from the mean (variance is `m2 / (count - 1)`).
    package var m2: Double = 0
    /// Smallest value.
    package var min: Double = .infinity
    /// Largest value.
    package var max: Double = -.infinity

    /// Empty statistics.
    package init() {}

    /// Adds one value.
    package mutating func add(_ value: Double) {
        count += 1
        let delta = value - mean
        mean += delta / Double(count)
        m2 += delta * (value - mean)
        min = Swift.min(min, value)
        max = Swift.max(max, value)
    }

    /// Sample variance (`nil` below two values).
    package var variance: Double? { count > 1 ? Swift.max(0, m2 / Double(count - 1)) : nil }
}
