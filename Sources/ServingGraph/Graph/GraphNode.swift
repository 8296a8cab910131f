/// One step of a ``Graph`` under construction, with its links and options.
struct GraphNode {
    /// Whether a node is part of the walk or only reached on a failure.
    enum Role: Equatable {
        case flow
        case errorHandler
    }

    var step: any Step
    var after: [String]
    var options: StepOptions
    var isResponder: Bool
    var role: Role = .flow
    /// Name of the step that handles this step's failures.
    var onError: String?
    /// For an error handler: the step that continues from the handler's output (MLRun's `before`).
    var before: String?
    /// Where the node came from, for error messages: its JSON path, or its name for Swift-built graphs.
    var source: String?

    var name: String { step.name }
    var location: String { source ?? name }
}
