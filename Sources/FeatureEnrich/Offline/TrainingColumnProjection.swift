import ServingGraph

/// Reads a feature set's columns of a training row straight from an ``EntityState`` into the row-major values of
/// a ``TrainingSet``: the same values ``RegisteredFeatureSet/row(_:at:features:)`` selects, without building a
/// row object per entity row.
///
/// A plain feature is its latest value observed by T (and within the ttl), else null; an aggregation column is
/// its window aged to T when finite, else null; a name the set does not have is null.
struct TrainingColumnProjection: Sendable {
    /// Where one output column comes from.
    enum Source: Sendable {
        /// Plain feature `index` (definition order).
        case feature(Int)
        /// Aggregation output column `index` (``FeatureSetAggregator/outputColumns`` order).
        case aggregation(Int)
        /// A name the feature set does not have.
        case missing
    }

    /// The feature set read.
    let set: RegisteredFeatureSet
    /// Position of each projected column within a training row's values.
    let slots: [Int]
    /// Source of each projected column, parallel to ``slots``.
    let sources: [Source]
    private let readsAggregations: Bool

    /// Projects the columns of `outputs` (a training row's feature columns, in order) that belong to `set`.
    init(set: RegisteredFeatureSet, outputs: [ResolvedFeatureVector.Column]) {
        self.set = set
        var slots: [Int] = []
        var sources: [Source] = []
        for (slot, column) in outputs.enumerated() where column.featureSet == set.definition.name {
            slots.append(slot)
            if let index = set.aggregator.outputColumns.lastIndex(of: column.feature) {
                sources.append(.aggregation(index))
            } else if let index = set.definition.features.lastIndex(where: { $0.name == column.feature }) {
                sources.append(.feature(index))
            } else {
                sources.append(.missing)
            }
        }
        self.slots = slots
        self.sources = sources
        readsAggregations = sources.contains {
            if case .aggregation = $0 { return true }
            return false
        }
    }

    /// Writes the projected columns of `state` read at `time` to `values[base + slot]`; `scratch` is a reusable
    /// aggregation output buffer.
    func write(
        _ state: EntityState, at time: Int64, into values: UnsafeMutableBufferPointer<Value>, base: Int,
        scratch: inout [Double?]
    ) {
        if readsAggregations { set.aggregator.read(state, at: time, output: &scratch) }
        for (slot, source) in zip(slots, sources) {
            let value: Value
            switch source {
            case .feature(let index):
                if let latest = state.latestFeatures[index], latest.timestampMilliseconds <= time,
                    let feature = set.aggregator.feature(index, of: state, at: time)
                {
                    value = feature
                } else {
                    value = .null
                }
            case .aggregation(let index):
                if let number = scratch[index], number.isFinite { value = .double(number) } else { value = .null }
            case .missing:
                value = .null
            }
            values[base + slot] = value
        }
    }
}
