/// Keeps only the listed body fields, in the listed order; listed fields missing from the body are left out.
///
/// ```json
/// {"kind": "task", "class_name": "Select", "class_args": {"fields": ["amount", "customer_id"]}}
/// ```
/// `{"customer_id": "c1", "x": 1, "amount": 5}` becomes `{"amount": 5, "customer_id": "c1"}`.
public struct SelectStep: Step {
    /// The step's name in the graph.
    public let name: String
    /// The fields kept, in output order.
    public let fields: [String]

    /// A step keeping `fields`.
    public init(name: String, fields: [String]) {
        self.name = name
        self.fields = fields
    }

    /// Builds the step from `{"fields": [...]}`.
    public init(name: String, arguments: StepArguments) throws(GraphError) {
        try arguments.rejectUnknown(["fields"])
        guard let fields = try arguments.strings("fields") else {
            throw arguments.invalid("fields", "missing required argument")
        }
        self.init(name: name, fields: fields)
    }

    /// Applies the step to one event; see the type's documentation for what it does.
    public func run(_ event: Event) throws -> Event {
        let object = try event.bodyObject(for: name)
        var selected = ValueObject(minimumCapacity: fields.count)
        for field in fields {
            if let value = object[field] { selected[field] = value }
        }
        return event.replacingBody(with: selected)
    }
}
