/// Merges a window's buckets afresh for one read, cheaply and stably.
///
/// Variance uses shifted sums: with K the mean of the first bucket merged, Σ(x − K)² = Σ over buckets of
/// (M2ᵢ + nᵢ·(meanᵢ − K)²), and the window's M2 = Σ(x − K)² − n·(mean − K)². K is a mean of the data, so the
/// subtraction does not cancel catastrophically (the "shifted data" algorithm), and unlike Chan's pairwise
/// formula it needs no division on the accumulator's dependency chain. Nothing is kept between reads, so
/// nothing drifts. Buckets must be merged in time order, either all newer-to-older or all older-to-newer.
package struct WindowAccumulator {
    private var count: Int64 = 0
    private var sum: Double = 0
    private var sumOfSquares: Double = 0
    private var shiftedSquares: Double = 0
    private var shift: Double = 0
    private var minimum: Double = 0
    private var maximum: Double = 0
    private var firstValue: Double = 0
    private var firstTime: Int64 = 0
    private var lastValue: Double = 0
    private var lastTime: Int64 = 0

    /// An empty window.
    package init() {}

    /// Merges a bucket older than every bucket merged so far (backward pass).
    @inline(__always)
    package mutating func mergeOlder(_ bucket: AggregationStatistics) {
        if count == 0 {
            start(bucket)
            return
        }
        accumulate(bucket)
        firstValue = bucket.firstValue
        firstTime = bucket.firstTime
    }

    /// Merges a bucket newer than every bucket merged so far (forward pass).
    @inline(__always)
    package mutating func mergeNewer(_ bucket: AggregationStatistics) {
        if count == 0 {
            start(bucket)
            return
        }
        accumulate(bucket)
        lastValue = bucket.lastValue
        lastTime = bucket.lastTime
    }

    /// The window's statistics.
    @inline(__always)
    package var statistics: AggregationStatistics {
        var result = AggregationStatistics()
        guard count > 0 else { return result }
        let meanOffset = sum / Double(count) - shift
        result.count = count
        result.sum = sum
        result.sumOfSquares = sumOfSquares
        result.squaredDeviations = Swift.max(0, shiftedSquares - Double(count) * meanOffset * meanOffset)
        result.minimum = minimum
        result.maximum = maximum
        result.firstValue = firstValue
        result.firstTime = firstTime
        result.lastValue = lastValue
        result.lastTime = lastTime
        return result
    }

    @inline(__always)
    private mutating func start(_ bucket: AggregationStatistics) {
        count = bucket.count
        sum = bucket.sum
        sumOfSquares = bucket.sumOfSquares
        shift = bucket.sum / Double(bucket.count)
        shiftedSquares = bucket.squaredDeviations
        minimum = bucket.minimum
        maximum = bucket.maximum
        firstValue = bucket.firstValue
        firstTime = bucket.firstTime
        lastValue = bucket.lastValue
        lastTime = bucket.lastTime
    }

    @inline(__always)
    private mutating func accumulate(_ bucket: AggregationStatistics) {
        let bucketCount = Double(bucket.count)
        let offset = bucket.sum / bucketCount - shift
        count += bucket.count
        sum += bucket.sum
        sumOfSquares += bucket.sumOfSquares
        shiftedSquares += bucket.squaredDeviations + bucketCount * offset * offset
        minimum = Swift.min(minimum, bucket.minimum)
        maximum = Swift.max(maximum, bucket.maximum)
    }
}
