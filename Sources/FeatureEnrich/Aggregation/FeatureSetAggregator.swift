public import ServingGraph

/// The aggregation engine of one feature set: applies events to ``EntityState``s and reads their windows.
///
/// Exactly the semantics of `shared/oracle/README.md` (storey's `AggregateByKey` with its defects fixed):
/// sliding windows over epoch-aligned period buckets, fixed calendar windows, retention and too-late rules per
/// key and aggregation. Stateless and `Sendable`: the per-key state is passed in, so callers shard states
/// freely. Outputs go to a caller-owned buffer in ``outputColumns`` order (`nil` = too late = JSON null).
/// Cost per in-order event: O(1) amortised for each aggregation's largest window (a block cache, see
/// ``AggregationState``) plus a walk over the non-empty buckets of its smaller windows; a late event adds a
/// binary search, an insert and one rebuild of the cache.
///
/// ```swift
/// let aggregator = FeatureSetAggregator(definition)
/// var state = aggregator.makeState()
/// var row: [Double?] = []
/// aggregator.ingest(at: time, aggregationValues: [12.5], into: &state, output: &row)
/// ```
public struct FeatureSetAggregator: Sendable {
    /// The feature set.
    public let definition: FeatureSetDefinition
    /// Aggregate output columns sorted by name: the order of every output buffer.
    public let outputColumns: [String]
    /// Per aggregation: bucket arithmetic, operations and output positions.
    let compiled: [CompiledAggregation]
    /// The definition's hash, checked against every state.
    let definitionHash: UInt64

    /// Compiles `definition`.
    public init(_ definition: FeatureSetDefinition) {
        self.definition = definition
        let columns = definition.sortedAggregationColumns
        outputColumns = columns
        let position = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        compiled = definition.aggregations.map { aggregation in
            CompiledAggregation(
                plan: AggregationPlan(aggregation), operations: aggregation.operations,
                positions: aggregation.windows.flatMap { window in
                    aggregation.operations.map { position[aggregation.outputName($0, window)] ?? 0 }
                })
        }
        definitionHash = definition.definitionHash
    }

    /// An empty state for one entity key.
    public func makeState() -> EntityState {
        // The cached hash: EntityState(featureSet:) would re-encode the definition for every new key.
        EntityState(
            definitionHash: definitionHash,
            latestFeatures: Array(repeating: nil, count: definition.features.count),
            aggregations: Array(repeating: AggregationState(), count: compiled.count))
    }

    /// Applies one event to `state` and writes its row (the windows as of `time`, the event included) to `output`.
    ///
    /// `aggregationValues[i]` is the value of `definition.aggregations[i].column` (`nil` = empty cell: not
    /// aggregated, row still written); `featureValues[i]` that of `definition.features[i]` (`nil` = absent). A
    /// too-late event is not aggregated and its aggregation's columns are `nil`. Plain features keep the value
    /// with the latest event time; equal times: the later arrival wins. Non-finite numbers, nulls, lists and
    /// objects count as absent (they could not be stored).
    public func ingest(
        at time: Int64, aggregationValues: [Double?], featureValues: [Value?] = [],
        into state: inout EntityState, output: inout [Double?]
    ) {
        prepare(&output)
        applyFeatures(at: time, featureValues, to: &state)
        output.withUnsafeMutableBufferPointer { output in
            compiled.withUnsafeBufferPointer { compiled in
                state.aggregations.withUnsafeMutableBufferPointer { states in
                    for index in compiled.indices {
                        if index < aggregationValues.count, let value = aggregationValues[index], value.isFinite {
                            states[index].add(value, at: time, compiled[index].plan)
                        }
                        states[index].prepareRow(at: time, compiled[index].plan)
                        compiled[index].write(states[index], at: time, into: output)
                    }
                }
            }
        }
    }

    /// Applies one event to `state` exactly as ``ingest(at:aggregationValues:featureValues:into:output:)`` does,
    /// without computing its row: a training set reads the state later, at its rows' own times.
    func apply(at time: Int64, aggregationValues: [Double?], featureValues: [Value?], into state: inout EntityState) {
        applyFeatures(at: time, featureValues, to: &state)
        compiled.withUnsafeBufferPointer { compiled in
            state.aggregations.withUnsafeMutableBufferPointer { states in
                for index in compiled.indices {
                    if index < aggregationValues.count, let value = aggregationValues[index], value.isFinite {
                        states[index].add(value, at: time, compiled[index].plan)
                    }
                    // The same cache rebuilds as ingest, so later reads merge the buckets in the same order.
                    states[index].prepareRow(at: time, compiled[index].plan)
                }
            }
        }
    }

