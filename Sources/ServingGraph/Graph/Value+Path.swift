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
    /// `result_path`). Throws, leaving the value untouched, when a value on the way exists but is
    /// not an object.
    mutating func setValue(_ newValue: Value, atPath path: [String]) throws(ServingError) {
        var current = self
        for key in path {
            switch current {
            case .object(let object): current = object[key] ?? .null
            case .null: current = .null
            default:
                throw .invalidInput("cannot set '\(key)': the value on the way is \(current.typeName), not an object")
            }
        }
        setCheckedValue(newValue, atPath: path[...])
    }

    /// The write of ``setValue(_:atPath:)`` once the path is known to be settable.
    private mutating func setCheckedValue(_ newValue: Value, atPath path: ArraySlice<String>) {
        guard let key = path.first else {
            self = newValue
            return
        }
        var object = objectValue ?? ValueObject()
        var child = object[key] ?? .null
        // Release the member and self before recursing so the nested write does not copy them.
        object[key] = .null
        self = .null
        child.setCheckedValue(newValue, atPath: path.dropFirst())
        object[key] = child
        self = .object(object)
    }
}
