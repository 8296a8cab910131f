public import ServingGraph

/// Everything a feature set keeps for one entity key: the latest plain-feature values and, per aggregation,
/// its sparse buckets. A value type, so a store can copy, shard and persist it (see ``serialized()`` and
/// ``init(serialized:featureSet:)``). Built by ``FeatureSetAggregator/makeState()`` and changed only through
/// that aggregator.
public struct EntityState: Sendable, Equatable {
    /// ``FeatureSetDefinition/definitionHash`` of the definition this state was made for.
    public let definitionHash: UInt64
    /// Latest value of each plain feature (definition order); `nil` until one arrives.
    public internal(set) var latestFeatures: [LatestFeatureValue?]
    /// Bucket state of each aggregation (definition order).
    package internal(set) var aggregations: [AggregationState]

    /// An empty state for `definition`.
    public init(featureSet definition: FeatureSetDefinition) {
        self.init(
            definitionHash: definition.definitionHash,
            latestFeatures: Array(repeating: nil, count: definition.features.count),
            aggregations: Array(repeating: AggregationState(), count: definition.aggregations.count))
    }

    /// A state from its parts (deserialisation).
    package init(definitionHash: UInt64, latestFeatures: [LatestFeatureValue?], aggregations: [AggregationState]) {
        self.definitionHash = definitionHash
        self.latestFeatures = latestFeatures
        self.aggregations = aggregations
    }

    /// Number of non-empty buckets held over all aggregations (a memory measure).
    public var bucketCount: Int { aggregations.reduce(0) { $0 + $1.buckets.count } }
}

/// The latest value of a plain feature and the event time it was observed at.
public struct LatestFeatureValue: Sendable, Equatable {
    /// The value (`.double`, `.int`, `.string` or `.bool`).
    public let value: Value
    /// Event time of the value, epoch milliseconds.
    public let timestampMilliseconds: Int64

    /// A value observed at `timestampMilliseconds`.
    public init(value: Value, timestampMilliseconds: Int64) {
        self.value = value
        self.timestampMilliseconds = timestampMilliseconds
    }
}
