public import ServingGraph

// MARK: - Encoding to JSON values

extension FeatureSetDefinition {
    /// The definition in the feature-set file format that ``init(json:)`` reads back to an equal definition
    /// (stored in the `feature_sets` table and served by the catalog endpoints).
    public var jsonValue: Value {
        var root = ValueObject(minimumCapacity: 6)
        root["name"] = .string(name)
        root["entities"] = .array(
            entities.map { .object(["name": .string($0.name), "type": .string($0.type.rawValue)]) })
        root["timestamp_key"] = .string(timestampKey)
        root["features"] = .array(features.map(Self.encode))
        root["aggregations"] = .array(aggregations.map(Self.encode))
        if let ttl { root["ttl"] = .string(ttl.text) }
        if let offlineRetention { root["offline_retention"] = .string(offlineRetention.text) }
        if hasValidators || validationPolicy != .reject {
            root["validation_policy"] = .string(validationPolicy.rawValue)
        }
        return .object(root)
    }

    /// ``jsonValue`` as compact JSON text.
    public var jsonText: String { JSONWriter.string(jsonValue) }

    private static func encode(_ feature: FeatureColumn) -> Value {
        var object: ValueObject = ["name": .string(feature.name), "type": .string(feature.type.rawValue)]
        if !feature.validators.isEmpty { object["validators"] = feature.validators.jsonValue }
        return .object(object)
    }

    private static func encode(_ aggregation: AggregationDefinition) -> Value {
        var object = ValueObject(minimumCapacity: 5)
        object["name"] = .string(aggregation.name)
        object["column"] = .string(aggregation.column)
        object["operations"] = .array(aggregation.operations.map { .string($0.rawValue) })
        object["windows"] = .array(aggregation.windows.map { .string($0.text) })
        object["period"] = aggregation.period.map { .string($0.text) } ?? .null
        return .object(object)
    }
}
