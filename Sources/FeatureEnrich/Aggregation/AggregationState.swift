/// Per entity key and aggregation: the sparse, sorted buckets of the retained events.
///
/// Memory grows with the non-empty buckets only, at most the largest window / bucket length (plus a small
/// stale prefix that is dropped lazily). The newest bucket is the last one, so it doubles as the retention
/// *newest* of `shared/oracle/README.md`. Adding an in-order event is O(1) amortised; a late one costs a
/// binary search and an insert. Reads merge the covered buckets afresh (never add/subtract running totals).
/// Buckets live in one array of (index, statistics) so a read touches one allocation.
package struct AggregationState: Sendable, Equatable {
    /// One non-empty bucket.
    package struct Bucket: Sendable, Equatable {
        /// Bucket number: ⌊time / bucket length⌋.
        package var index: Int64
        /// Summary of the bucket's events.
        package var statistics: AggregationStatistics
    }

    /// The buckets, strictly increasing by index.
    package private(set) var buckets: [Bucket] = []

    /// An empty state (no event aggregated yet).
    package init() {}

    /// A state from already validated buckets (deserialisation).
    package init(buckets: [Bucket]) {
        self.buckets = buckets
    }

    /// The largest bucket of the aggregated events; `nil` before the first one.
    package var newestBucket: Int64? { buckets.last?.index }

    /// Oldest bucket still retained; events in older buckets are too late.
    @inline(__always)
    package func horizon(_ plan: AggregationPlan) -> Int64 {
        guard let newest = buckets.last?.index else { return .min }
        return plan.horizon(newest: newest)
    }

    /// True when an event at `time` is too late: older than the retention horizon of the newest bucket.
    @inline(__always)
    package func isTooLate(_ time: Int64, _ plan: AggregationPlan) -> Bool {
        plan.bucket(of: time) < horizon(plan)
    }

    /// Aggregates `value` at `time`; returns false (and changes nothing) when the event is too late.
    @discardableResult
    package mutating func add(_ value: Double, at time: Int64, _ plan: AggregationPlan) -> Bool {
        let bucket = plan.bucket(of: time)
        var fresh = Bucket(index: bucket, statistics: AggregationStatistics())
        fresh.statistics.add(value, at: time)
        guard let last = buckets.last?.index else {
            buckets.append(fresh)
            return true
        }
        if bucket == last {
            buckets[buckets.count - 1].statistics.add(value, at: time)
            return true
        }
        if bucket > last {
            buckets.append(fresh)
            dropStaleBuckets(plan)
            return true
        }
        guard bucket >= plan.horizon(newest: last) else { return false }
        let position = firstPosition(notBelow: bucket)
        if buckets[position].index == bucket {
            buckets[position].statistics.add(value, at: time)
        } else {
            buckets.insert(fresh, at: position)
        }
        return true
    }

    /// Calls `body(window, statistics)` for every window of a row at `time` (as of `time`: buckets after the
    /// row's window are excluded, forgotten buckets are never counted). Returns false when `time` is too late.
    @inline(__always)
    package func forEachWindow(
        at time: Int64, _ plan: AggregationPlan, _ body: (Int, AggregationStatistics) -> Void
    ) -> Bool {
        let bucket = plan.bucket(of: time)
        let horizon = horizon(plan)
        guard bucket >= horizon else { return false }
        return buckets.withUnsafeBufferPointer { buckets in
            if plan.isSliding {
                // All sliding windows end at `bucket`: one backward pass, smallest window first.
                var position =
                    (buckets.last?.index ?? .min) <= bucket
                    ? buckets.count - 1 : firstPosition(notBelow: bucket + 1) - 1
                var accumulator = WindowAccumulator()
                for window in plan.windowsByLength {
                    let low = Swift.max(bucket - plan.windowBuckets[window] + 1, horizon)
                    while position >= 0, buckets[position].index >= low {
                        accumulator.mergeOlder(buckets[position].statistics)
                        position -= 1
                    }
                    body(window, accumulator.statistics)
                }
            } else {
                for window in plan.windowBuckets.indices {
                    let range = plan.range(ofWindow: window, at: bucket)
                    var accumulator = WindowAccumulator()
                    var position = firstPosition(notBelow: Swift.max(range.lowerBound, horizon))
                    while position < buckets.count, buckets[position].index <= range.upperBound {
                        accumulator.mergeNewer(buckets[position].statistics)
                        position += 1
                    }
                    body(window, accumulator.statistics)
                }
            }
            return true
        }
    }

    /// Drops every bucket older than the horizon (normally done lazily).
    package mutating func dropForgottenBuckets(_ plan: AggregationPlan) {
        let stale = firstPosition(notBelow: horizon(plan))
        if stale > 0 { buckets.removeFirst(stale) }
    }

    /// Lazily drops forgotten buckets once they are a quarter of the array (or 16), so the shift is amortised
    /// O(1) per added bucket and at most a third more memory than the live buckets is held.
    @inline(__always)
    private mutating func dropStaleBuckets(_ plan: AggregationPlan) {
        guard let first = buckets.first?.index, let last = buckets.last?.index,
            first < plan.horizon(newest: last)
        else { return }
        let stale = firstPosition(notBelow: plan.horizon(newest: last))
        if stale >= 16 || stale * 4 >= buckets.count { buckets.removeFirst(stale) }
    }

    /// Position of the first bucket whose index is ≥ `bucket` (count when none).
    @inline(__always)
    private func firstPosition(notBelow bucket: Int64) -> Int {
        var low = 0
        var high = buckets.count
        while low < high {
            let middle = (low + high) / 2
            if buckets[middle].index < bucket { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
