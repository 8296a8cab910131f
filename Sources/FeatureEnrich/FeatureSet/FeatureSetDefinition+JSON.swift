public import ServingGraph

// MARK: - Decoding from JSON values

extension FeatureSetDefinition {
    /// Decodes the feature-set JSON format; errors name the JSON path (`aggregations[0].windows[1]: …`).
    ///
    /// Fields: `name`, `entities` (`[{"name", "type": "string"|"int64"}]`, type defaults to string),
    /// `timestamp_key`, `features` (`[{"name", "type": "double"|"int64"|"string"|"bool"}]`, optional),
    /// `aggregations` (`[{"name", "column"?, "operations", "windows", "period"?}]`, optional), `ttl` and
    /// `offline_retention` (how long the offline event log keeps events; default forever); a feature may declare
    /// `validators` (``FeatureValidators``) and the set a `validation_policy` (``ValidationPolicy``).
    public init(json: Value) throws(FeatureSetError) {
        let root = try Self.object(json, path: "feature set")
        let name = try Self.string(root["name"], path: "name")
        let entityValues = try Self.array(root["entities"], path: "entities")
        var entities: [EntityColumn] = []
        for (index, value) in entityValues.enumerated() {
            let path = "entities[\(index)]"
            let object = try Self.object(value, path: path)
            let typeName = try Self.optionalString(object["type"], path: "\(path).type") ?? "string"
            guard let type = EntityColumn.ValueType(rawValue: typeName) else {
                throw .unknownType(
                    path: "\(path).type", name: typeName, allowed: EntityColumn.ValueType.allCases.map(\.rawValue))
            }
            entities.append(EntityColumn(name: try Self.string(object["name"], path: "\(path).name"), type: type))
        }
        let timestampKey = try Self.string(root["timestamp_key"], path: "timestamp_key")
        var features: [FeatureColumn] = []
        for (index, value) in try Self.optionalArray(root["features"], path: "features").enumerated() {
            let path = "features[\(index)]"
            let object = try Self.object(value, path: path)
            let typeName = try Self.optionalString(object["type"], path: "\(path).type") ?? "double"
            guard let type = FeatureColumn.ValueType(rawValue: typeName) else {
                throw .unknownType(
                    path: "\(path).type", name: typeName, allowed: FeatureColumn.ValueType.allCases.map(\.rawValue))
            }
            var validators = FeatureValidators()
            if let declared = object["validators"], !declared.isNull {
                validators = try FeatureValidators(json: declared, path: "\(path).validators")
            }
            features.append(
                FeatureColumn(
                    name: try Self.string(object["name"], path: "\(path).name"), type: type, validators: validators))
        }
        var aggregations: [AggregationDefinition] = []
        for (index, value) in try Self.optionalArray(root["aggregations"], path: "aggregations").enumerated() {
            aggregations.append(try Self.aggregation(value, path: "aggregations[\(index)]"))
        }
        let ttl = try Self.optionalDuration(root["ttl"], path: "ttl")
        let retention = try Self.optionalDuration(root["offline_retention"], path: "offline_retention")
        let policy = try ValidationPolicy.decode(root["validation_policy"], path: "validation_policy")
        try self.init(
            name: name, entities: entities, timestampKey: timestampKey, features: features,
            aggregations: aggregations, ttl: ttl, offlineRetention: retention, validationPolicy: policy)
    }

    /// Parses and decodes feature-set JSON text.
    public init(jsonText: String) throws(FeatureSetError) {
        try self.init(jsonBytes: Array(jsonText.utf8))
    }

    /// Parses and decodes feature-set JSON bytes.
    public init(jsonBytes: [UInt8]) throws(FeatureSetError) {
        let value: Value
        do {
            value = try JSONParser.parse(jsonBytes)
        } catch {
            throw .notJSON(reason: error.description)
        }
        try self.init(json: value)
    }

    /// Reads, parses and decodes the feature-set JSON file at `path`.
    public init(contentsOfFile path: String) throws(FeatureSetError) {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path)
        } catch {
            throw .unreadableFile(path: path, reason: error.description)
        }
        try self.init(jsonBytes: bytes)
    }

    private static func aggregation(_ value: Value, path: String) throws(FeatureSetError) -> AggregationDefinition {
        let object = try object(value, path: path)
        let name = try string(object["name"], path: "\(path).name")
        let column = try optionalString(object["column"], path: "\(path).column") ?? name
        var operations: [AggregationOperation] = []
        for (index, item) in try array(object["operations"], path: "\(path).operations").enumerated() {
            let itemPath = "\(path).operations[\(index)]"
            let text = try string(item, path: itemPath)
            guard let operation = AggregationOperation(rawValue: text) else {
                throw .unknownOperation(path: itemPath, name: text)
            }
            operations.append(operation)
        }
        var windows: [FeatureDuration] = []
        for (index, item) in try array(object["windows"], path: "\(path).windows").enumerated() {
            let itemPath = "\(path).windows[\(index)]"
            guard let window = try optionalDuration(item, path: itemPath) else { throw .missingField(path: itemPath) }
            windows.append(window)
        }
        let period = try optionalDuration(object["period"], path: "\(path).period")
        return try AggregationDefinition(
            name: name, column: column, operations: operations, windows: windows, period: period, path: path)
    }

    // MARK: - Field helpers

    private static func object(_ value: Value?, path: String) throws(FeatureSetError) -> ValueObject {
        guard let value else { throw .missingField(path: path) }
        guard let object = value.objectValue else {
            throw .wrongType(path: path, expected: "an object", got: value.typeName)
        }
        return object
    }

    private static func array(_ value: Value?, path: String) throws(FeatureSetError) -> [Value] {
        guard let value else { throw .missingField(path: path) }
        guard let array = value.arrayValue else {
            throw .wrongType(path: path, expected: "a list", got: value.typeName)
        }
        return array
    }

    private static func optionalArray(_ value: Value?, path: String) throws(FeatureSetError) -> [Value] {
        guard let value, !value.isNull else { return [] }
        return try array(value, path: path)
    }

    private static func string(_ value: Value?, path: String) throws(FeatureSetError) -> String {
        guard let text = try optionalString(value, path: path) else { throw .missingField(path: path) }
        guard !text.isEmpty else { throw .emptyValue(path: path) }
        return text
    }

    private static func optionalString(_ value: Value?, path: String) throws(FeatureSetError) -> String? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.stringValue else {
            throw .wrongType(path: path, expected: "a string", got: value.typeName)
        }
        return text
    }

    private static func optionalDuration(_ value: Value?, path: String) throws(FeatureSetError) -> FeatureDuration? {
        guard let text = try optionalString(value, path: path) else { return nil }
        guard let duration = FeatureDuration(text) else { throw .badDuration(path: path, text: text) }
        return duration
    }
}
