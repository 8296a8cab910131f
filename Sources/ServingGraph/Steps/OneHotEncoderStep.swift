/// Replaces each mapped field by one 0/1 field per category, `<field>_<category>` with spaces and
/// dashes in string categories turned into `_` (MLRun's `OneHotEncoder`). A value that is not a
/// known category gives all zeros; unmapped fields pass through in place.
///
/// ```json
/// {"kind": "task", "class_name": "OneHotEncoder",
///  "class_args": {"mapping": {"category": ["food", "health"], "gender": ["male", "female"]}}}
/// ```
/// `{"category": "food", "n": 1}` becomes `{"category_food": 1, "category_health": 0, "n": 1}`.
public struct OneHotEncoderStep: Step {
    /// The step's name in the graph.
    public let name: String
    /// Field → its categories (strings or integers), in output order.
    public let mapping: [String: [Value]]
    private let columns: [String: [String]]
    private let logger = Logger(label: "graph")

    /// A step encoding the fields of `mapping`; categories must be strings or integers.
    public init(name: String, mapping: [String: [Value]]) {
        self.name = name
        self.mapping = mapping
        var columns: [String: [String]] = [:]
        for (field, categories) in mapping {
            columns[field] = categories.map { "\(field)_\(Self.sanitized($0))" }
        }
        self.columns = columns
    }

    /// Builds the step from `{"mapping": {"field": ["category", ...]}}`.
    public init(name: String, arguments: StepArguments) throws(GraphError) {
        try arguments.rejectUnknown(["mapping"])
        guard let object = try arguments.object("mapping") else {
            throw arguments.invalid("mapping", "missing required argument")
        }
        var mapping: [String: [Value]] = [:]
        for (field, value) in object.members {
            guard let categories = value.arrayValue,
                categories.allSatisfy({ if case .string = $0 { true } else if case .int = $0 { true } else { false } })
            else {
                throw arguments.invalid("mapping.\(field)", "expected an array of string or integer categories")
            }
            mapping[field] = categories
        }
        self.init(name: name, mapping: mapping)
    }

    static func sanitized(_ category: Value) -> String {
        switch category {
        case .string(let s): String(s.map { $0 == " " || $0 == "-" ? "_" : $0 })
        default: MapValuesStep.tableKey(category) ?? category.typeName
        }
    }

    /// Applies the step to one event; see the type's documentation for what it does.
    public func run(_ event: Event) throws -> Event {
        let object = try event.bodyObject(for: name)
        var output = ValueObject(minimumCapacity: object.count)
        for (field, value) in object.members {
            guard let categories = mapping[field], let names = columns[field] else {
                output[field] = value
                continue
            }
            let hit = categories.firstIndex { Self.matches($0, value) }
            if hit == nil { logger.debug("value is not a known category", [("step", name), ("field", field)]) }
            for (i, column) in names.enumerated() { output[column] = .int(i == hit ? 1 : 0) }
        }
        return event.replacingBody(with: output)
    }

    private static func matches(_ category: Value, _ value: Value) -> Bool {
        if let a = category.doubleValue, let b = value.doubleValue { return a == b }
        return category == value
    }
}
