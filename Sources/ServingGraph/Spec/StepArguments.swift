/// A step's `class_args` with typed accessors whose errors name the JSON path of the argument
/// (`graph.steps.enrich.class_args.paths: expected an array of strings`).
public struct StepArguments: Sendable {
    /// The raw arguments object.
    public let values: ValueObject
    /// JSON path of the arguments object, prefixed to error messages.
    public let path: String

    /// Arguments `values` found at `path`.
    public init(_ values: ValueObject, path: String) {
        self.values = values
        self.path = path
    }

    /// The error for argument `key` with `reason`.
    public func invalid(_ key: String, _ reason: String) -> GraphError {
        .invalidArgument(path: "\(path).\(key)", reason: reason)
    }

    /// The raw value of `key`, or `nil` when absent or null.
    public func optional(_ key: String) -> Value? {
        guard let value = values[key], !value.isNull else { return nil }
        return value
    }

    /// The raw value of a required argument.
    public func required(_ key: String) throws(GraphError) -> Value {
        guard let value = optional(key) else { throw invalid(key, "missing required argument") }
        return value
    }

    /// A string argument, `nil` when absent.
    public func string(_ key: String) throws(GraphError) -> String? {
        guard let value = optional(key) else { return nil }
        guard let string = value.stringValue else { throw invalid(key, "expected a string, got \(value.typeName)") }
        return string
    }

    /// A boolean argument, `nil` when absent.
    public func bool(_ key: String) throws(GraphError) -> Bool? {
        guard let value = optional(key) else { return nil }
        guard let bool = value.boolValue else { throw invalid(key, "expected a boolean, got \(value.typeName)") }
        return bool
    }

    /// An array of strings, `nil` when absent.
    public func strings(_ key: String) throws(GraphError) -> [String]? {
        guard let value = optional(key) else { return nil }
        guard let array = value.arrayValue else { throw invalid(key, "expected an array of strings") }
        var strings: [String] = []
        strings.reserveCapacity(array.count)
        for element in array {
            guard let string = element.stringValue else { throw invalid(key, "expected an array of strings") }
            strings.append(string)
        }
        return strings
    }

    /// An object, `nil` when absent.
    public func object(_ key: String) throws(GraphError) -> ValueObject? {
        guard let value = optional(key) else { return nil }
        guard let object = value.objectValue else { throw invalid(key, "expected an object, got \(value.typeName)") }
        return object
    }

    /// An object whose members are all strings, `nil` when absent.
    public func stringMap(_ key: String) throws(GraphError) -> [(String, String)]? {
        guard let object = try object(key) else { return nil }
        var pairs: [(String, String)] = []
        for (name, value) in object.members {
            guard let string = value.stringValue else {
                throw invalid("\(key).\(name)", "expected a string, got \(value.typeName)")
            }
            pairs.append((name, string))
        }
        return pairs
    }

    /// Fails when an argument other than `known` is present (catches misspelled keys at load).
    public func rejectUnknown(_ known: Set<String>) throws(GraphError) {
        for key in values.keys where !known.contains(key) {
            throw invalid(key, "unknown argument (expected one of: \(known.sorted().joined(separator: ", ")))")
        }
    }
}
