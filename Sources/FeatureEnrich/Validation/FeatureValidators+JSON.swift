public import ServingGraph

// MARK: - Decoding and checking validator declarations

extension FeatureValidators {
    /// Decodes the `validators` object at `path` (`features[2].validators`); errors name the JSON path.
    public init(json: Value, path: String) throws(FeatureSetError) {
        guard case .object(let object) = json else {
            throw .wrongType(path: path, expected: "an object", got: json.typeName)
        }
        self.init()
        for (key, value) in object.members {
            let itemPath = "\(path).\(key)"
            guard let kind = ValidatorKind(rawValue: key) else { throw .unknownValidator(path: itemPath, name: key) }
            if value.isNull { continue }
            switch kind {
            case .min: min = try Self.number(value, path: itemPath)
            case .max: max = try Self.number(value, path: itemPath)
            case .allowed:
                guard case .array(let values) = value else {
                    throw .wrongType(path: itemPath, expected: "a list", got: value.typeName)
                }
                allowed = values
            case .notNull:
                guard case .bool(let flag) = value else {
                    throw .wrongType(path: itemPath, expected: "true or false", got: value.typeName)
                }
                notNull = flag
            case .maxAge:
                guard case .string(let text) = value else {
                    throw .wrongType(path: itemPath, expected: "a duration string", got: value.typeName)
                }
                guard let duration = FeatureDuration(text) else { throw .badDuration(path: itemPath, text: text) }
                maxAge = duration
            }
        }
    }

    /// Checks that every declared validator applies to a feature of `type` (`path` is the validators' path).
    func check(for type: FeatureColumn.ValueType, path: String) throws(FeatureSetError) {
        let numeric = type == .double || type == .int64
        if min != nil, !numeric {
            throw .validatorNotApplicable(path: "\(path).min", validator: "min", type: type.rawValue)
        }
        if max != nil, !numeric {
            throw .validatorNotApplicable(path: "\(path).max", validator: "max", type: type.rawValue)
        }
        if let min, let max, min > max {
            throw .invalidValidator(path: "\(path).min", reason: "min \(min) is above max \(max)")
        }
        guard let allowed else { return }
        guard !allowed.isEmpty else {
            throw .invalidValidator(path: "\(path).allowed", reason: "an empty list allows no value")
        }
        for (index, value) in allowed.enumerated() {
            let fits: Bool
            switch (type, value) {
            case (.string, .string), (.bool, .bool), (.double, .int), (.double, .double): fits = true
            case (.int64, .int): fits = true
            case (.int64, .double(let number)): fits = number.rounded() == number
            default: fits = false
            }
            guard fits else {
                throw .wrongType(
                    path: "\(path).allowed[\(index)]", expected: "a value of type \(type.rawValue)", got: value.typeName
                )
            }
        }
    }

    private static func number(_ value: Value, path: String) throws(FeatureSetError) -> Double {
        guard let number = value.doubleValue, number.isFinite else {
            throw .wrongType(path: path, expected: "a number", got: value.typeName)
        }
        return number
    }
}
