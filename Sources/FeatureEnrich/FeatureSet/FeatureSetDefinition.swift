/// A feature set: entity key columns, a timestamp column, plain features and windowed aggregations.
///
/// Decoded from the JSON file format of `shared/oracle/README.md` (see ``init(json:)``):
///
/// ```swift
/// let definition = try FeatureSetDefinition(json: [
///     "name": "transactions", "entities": [["name": "key", "type": "string"]], "timestamp_key": "timestamp",
///     "features": [["name": "amount", "type": "double"]],
///     "aggregations": [["name": "amount", "column": "amount", "operations": ["sum", "count"],
///                       "windows": ["1h", "24h"], "period": "10m"]],
/// ])
/// ```
public struct FeatureSetDefinition: Sendable, Hashable {
    /// Feature-set name.
    public let name: String
    /// Entity columns; more than one makes a compound key.
    public let entities: [EntityColumn]
    /// Column holding the event time.
    public let timestampKey: String
    /// Plain features (latest value per entity).
    public let features: [FeatureColumn]
    /// Windowed aggregations, each independent of the others.
    public let aggregations: [AggregationDefinition]
    /// How long stored values stay valid; `nil` = forever.
    public let ttl: FeatureDuration?
    /// How long the offline log keeps this set's events, counted back from now by event time; `nil` = forever.
    /// Not part of ``definitionHash``: it changes no online state.
    public let offlineRetention: FeatureDuration?
    /// What the write paths do with an event failing a feature's validators (default ``ValidationPolicy/reject``;
    /// meaningless when no feature declares validators). Part of ``identityHash``, not of ``definitionHash``.
    public let validationPolicy: ValidationPolicy

    /// True when some feature declares validators.
    public var hasValidators: Bool { features.contains { !$0.validators.isEmpty } }

    /// Validates and builds a definition; errors name the JSON field (`entities[1].name: duplicate name …`).
    public init(
        name: String,
        entities: [EntityColumn],
        timestampKey: String,
        features: [FeatureColumn] = [],
        aggregations: [AggregationDefinition] = [],
        ttl: FeatureDuration? = nil,
        offlineRetention: FeatureDuration? = nil,
        validationPolicy: ValidationPolicy = .reject
    ) throws(FeatureSetError) {
        guard !name.isEmpty else { throw .emptyValue(path: "name") }
        guard !entities.isEmpty else { throw .emptyValue(path: "entities") }
        guard !timestampKey.isEmpty else { throw .emptyValue(path: "timestamp_key") }
        var seen: Set<String> = [timestampKey]
        for (index, entity) in entities.enumerated() where !seen.insert(entity.name).inserted {
            throw .duplicateName(path: "entities[\(index)].name", name: entity.name)
        }
        var featureNames = Set<String>()
        for (index, feature) in features.enumerated() {
            guard featureNames.insert(feature.name).inserted else {
                throw .duplicateName(path: "features[\(index)].name", name: feature.name)
            }
            try feature.validators.check(for: feature.type, path: "features[\(index)].validators")
        }
        var outputNames = Set<String>()
        for (index, aggregation) in aggregations.enumerated() {
            for output in aggregation.outputNames where !outputNames.insert(output).inserted {
                throw .duplicateName(path: "aggregations[\(index)]", name: output)
            }
        }
        self.name = name
        self.entities = entities
        self.timestampKey = timestampKey
        self.features = features
        self.aggregations = aggregations
        self.ttl = ttl
        self.offlineRetention = offlineRetention
        self.validationPolicy = validationPolicy
    }

    /// Every aggregation output column, sorted by name (the order of replay output rows).
    public var sortedAggregationColumns: [String] {
        aggregations.flatMap(\.outputNames).sorted()
    }
}

/// One entity (key) column of a feature set; several make a compound key.
public struct EntityColumn: Sendable, Hashable {
    /// How an entity value is typed.
    public enum ValueType: String, Sendable, Hashable, CaseIterable {
        /// Any string.
        case string
        /// A signed 64-bit integer, written in decimal.
        case int64
    }

    /// Column name in events and in output rows.
    public let name: String
    /// Type of the key value.
    public let type: ValueType

    /// An entity column named `name` of type `type`.
    public init(name: String, type: ValueType) {
        self.name = name
        self.type = type
    }
}

/// One plain (non-aggregated) feature of a feature set: its latest value per entity is kept.
public struct FeatureColumn: Sendable, Hashable {
    /// How a feature value is typed.
    public enum ValueType: String, Sendable, Hashable, CaseIterable {
        /// A finite double.
        case double
        /// A signed 64-bit integer.
        case int64
        /// Any string.
        case string
        /// `true` or `false`.
        case bool
    }

    /// Column name in events and feature vectors.
    public let name: String
    /// Type of the value.
    public let type: ValueType
    /// Checks every write path applies to the feature's values (empty: none; see ``ValidationPolicy``).
    public let validators: FeatureValidators

    /// A feature named `name` of type `type`, checked by `validators`.
    public init(name: String, type: ValueType, validators: FeatureValidators = FeatureValidators()) {
        self.name = name
        self.type = type
        self.validators = validators
    }
}
