/// Fills missing or null body fields with constants; present non-null fields are untouched and
/// missing ones are appended in the declared order.
///
/// ```json
/// {"kind": "task", "class_name": "Defaults", "class_args": {"values": {"country": "US", "amount": 0}}}
/// ```
/// `{"amount": null}` becomes `{"amount": 0, "country": "US"}`.
public struct DefaultsStep: Step {
    /// The step's name in the graph.
    public let name: String
    /// Field → value used when the field is missing or null.
    public let values: ValueObject

    /// A step filling fields from `values`.
    public init(name: String, values: ValueObject) {
        self.name = name
        self.values = values
    }

    /// Builds the step from `{"values": {...}}`.
    public init(name: String, arguments: StepArguments) throws(GraphError) {
        try arguments.rejectUnknown(["values"])
        guard let values = try arguments.object("values") else {
            throw arguments.invalid("values", "missing required argument")
        }
        self.init(name: name, values: values)
    }

    /// Applies the step to one event; see the type's documentation for what it does.
    public func run(_ event: Event) throws -> Event {
        var object = try event.bodyObject(for: name)
        for (key, value) in values.members where object[key]?.isNull ?? true {
            object[key] = value
        }
        return event.replacingBody(with: object)
    }
}
