/// An error handler that answers with what failed: the body becomes
/// `{"error": "<the failure>", "step": "<the failing step>"}`, plus the members of `defaults`
/// (a fallback answer) and, with `include_body`, the body as it entered the failing step.
///
/// As every error handler's output (MLRun, reference/mlrun.md §3.5), it is answered with status 200:
/// the client learns the request was handled, and why the normal path was not taken.
///
/// ```json
/// "catch": {"kind": "error_step", "class_name": "ReportError",
///           "class_args": {"defaults": {"decision": "review"}, "include_body": true}}
/// ```
public struct ReportErrorStep: Step {
    /// The step's name in the graph.
    public let name: String
    /// Members added to every answer (a fallback decision...).
    public let defaults: ValueObject
    /// Whether the answer carries the failed event's body under `body`.
    public let includesBody: Bool

    /// A handler answering with the failure, `defaults` and optionally the failed body.
    public init(name: String, defaults: ValueObject = ValueObject(), includesBody: Bool = false) {
        self.name = name
        self.defaults = defaults
        self.includesBody = includesBody
    }

    /// Builds the step from `{"defaults": {...}, "include_body": false}`.
    public init(name: String, arguments: StepArguments) throws(GraphError) {
        try arguments.rejectUnknown(["defaults", "include_body"])
        self.init(
            name: name, defaults: try arguments.object("defaults") ?? ValueObject(),
            includesBody: try arguments.bool("include_body") ?? false)
    }

    /// Replaces the body with the report; on the normal path (no error) it reports `null`.
    public func run(_ event: Event) throws -> Event {
        var report = ValueObject()
        report["error"] = event.error.map { .string("\($0)") } ?? .null
        report["step"] = event.originStep.map { .string($0) } ?? .null
        for (key, value) in defaults.members { report[key] = value }
        if includesBody { report["body"] = event.body }
        var out = event
        out.body = .object(report)
        return out
    }
}
