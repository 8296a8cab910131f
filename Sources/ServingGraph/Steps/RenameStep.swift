/// Renames body fields; a field keeps its position, other fields are untouched.
///
/// ```json
/// {"kind": "task", "class_name": "Rename", "class_args": {"mapping": {"amt": "amount", "cust": "customer_id"}}}
/// ```
/// `{"amt": 5, "x": 1}` becomes `{"amount": 5, "x": 1}`.
public struct RenameStep: Step {
    /// The step's name in the graph.
    public let name: String
    /// Old name → new name.
    public let mapping: [String: String]

    /// A step renaming fields by `mapping` (old name → new name).
    public init(name: String, mapping: [String: String]) {
        self.name = name
        self.mapping = mapping
    }

    /// Builds the step from `{"mapping": {"old": "new"}}`.
    public init(name: String, arguments: StepArguments) throws(GraphError) {
        try arguments.rejectUnknown(["mapping"])
        guard let pairs = try arguments.stringMap("mapping") else {
            throw arguments.invalid("mapping", "missing required argument")
        }
        self.init(name: name, mapping: Dictionary(pairs) { _, last in last })
    }

    /// Applies the step to one event; see the type's documentation for what it does.
    public func run(_ event: Event) throws -> Event {
        let object = try event.bodyObject(for: name)
        var renamed = ValueObject(minimumCapacity: object.count)
        for (key, value) in object.members {
            renamed[mapping[key] ?? key] = value
        }
        return event.replacingBody(with: renamed)
    }
}
