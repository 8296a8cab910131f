/// Replaces null fields with a per-field value from `mapping`, else `default_value` (MLRun's
/// `Imputer`; `method` is accepted and, as in MLRun, unused). Non-finite numbers count as null.
///
/// ```json
/// {"kind": "task", "class_name": "Imputer", "class_args": {"default_value": 0, "mapping": {"country": "US"}}}
/// ```
/// `{"country": null, "amount": null, "n": 2}` becomes `{"country": "US", "amount": 0, "n": 2}`.
public struct ImputerStep: Step {
    /// The step's name in the graph.
    public let name: String
    /// Field → replacement for null.
    public let mapping: ValueObject
    /// Replacement for fields not in `mapping`; `nil` leaves them null.
    public let defaultValue: Value?

    /// A step imputing nulls from `mapping`, else `defaultValue`.
    public init(name: String, mapping: ValueObject = ValueObject(), defaultValue: Value? = nil) {
        self.name = name
        self.mapping = mapping
        self.defaultValue = defaultValue
    }

    /// Builds the step from `{"default_value": ..., "mapping": {...}, "method": "avg"}`.
    public init(name: String, arguments: StepArguments) throws(GraphError) {
        try arguments.rejectUnknown(["method", "default_value", "mapping"])
        _ = try arguments.string("method")
        self.init(
            name: name, mapping: try arguments.object("mapping") ?? ValueObject(),
            defaultValue: arguments.optional("default_value"))
    }

    /// Applies the step to one event; see the type's documentation for what it does.
    public func run(_ event: Event) throws -> Event {
        var object = try event.bodyObject(for: name)
        for (field, value) in object.members where Self.isMissing(value) {
            if let replacement = mapping[field] ?? defaultValue { object[field] = replacement }
        }
        return event.replacingBody(with: object)
    }

    private static func isMissing(_ value: Value) -> Bool {
        switch value {
        case .null: true
        case .double(let d): !d.isFinite
        default: false
        }
    }
}
