/// Removes the listed fields from the body (MLRun's `DropFeatures`); absent fields are ignored.
///
/// ```json
/// {"kind": "task", "class_name": "DropFeatures", "class_args": {"features": ["ssn", "raw_text"]}}
/// ```
/// `{"ssn": "x", "amount": 5}` becomes `{"amount": 5}`.
public struct DropFeaturesStep: Step {
    /// The step's name in the graph.
    public let name: String
    /// The fields removed.
    public let features: [String]

    /// A step removing `features`.
    public init(name: String, features: [String]) {
        self.name = name
        self.features = features
    }

    /// Builds the step from `{"features": [...]}`.
    public init(name: String, arguments: StepArguments) throws(GraphError) {
        try arguments.rejectUnknown(["features"])
        guard let features = try arguments.strings("features") else {
            throw arguments.invalid("features", "missing required argument")
        }
        self.init(name: name, features: features)
    }

    /// Applies the step to one event; see the type's documentation for what it does.
    public func run(_ event: Event) throws -> Event {
        var object = try event.bodyObject(for: name)
        for feature in features { object[feature] = nil }
        return event.replacingBody(with: object)
    }
}
