/// Running statistics of one feature: values present, nulls, and over numeric values (Welford's algorithm) mean,
/// M2, min and max. A column is either numeric (every present value is a number) or not (string and bool
/// features: only the counts are kept).
///
/// Two accumulators merge exactly (Chan et al.'s parallel formula), which is how a batch or a single event is
/// folded into the `feature_stats` row in the same transaction as its events (``StoreStatements``).
package struct FeatureStatistics: Sendable, Equatable {
    /// Number of values present.
    package var count: Int64 = 0
    /// Number of events without a value.
    package var nullCount: Int64 = 0
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

    /// Adds one present value that is not a number (a string or bool feature): counted, no moments.
    package mutating func addNonNumeric() {
        count += 1
    }

    /// True when some numeric value was added (mean, M2, min and max are meaningful).
    package var hasMoments: Bool { min <= max }

    /// Sample variance (`nil` below two values).
    package var variance: Double? { count > 1 ? Swift.max(0, m2 / Double(count - 1)) : nil }
}