    /// Replaces an incompatible `state` with a fresh one, then keeps each plain feature's latest value.
    private func applyFeatures(at time: Int64, _ featureValues: [Value?], to state: inout EntityState) {
        if !isCompatible(state) {
            // Never trap on a state from elsewhere (bytes decoded without the feature set): start it afresh.
            FeatureEnrich.logger.error(
                "entity state does not match the feature set; starting it afresh", [("feature_set", definition.name)])
            state = makeState()
        }
        for (index, value) in featureValues.prefix(state.latestFeatures.count).enumerated() {
            guard let value, Self.isStorableFeature(value) else { continue }
            if let current = state.latestFeatures[index], current.timestampMilliseconds > time { continue }
            state.latestFeatures[index] = LatestFeatureValue(value: value, timestampMilliseconds: time)
        }
    }

    /// Writes the windows of `state` as of `time` to `output` (windows aged to `time`: a key silent for 2 h has
    /// `count_1h` 0). Changes nothing. Columns of an aggregation whose horizon has passed `time` are `nil`.
    public func read(_ state: EntityState, at time: Int64, output: inout [Double?]) {
        prepare(&output)
        guard isCompatible(state) else {
            for index in output.indices { output[index] = nil }
            return
        }
        output.withUnsafeMutableBufferPointer { output in
            for index in compiled.indices {
                compiled[index].write(state.aggregations[index], at: time, into: output)
            }
        }
    }

    /// The row of `read(_:at:output:)` as a dictionary from column name to value (`nil` = too late).
    public func read(_ state: EntityState, at time: Int64) -> [String: Double?] {
        var output: [Double?] = []
        read(state, at: time, output: &output)
        return Dictionary(zip(outputColumns, output), uniquingKeysWith: { first, _ in first })
    }

    /// True when `state` was made for this feature set (same definition hash and shape). Incompatible states are
    /// replaced by a fresh one on ingest and read as all `nil`.
    public func isCompatible(_ state: EntityState) -> Bool {
        state.definitionHash == definitionHash && state.aggregations.count == compiled.count
            && state.latestFeatures.count == definition.features.count
    }

    /// The plain features of `state` at read time `time`, by name: each feature's latest value by event time,
    /// left out when it is older than the feature set's `ttl` at `time` (or was never observed).
    public func features(_ state: EntityState, at time: Int64) -> [String: Value] {
        var result: [String: Value] = [:]
        for (index, column) in zip(state.latestFeatures.indices, definition.features) {
            guard let value = feature(index, of: state, at: time) else { continue }
            result[column.name] = value
        }
        return result
    }

    /// The value of plain feature `index` (definition order) in `state` at read time `time`, as
    /// ``features(_:at:)`` reads it: nil when never observed or older than the ttl at `time`.
    func feature(_ index: Int, of state: EntityState, at time: Int64) -> Value? {
        guard index < state.latestFeatures.count, let latest = state.latestFeatures[index] else { return nil }
        if let ttl = definition.ttl {
            let (age, overflow) = time.subtractingReportingOverflow(latest.timestampMilliseconds)
            if overflow ? time > latest.timestampMilliseconds : age > ttl.milliseconds { return nil }
        }
        return latest.value
    }

    /// Scalars only, and finite numbers: what ``EntityState`` can serialise.
    private static func isStorableFeature(_ value: Value) -> Bool {
        switch value {
        case .bool, .int, .string: true
        case .double(let number): number.isFinite
        case .null, .array, .object: false
        }
    }

    @inline(__always)
    private func prepare(_ output: inout [Double?]) {
        if output.count != outputColumns.count {
            output = Array(repeating: nil, count: outputColumns.count)
        }
    }
}

/// One aggregation compiled for the hot loop: bucket arithmetic, operations, output positions.
struct CompiledAggregation: Sendable {
    /// Bucket arithmetic.
    let plan: AggregationPlan
    /// Operations in definition order.
    let operations: [AggregationOperation]
    /// Output position of window w (definition order), operation o: `positions[w * operations.count + o]`.
    let positions: [Int]

    /// Writes the windows of `state` as of `time` (or `nil` everywhere when `time` is too late).
    @inline(__always)
    func write(_ state: AggregationState, at time: Int64, into output: UnsafeMutableBufferPointer<Double?>) {
        operations.withUnsafeBufferPointer { operations in
            positions.withUnsafeBufferPointer { positions in
                let fresh = state.forEachWindow(at: time, plan) { window, statistics in
                    let base = window * operations.count
                    for slot in operations.indices {
                        output[positions[base + slot]] = statistics.value(of: operations[slot])
                    }
                }
                if !fresh {
                    for position in positions { output[position] = nil }
                }
            }
        }
    }
}
