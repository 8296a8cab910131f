/// A log-linear latency histogram in nanoseconds, after HdrHistogram's bucket layout.
///
/// Values below 128 ns get a bucket each; above, every power-of-two range is split into 64 equal
/// sub-buckets, so a bucket is never wider than 1/64 of its lower bound: percentiles are within
/// 1.6 % of the recorded value (better than the two significant digits the protocol asks for).
/// Values up to 2^40 ns (about 18 minutes) fit; larger ones are clamped into the top bucket.
struct LatencyHistogram {
    /// Sub-buckets per power of two; the relative bucket width is `1 / halfSubBucketCount`.
    static let halfSubBucketCount: UInt64 = 64
    /// Largest value with its own bucket range; larger values are clamped to it.
    static let highestTrackableValue: UInt64 = 1 << 40

    private var counts: [UInt64]
    /// Number of recorded values.
    private(set) var totalCount: UInt64 = 0
    /// Smallest recorded value, exact; `UInt64.max` while empty.
    private(set) var minimum: UInt64 = .max
    /// Largest recorded value, exact; 0 while empty.
    private(set) var maximum: UInt64 = 0
    private var sum: Double = 0

    /// An empty histogram.
    init() {
        counts = [UInt64](repeating: 0, count: Self.bucketIndex(of: Self.highestTrackableValue) + 1)
    }

    /// Mean of the recorded values, 0 while empty.
    var mean: Double { totalCount == 0 ? 0 : sum / Double(totalCount) }

    /// Adds one value.
    mutating func record(_ value: UInt64) {
        counts[Self.bucketIndex(of: min(value, Self.highestTrackableValue))] += 1
        totalCount += 1
        sum += Double(value)
        minimum = Swift.min(minimum, value)
        maximum = Swift.max(maximum, value)
    }

    /// Adds every value of `other`.
    mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] += other.counts[index] }
        totalCount += other.totalCount
        sum += other.sum
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
    }

    /// The value at `percentile` (0...100): the highest value of the bucket holding the
    /// `ceil(percentile% × count)`-th smallest value, capped at the exact maximum; 0 while empty.
    func value(atPercentile percentile: Double) -> UInt64 {
        guard totalCount > 0 else { return 0 }
        // Round away binary noise first (99.9 % of 1000 must be rank 999, not 1000), then take the ceiling.
        let exactRank = (percentile * Double(totalCount) / 100 * 1e6).rounded() / 1e6
        let rank = Swift.max(1, UInt64(exactRank.rounded(.up)))
        var seen: UInt64 = 0
        for (index, count) in counts.enumerated() where count > 0 {
            seen += count
            if seen >= rank { return Swift.min(Self.highestValue(inBucket: index), maximum) }
        }
        return maximum
    }

    // MARK: - Bucket layout

    /// Bucket of `value`: exact below `2 × halfSubBucketCount`, then 64 buckets per power of two.
    static func bucketIndex(of value: UInt64) -> Int {
        let linearLimit = 2 * halfSubBucketCount
        guard value >= linearLimit else { return Int(value) }
        let mostSignificantBit = UInt64(63 - value.leadingZeroBitCount)
        let shift = mostSignificantBit - UInt64(halfSubBucketCount.trailingZeroBitCount)
        let subBucket = (value >> shift) - halfSubBucketCount
        return Int(linearLimit + (shift - 1) * halfSubBucketCount + subBucket)
    }

    /// Largest value that lands in bucket `index`.
    static func highestValue(inBucket index: Int) -> UInt64 {
        let linearLimit = 2 * halfSubBucketCount
        let position = UInt64(index)
        guard position >= linearLimit else { return position }
        let shift = (position - linearLimit) / halfSubBucketCount + 1
        let subBucket = (position - linearLimit) % halfSubBucketCount + halfSubBucketCount
        return ((subBucket + 1) << shift) - 1
    }
}
