/// One step of a graph spec in MLRun's function-spec format (reference/mlrun.md §3.6):
/// `{"kind": "task", "class_name": "X", "class_args": {...}, "after": [...], "responder": true,
/// "input_path": ..., "result_path": ..., "full_event": ..., "on_error": ...}`.
///
/// Monitoring and documentation keys (`function`, `shape`, `comment`, `endpoint_type`,
/// `model_endpoint_*`...) are accepted and ignored.
public struct StepSpec: Sendable, Equatable {
    /// MLRun's step kinds; `queue`, `flow` and remote kinds are rejected at load.
    public enum Kind: String, Sendable, Equatable {
        /// A class or handler step.
        case task
        /// A router over named routes.
        case router
        /// A step reached only through `on_error`.
        case errorStep = "error_step"
    }

    /// The step's key in `steps` or `routes`.
    public var name: String
    /// JSON path of the step (`graph.steps.enrich`), used in error messages.
    public var path: String
    /// The topology or step kind.
    public var kind: Kind
    /// Registry name of the step class (`""` on a router: the default router).
    public var className: String?
    /// MLRun's function handler name; resolved through the registry like a class name.
    public var handler: String?
    /// `class_args`: the constructor arguments given to the registry factory.
    public var classArgs: ValueObject
    /// `after`: the steps whose output this step receives.
    public var after: [String]
    /// `on_error`: the step handling this step's failures.
    public var onError: String?
    /// `before` of an error step: the step that continues from the handler's output.
    public var before: String?
    /// `responder`: this step's output is the response.
    public var responder: Bool
    /// `input_path`, `result_path` and `full_event`.
    public var options: StepOptions
    /// A router's routes in declaration order.
    public var routes: [StepSpec]

    /// Parses the step `name` from `value` found at `path`.
    public init(name: String, value: Value, path: String) throws(GraphError) {
        guard let object = value.objectValue else {
            throw .invalidSpec(path: path, reason: "expected an object, got \(value.typeName)")
        }
        let spec = SpecReader(object: object, path: path)
        self.name = name
        self.path = path
        let kindName = try spec.string("kind") ?? "task"
        switch kindName {
        case "task": kind = .task
        case "router": kind = .router
        case "error_step": kind = .errorStep
        case "flow", "queue", "remote", "model_runner", "monitoring_application", "hub_task":
            throw .unsupported(path: "\(path).kind", reason: "step kind '\(kindName)'")
        default: throw .invalidSpec(path: "\(path).kind", reason: "unknown step kind '\(kindName)'")
        }
        className = try spec.string("class_name")
        handler = try spec.string("handler")
        classArgs = try spec.object("class_args") ?? ValueObject()
        for key in classArgs.keys where key.hasPrefix("_") {
            throw .unsupported(path: "\(path).class_args.\(key)", reason: "callable arguments ('_' keys)")
        }
        after = try spec.names("after")
        let before = try spec.names("before")
        if before.count > 1 || (!before.isEmpty && kind != .errorStep) {
            throw .unsupported(
                path: "\(path).before", reason: "'before' other than one step after an error_step's handler")
        }
        self.before = before.first
        onError = try spec.string("on_error")
        responder = try spec.bool("responder") ?? false
        options = StepOptions(
            inputPath: try spec.string("input_path"), resultPath: try spec.string("result_path"),
            fullEvent: try spec.bool("full_event") ?? false)
        routes = []
        if let routeObject = try spec.object("routes") {
            for (routeName, routeValue) in routeObject.members {
                routes.append(try StepSpec(name: routeName, value: routeValue, path: "\(path).routes.\(routeName)"))
            }
        }
        if kind != .router && !routes.isEmpty {
            throw .invalidSpec(path: "\(path).routes", reason: "only a router step has routes")
        }
    }
}
