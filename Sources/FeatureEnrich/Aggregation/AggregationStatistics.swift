/// Mergeable summary of a set of events: everything the ten operations need, numerically stable.
///
/// Variance uses Welford's update per event and Chan et al.'s formula to merge summaries; windows are combined
/// afresh from buckets (``WindowAccumulator``) or from cached merges of whole buckets (``AggregationState``),
/// never kept as add/subtract running totals that drift.
/// `first`/`last` keep their timestamps; equal timestamps keep the earlier arrival.
package struct AggregationStatistics: Sendable, Equatable {
    /// Number of events.
    package var count: Int64 = 0
    /// Σx.
    package var sum: Double = 0
    /// Σx².
    package var sumOfSquares: Double = 0
    /// Σ(x − mean)².
    package var squaredDeviations: Double = 0
    /// Smallest value (meaningless when empty).
    package var minimum: Double = 0
    /// Largest value (meaningless when empty).
    package var maximum: Double = 0
    /// Value of the earliest-timestamped event (first arrival on ties).
    package var firstValue: Double = 0
    /// Timestamp of `firstValue`, epoch ms.
    package var firstTime: Int64 = 0
    /// Value of the latest-timestamped event (first arrival on ties).
    package var lastValue: Double = 0
    /// Timestamp of `lastValue`, epoch ms.
    package var lastTime: Int64 = 0

    /// An empty summary.
    package init() {}

    /// Adds one event that arrived after every event already summarised.
    @inline(__always)
    package mutating func add(_ value: Double, at time: Int64) {
        guard count > 0 else {
            self = AggregationStatistics(
                count: 1, sum: value, sumOfSquares: value * value, squaredDeviations: 0, minimum: value,
                maximum: value, firstValue: value, firstTime: time, lastValue: value, lastTime: time)
            return
        }
        let oldMean = sum / Double(count)
        count += 1
        sum += value
        sumOfSquares += value * value
        squaredDeviations += (value - oldMean) * (value - sum / Double(count))
        if value < minimum { minimum = value }
        if value > maximum { maximum = value }
        if time < firstTime {
            firstValue = value
            firstTime = time
        }
        if time > lastTime {
            lastValue = value
            lastTime = time
        }
    }

    /// Merges the summary of events in *later buckets* than these (disjoint in time, so no timestamp ties),
    /// with Chan et al.'s parallel formula for Σ(x − mean)².
    @inline(__always)
    package mutating func mergeNewer(_ other: AggregationStatistics) {
        guard other.count > 0 else { return }
        guard count > 0 else {
            self = other
            return
        }
        let leftCount = Double(count)
        let rightCount = Double(other.count)
        let delta = other.sum / rightCount - sum / leftCount
        squaredDeviations +=
            other.squaredDeviations + delta * delta * (leftCount * rightCount / (leftCount + rightCount))
        count += other.count
        sum += other.sum
        sumOfSquares += other.sumOfSquares
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
        lastValue = other.lastValue
        lastTime = other.lastTime
    }

    /// The value of `operation` over the summarised events (the README's table, NaN where undefined).
    @inline(__always)
    package func value(of operation: AggregationOperation) -> Double {
        switch operation {
        case .count: return Double(count)
        case .sum: return sum
        case .sqr: return sumOfSquares
        default: break
        }
        guard count > 0 else { return .nan }
        switch operation {
        case .min: return minimum
        case .max: return maximum
        case .first: return firstValue
        case .last: return lastValue
        case .avg: return sum / Double(count)
        case .stdvar: return count > 1 ? Swift.max(0, squaredDeviations / Double(count - 1)) : .nan
        case .stddev: return count > 1 ? Swift.max(0, squaredDeviations / Double(count - 1)).squareRoot() : .nan
        case .count, .sum, .sqr: return .nan  // handled above
        }
    }

    private init(
        count: Int64, sum: Double, sumOfSquares: Double, squaredDeviations: Double, minimum: Double,
        maximum: Double, firstValue: Double, firstTime: Int64, lastValue: Double, lastTime: Int64
    ) {
        self.count = count
        self.sum = sum
        self.sumOfSquares = sumOfSquares
        self.squaredDeviations = squaredDeviations
        self.minimum = minimum
        self.maximum = maximum
        self.firstValue = firstValue
        self.firstTime = firstTime
        self.lastValue = lastValue
        self.lastTime = lastTime
    }
}
