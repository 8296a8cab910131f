/// Per entity key and aggregation: the sparse, sorted buckets of the retained events.
///
/// Memory grows with the non-empty buckets only, at most the largest window / bucket length (plus a small
/// stale prefix that is dropped lazily). The newest bucket is the last one, so it doubles as the retention
/// *newest* of `shared/oracle/README.md`. Adding an in-order event is O(1) amortised; a late one costs a
/// binary search and an insert. Reads merge the covered buckets afresh (never add/subtract running totals).
/// Buckets live in one array of (index, statistics) so a read touches one allocation.
///
/// A derived cache serves the largest window W (B = W / bucket length buckets) in O(1) amortised per in-order row,
/// without subtraction. Fixed: the window is the block of the newest bucket, (merge of the block before the
/// newest bucket) ⊕ (newest bucket). Sliding: buckets are grouped in epoch-aligned blocks of B; a window ending in
/// block k starts in block k − 1, so it is (suffix merge of block k − 1 from the window start) ⊕ (merge of block
/// k before the newest bucket) ⊕ (newest bucket). Suffixes are computed once per block, the block-k merge grows
/// one bucket at a time. The cache is a pure function of the buckets (same folds in the same order whether built
/// incrementally or rebuilt), so a state rebuilt from bytes continues bit-identically. A late event that changes
/// an older bucket drops it; it is rebuilt on the next row. It is not serialised and not part of equality.
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

    // MARK: Block cache of the largest window (derived)

    /// `suffixes[i]` = merge of `buckets[previousStart + i ..< currentStart]` (block `cacheBlock − 1`).
    private var suffixes: [AggregationStatistics] = []
    /// Position of the first bucket of block `cacheBlock − 1`.
    private var previousStart = 0
    /// Position of the first bucket of block `cacheBlock`.
    private var currentStart = 0
    /// Merge of `buckets[currentStart ..< buckets.count - 1]`.
    private var back = AggregationStatistics()
    /// Block (⌊bucket / B⌋) of the newest bucket when the cache was built.
    private var cacheBlock: Int64 = 0
    /// False until built, and after any change the cache does not follow.
    private var cacheValid = false

    /// States are equal when their buckets are (the cache is derived).
    package static func == (lhs: AggregationState, rhs: AggregationState) -> Bool { lhs.buckets == rhs.buckets }

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
            // The previous newest bucket joins the block merge, or a new block starts (rebuilt on the next row).
            if cacheValid {
                if AggregationPlan.floorDivide(bucket, plan.retentionBuckets) == cacheBlock {
                    back.mergeNewer(buckets[buckets.count - 1].statistics)
                } else {
                    cacheValid = false
                }
            }
            buckets.append(fresh)
            dropStaleBuckets(plan)
            return true
        }
        guard bucket >= plan.horizon(newest: last) else { return false }
        cacheValid = false
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
                let newestPosition = buckets.count - 1
                let endsAtNewest = position == newestPosition
                for (rank, window) in plan.windowsByLength.enumerated() {
                    let low = Swift.max(bucket - plan.windowBuckets[window] + 1, horizon)
                    if rank == plan.windowsByLength.count - 1, cacheValid, endsAtNewest {
                        // Largest window from the block cache: [suffix of the previous block ⊕] block ⊕ newest.
                        let start = firstPosition(notBelow: low)
                        if start >= previousStart, start <= currentStart, currentStart <= newestPosition {
                            var statistics = start < currentStart ? suffixes[start - previousStart] : back
                            if start < currentStart { statistics.mergeNewer(back) }
                            statistics.mergeNewer(buckets[newestPosition].statistics)
                            body(window, statistics)
                            break
                        }
                    }
                    while position >= 0, buckets[position].index >= low {
                        accumulator.mergeOlder(buckets[position].statistics)
                        position -= 1
                    }
                    body(window, accumulator.statistics)
                }
            } else {
                let newestPosition = buckets.count - 1
                for window in plan.windowBuckets.indices {
                    if cacheValid, plan.windowBuckets[window] == plan.retentionBuckets,
                        AggregationPlan.floorDivide(bucket, plan.retentionBuckets) == cacheBlock,
                        (buckets.last?.index ?? .max) <= bucket
                    {
                        // Largest fixed window from the block cache: block merge ⊕ newest.
                        var statistics = back
                        statistics.mergeNewer(buckets[newestPosition].statistics)
                        body(window, statistics)
                        continue
                    }
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
        removeOldest(firstPosition(notBelow: horizon(plan)))
    }

    /// Prepares the cache so a row at `time` at or after the newest bucket (an in-order event just added, or an
    /// empty cell) reads the largest sliding window in O(1) amortised; the row itself is then read with
    /// ``forEachWindow(at:_:_:)``. Rows always go through here, so they never depend on whether the cache
    /// happened to be valid (a state decoded from bytes continues bit-identically).
    @inline(__always)
    package mutating func prepareRow(at time: Int64, _ plan: AggregationPlan) {
        guard !cacheValid, let newest = buckets.last?.index, plan.bucket(of: time) >= newest else {
            return
        }
        rebuildCache(block: AggregationPlan.floorDivide(newest, plan.retentionBuckets), plan)
    }

    /// Builds the cache for a newest bucket in `block`: suffix merges of block − 1, left merge of block.
    private mutating func rebuildCache(block: Int64, _ plan: AggregationPlan) {
        let length = plan.retentionBuckets
        currentStart = firstPosition(notBelow: block * length)
        // Fixed windows never reach into the previous block: no suffixes.
        previousStart = plan.isSliding ? firstPosition(notBelow: (block - 1) * length) : currentStart
        let newestPosition = buckets.count - 1
        let suffixCount = currentStart - previousStart
        if suffixes.count > suffixCount { suffixes.removeLast(suffixes.count - suffixCount) }
        while suffixes.count < suffixCount { suffixes.append(AggregationStatistics()) }
        let (previousStart, currentStart) = (previousStart, currentStart)
        var back = AggregationStatistics()
        buckets.withUnsafeBufferPointer { buckets in
            suffixes.withUnsafeMutableBufferPointer { suffixes in
                var merged = AggregationStatistics()
                var position = currentStart - 1
                while position >= previousStart {
                    var older = buckets[position].statistics
                    older.mergeNewer(merged)
                    merged = older
                    suffixes[position - previousStart] = merged
                    position -= 1
                }
            }
            for position in currentStart..<max(currentStart, newestPosition) {
                back.mergeNewer(buckets[position].statistics)
            }
        }
        self.back = back
        cacheBlock = block
        cacheValid = true
    }

    /// Removes the `count` oldest buckets, shifting the cache with them.
    private mutating func removeOldest(_ count: Int) {
        guard count > 0 else { return }
        buckets.removeFirst(count)
        guard cacheValid else { return }
        if count <= previousStart {
            previousStart -= count
            currentStart -= count
        } else if count <= currentStart {
            suffixes.removeFirst(count - previousStart)
            previousStart = 0
            currentStart -= count
        } else {
            cacheValid = false
        }
    }

    /// Lazily drops forgotten buckets once they are a quarter of the array (or 16), so the shift is amortised
    /// O(1) per added bucket and at most a third more memory than the live buckets is held.
    @inline(__always)
    private mutating func dropStaleBuckets(_ plan: AggregationPlan) {
        guard let first = buckets.first?.index, let last = buckets.last?.index,
            first < plan.horizon(newest: last)
        else { return }
        let stale = firstPosition(notBelow: plan.horizon(newest: last))
        if stale >= 16 || stale * 4 >= buckets.count { removeOldest(stale) }
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
