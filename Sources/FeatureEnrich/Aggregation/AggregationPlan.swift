/// An ``AggregationDefinition`` compiled to bucket arithmetic: every window is a contiguous range of buckets.
///
/// Sliding: bucket = ⌊t / period⌋ and window W of bucket b is [b − W/P + 1, b]. Fixed: bucket = ⌊t / g⌋ with g
/// the gcd of the windows, and window W of bucket b is the calendar window ⌊t / W⌋, i.e. the buckets
/// [⌊b / (W/g)⌋·W/g, that + W/g − 1]. The retention horizon follows `shared/oracle/README.md`.
package struct AggregationPlan: Sendable {
    /// Bucket length in milliseconds.
    package let bucketMilliseconds: Int64
    /// Sliding (period given) or fixed calendar windows.
    package let isSliding: Bool
    /// Window lengths in buckets, in definition order.
    package let windowBuckets: [Int64]
    /// Window indices sorted by increasing length (for the one-pass sliding read).
    package let windowsByLength: [Int]
    /// Largest window in buckets (how many buckets are retained).
    package let retentionBuckets: Int64

    /// Compiles `definition`.
    package init(_ definition: AggregationDefinition) {
        let windows = definition.windows.map(\.milliseconds)
        let bucket = definition.period?.milliseconds ?? windows.reduce(0, Self.gcd)
        bucketMilliseconds = Swift.max(1, bucket)
        isSliding = definition.period != nil
        let lengths = windows.map { $0 / Swift.max(1, bucket) }
        windowBuckets = lengths
        windowsByLength = lengths.indices.sorted { lengths[$0] < lengths[$1] }
        retentionBuckets = Swift.max(1, lengths.max() ?? 1)
    }

    /// Bucket of epoch-ms time `time` (floor, also before 1970).
    @inline(__always)
    package func bucket(of time: Int64) -> Int64 { Self.floorDivide(time, bucketMilliseconds) }

    /// Oldest bucket retained once the key's newest bucket is `newest`; older events are too late.
    @inline(__always)
    package func horizon(newest: Int64) -> Int64 {
        isSliding ? newest - retentionBuckets + 1 : Self.floorDivide(newest, retentionBuckets) * retentionBuckets
    }

    /// Inclusive bucket range of window `window` (definition index) for a row in bucket `bucket`.
    @inline(__always)
    package func range(ofWindow window: Int, at bucket: Int64) -> ClosedRange<Int64> {
        let length = windowBuckets[window]
        if isSliding { return (bucket - length + 1)...bucket }
        let start = Self.floorDivide(bucket, length) * length
        return start...(start + length - 1)
    }

    @inline(__always)
    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    private static func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }
}
