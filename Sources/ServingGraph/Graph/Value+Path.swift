extension Value {
    /// Splits a dotted path (`data.features.amount`) into its keys.
    static func pathComponents(_ path: String) -> [String] {
        path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    /// The value at `path` (object keys from the root); `nil` when a key is missing or a value on
    /// the way is not an object.
    func value(atPath path: [String]) -> Value? {
        var current = self
        for key in path {
            guard case .object(let object) = current, let next = object[key] else { return nil }
            current = next
        }
        return current
    }

    /// Writes `newValue` at `path`, creating empty objects for missing keys on the way (MLRun's
    /// `result_path`). Throws when a value on the way exists but is not an object.
    mutating func setValue(_ newValue: Value, atPath path: [String]) throws(ServingError) {
        guard let key = path.first else {
            self = newValue
            return
        }
        var object: ValueObject
        switch self {
        case .object(let existing): object = existing
        case .null: object = ValueObject()
        default:
            throw .invalidInput("cannot set '\(key)': the value on the way is \(typeName), not an object")
        }
        var child = object[key] ?? .null
        // Release the member before recursing so the nested write does not copy it.
        object[key] = .null
        self = .null
        try child.setValue(newValue, atPath: Array(path.dropFirst()))
        object[key] = child
        self = .object(object)
    }
}
