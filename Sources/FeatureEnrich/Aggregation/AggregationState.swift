/// Per entity key and aggregation: the sparse, sorted buckets of the retained events.
///
/// Memory grows with the non-empty buckets only, at most the largest window / bucket length (plus a small
/// stale prefix that is dropped lazily). The newest bucket is the last one, so it doubles as the retention
/// *newest* of `shared/oracle/README.md`. Adding an in-order event is O(1) amortised; a late one costs a
/// binary search and an insert. Reads merge the covered buckets afresh (never add/subtract running totals).
package struct AggregationState: Sendable, Equatable {
    /// Bucket numbers, strictly increasing.
    package private(set) var bucketIndices: [Int64] = []
    /// Summary of each bucket's events, parallel to `bucketIndices`.
    package private(set) var buckets: [AggregationStatistics] = []

    /// An empty state (no event aggregated yet).
    package init() {}

    /// A state from already validated buckets (deserialisation).
    package init(bucketIndices: [Int64], buckets: [AggregationStatistics]) {
        self.bucketIndices = bucketIndices
        self.buckets = buckets
    }

    /// The largest bucket of the aggregated events; `nil` before the first one.
    package var newestBucket: Int64? { bucketIndices.last }

    /// Oldest bucket still retained; events in older buckets are too late.
    @inline(__always)
    package func horizon(_ plan: AggregationPlan) -> Int64 {
        guard let newest = bucketIndices.last else { return .min }
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
        guard let last = bucketIndices.last else {
            bucketIndices.append(bucket)
            buckets.append(AggregationStatistics())
            buckets[0].add(value, at: time)
            return true
        }
        if bucket == last {
            buckets[buckets.count - 1].add(value, at: time)
            return true
        }
        if bucket > last {
            bucketIndices.append(bucket)
            var fresh = AggregationStatistics()
            fresh.add(value, at: time)
            buckets.append(fresh)
            dropStaleBuckets(plan)
            return true
        }
        guard bucket >= plan.horizon(newest: last) else { return false }
        let position = firstPosition(notBelow: bucket)
        if bucketIndices[position] == bucket {
            buckets[position].add(value, at: time)
        } else {
            var fresh = AggregationStatistics()
            fresh.add(value, at: time)
            bucketIndices.insert(bucket, at: position)
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
        if plan.isSliding {
            // All sliding windows end at `bucket`: one backward pass, smallest window first.
            var position = (bucketIndices.last ?? .min) <= bucket ? bucketIndices.count - 1
                : firstPosition(notBelow: bucket + 1) - 1
            var statistics = AggregationStatistics()
            for window in plan.windowsByLength {
                let low = Swift.max(bucket - plan.windowBuckets[window] + 1, horizon)
                while position >= 0, bucketIndices[position] >= low {
                    statistics.merge(buckets[position])
                    position -= 1
                }
                body(window, statistics)
            }
        } else {
            for window in plan.windowBuckets.indices {
                let range = plan.range(ofWindow: window, at: bucket)
                var statistics = AggregationStatistics()
                var position = firstPosition(notBelow: Swift.max(range.lowerBound, horizon))
                while position < bucketIndices.count, bucketIndices[position] <= range.upperBound {
                    statistics.merge(buckets[position])
                    position += 1
                }
                body(window, statistics)
            }
        }
        return true
    }

    /// Drops every bucket older than the horizon (normally done lazily).
    package mutating func dropForgottenBuckets(_ plan: AggregationPlan) {
        let horizon = horizon(plan)
        let stale = firstPosition(notBelow: horizon)
        if stale > 0 {
            bucketIndices.removeFirst(stale)
            buckets.removeFirst(stale)
        }
    }

    /// Lazily drops forgotten buckets once they are a quarter of the array (or 16), so the shift is amortised
    /// O(1) per added bucket and at most a third more memory than the live buckets is held.
    @inline(__always)
    private mutating func dropStaleBuckets(_ plan: AggregationPlan) {
        guard let first = bucketIndices.first, let last = bucketIndices.last,
            first < plan.horizon(newest: last)
        else { return }
        let stale = firstPosition(notBelow: plan.horizon(newest: last))
        if stale >= 16 || stale * 4 >= bucketIndices.count {
            bucketIndices.removeFirst(stale)
            buckets.removeFirst(stale)
        }
    }

    /// Position of the first bucket whose index is ≥ `bucket` (count when none).
    @inline(__always)
    private func firstPosition(notBelow bucket: Int64) -> Int {
        var low = 0
        var high = bucketIndices.count
        while low < high {
            let middle = (low + high) / 2
            if bucketIndices[middle] < bucket { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
