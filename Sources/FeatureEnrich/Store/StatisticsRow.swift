/// One `feature_stats` row as SQLite holds it: NULL moments are nil.
package struct StatisticsRow: Equatable, Sendable {
    /// Values present.
    package var count: Int64
    /// Events without a value.
    package var nullCount: Int64
    /// Mean of the numeric values.
    package var mean: Double?
    /// Sum of squared deviations from the mean.
    package var m2: Double?
    /// Smallest value.
    package var min: Double?
    /// Largest value.
    package var max: Double?

    /// A row.
    package init(count: Int64, nullCount: Int64, mean: Double?, m2: Double?, min: Double?, max: Double?) {
        self.count = count
        self.nullCount = nullCount
        self.mean = mean
        self.m2 = m2
        self.min = min
        self.max = max
    }

    /// `row` after the upsert of ``StoreStatements/mergeStatistics(_:featureSet:feature:_:)`` with `statistics`,
    /// evaluated as SQLite evaluates it: every right-hand side from the old values, integers widened to REAL where
    /// they meet one, left to right, a NaN bound or computed stored as NULL.
    package static func merging(_ row: StatisticsRow?, _ statistics: FeatureStatistics) -> StatisticsRow {
        let moments = statistics.hasMoments
        let incoming = StatisticsRow(
            count: statistics.count, nullCount: statistics.nullCount, mean: moments ? real(statistics.mean) : nil,
            m2: moments ? real(statistics.m2) : nil, min: moments ? real(statistics.min) : nil,
            max: moments ? real(statistics.max) : nil)
        guard let row else { return incoming }
        let total = row.count + incoming.count
        var merged = StatisticsRow(
            count: total, nullCount: row.nullCount + incoming.nullCount, mean: row.mean, m2: row.m2, min: row.min,
            max: row.max)
        if let newMean = incoming.mean, let mean = row.mean {
            merged.mean = total == 0 ? nil : real(mean + (newMean - mean) * Double(incoming.count) / Double(total))
        } else if row.mean == nil {
            merged.mean = incoming.mean
        }
        if let newM2 = incoming.m2, let m2 = row.m2 {
            // The m2 expression reads both means; SQLite's NULL arithmetic makes it NULL if either is.
            if let newMean = incoming.mean, let mean = row.mean, total != 0 {
                let delta = newMean - mean
                merged.m2 = real(
                    m2 + newM2 + delta * delta * Double(row.count) * Double(incoming.count) / Double(total))
            } else {
                merged.m2 = nil
            }
        } else if row.m2 == nil {
            merged.m2 = incoming.m2
        }
        if let newMin = incoming.min, let min = row.min {
            merged.min = Swift.min(min, newMin)
        } else if row.min == nil {
            merged.min = incoming.min
        }
        if let newMax = incoming.max, let max = row.max {
            merged.max = Swift.max(max, newMax)
        } else if row.max == nil {
            merged.max = incoming.max
        }
        return merged
    }

    /// SQLite stores a NaN (bound or computed) as NULL.
    private static func real(_ value: Double) -> Double? { value.isNaN ? nil : value }
}
