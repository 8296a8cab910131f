public import ServingGraph

extension FeatureVectorDefinition {
    /// Decodes a vector from its JSON form; `path` prefixes error locations (`feature_vectors[0]`).
    public init(json: Value, path: String = "") throws(FeatureVectorError) {
        func at(_ field: String) -> String { path.isEmpty ? field : "\(path).\(field)" }
        guard case .object(let object) = json else {
            throw .wrongType(path: path.isEmpty ? "(root)" : path, expected: "an object", got: json.typeName)
        }
        guard let nameValue = object["name"] else { throw .missingField(path: at("name")) }
        guard case .string(let name) = nameValue, !name.isEmpty else {
            throw .wrongType(path: at("name"), expected: "a non-empty string", got: nameValue.typeName)
        }
        guard let featuresValue = object["features"] else { throw .missingField(path: at("features")) }
        guard case .array(let list) = featuresValue, !list.isEmpty else {
            throw .wrongType(
                path: at("features"), expected: "a non-empty array of strings", got: featuresValue.typeName)
        }
        var features: [FeatureReference] = []
        for (index, item) in list.enumerated() {
            let itemPath = at("features[\(index)]")
            guard case .string(let text) = item else {
                throw .wrongType(path: itemPath, expected: "a string", got: item.typeName)
            }
            features.append(try FeatureReference(parsing: text, path: itemPath))
        }
        var label: FeatureReference?
        if let labelValue = object["label_feature"], !labelValue.isNull {
            guard case .string(let text) = labelValue else {
                throw .wrongType(path: at("label_feature"), expected: "a string", got: labelValue.typeName)
            }
            label = try FeatureReference(parsing: text, path: at("label_feature"))
            if label?.feature == nil { throw .badReference(path: at("label_feature"), text: text) }
        }
        var entityKeys: [String]?
        if let keysValue = object["entity_keys"], !keysValue.isNull {
            guard case .array(let keys) = keysValue, !keys.isEmpty else {
                throw .wrongType(
                    path: at("entity_keys"), expected: "a non-empty array of strings", got: keysValue.typeName)
            }
            entityKeys = []
            for (index, key) in keys.enumerated() {
                guard case .string(let text) = key, !text.isEmpty else {
                    throw .wrongType(
                        path: at("entity_keys[\(index)]"), expected: "a non-empty string", got: key.typeName)
                }
                entityKeys?.append(text)
            }
        }
        var impute = ValueObject()
        if let imputeValue = object["impute_policy"], !imputeValue.isNull {
            guard case .object(let rules) = imputeValue else {
                throw .wrongType(path: at("impute_policy"), expected: "an object", got: imputeValue.typeName)
            }
            for (column, rule) in rules.members {
                switch rule {
                case .int, .double, .string, .bool: impute[column] = rule
                default:
                    throw .wrongType(
                        path: at("impute_policy.\(column)"),
                        expected: "a constant or '$mean', '$min', '$max', '$count'",
                        got: rule.typeName)
                }
            }
        }
        self.init(name: name, features: features, labelFeature: label, entityKeys: entityKeys, imputePolicy: impute)
    }

    /// Reads and decodes a vector file.
    public init(contentsOfFile path: String) throws(FeatureVectorError) {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path)
        } catch {
            guard case .unreadableFile(_, let reason) = error else {
                throw .unreadableFile(path: path, reason: String(describing: error))
            }
            throw .unreadableFile(path: path, reason: reason)
        }
        let value: Value
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw .notJSON(reason: "\(path): \(error)")
        }
        try self.init(json: value)
    }
}
