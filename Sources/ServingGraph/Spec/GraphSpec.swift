/// A serving graph as JSON in MLRun's function-spec format (reference/mlrun.md §3.6): a flow
/// `{"kind": "flow", "engine": "async", "steps": {...}, "on_error": "catch"}` or a router
/// `{"kind": "router", "name": "router", "class_name": "", "routes": {...}}`.
///
/// Parsing checks shapes and types; ``makeGraph(registry:)`` resolves class names and compiling
/// the graph checks links, so every error names its JSON path before any port is bound.
///
/// ```swift
/// let spec = try GraphSpec(value, path: "graph")
/// let compiled = try spec.makeGraph(registry: .standard).compile()
/// ```
public struct GraphSpec: Sendable, Equatable {
    /// The two root topologies.
    public enum Kind: String, Sendable, Equatable {
        /// A DAG of steps.
        case flow
        /// One router over named routes.
        case router
    }

    /// The topology or step kind.
    public var kind: Kind
    /// JSON path of the graph object (`graph` in a service file).
    public var path: String
    /// Flow steps in declaration order (flow only).
    public var steps: [StepSpec]
    /// The root router as a step (router only).
    public var router: StepSpec?
    /// MLRun's engine: `async` allows branches, `sync` one chain.
    public var isSyncEngine: Bool
    /// The graph-wide error handler's step name.
    public var onError: String?

    /// Parses a graph object found at `path`.
    public init(_ value: Value, path: String = "graph") throws(GraphError) {
        guard let object = value.objectValue else {
            throw .invalidSpec(path: path, reason: "expected an object, got \(value.typeName)")
        }
        let spec = SpecReader(object: object, path: path)
        self.path = path
        let kindName = try spec.string("kind") ?? (object["routes"] != nil ? "router" : "flow")
        guard let kind = Kind(rawValue: kindName) else {
            throw .invalidSpec(
                path: "\(path).kind", reason: "unknown graph kind '\(kindName)' (expected flow or router)")
        }
        self.kind = kind
        let engine = try spec.string("engine") ?? "async"
        guard engine == "async" || engine == "sync" else {
            throw .invalidSpec(path: "\(path).engine", reason: "unknown engine '\(engine)' (expected async or sync)")
        }
        isSyncEngine = engine == "sync"
        if try spec.bool("allow_cyclic") == true {
            throw .unsupported(path: "\(path).allow_cyclic", reason: "cyclic graphs")
        }
        onError = try spec.string("on_error")
        steps = []
        router = nil
        switch kind {
        case .flow:
            let stepsObject = try spec.object("steps") ?? ValueObject()
            for (name, stepValue) in stepsObject.members {
                steps.append(try StepSpec(name: name, value: stepValue, path: "\(path).steps.\(name)"))
            }
            if let finalStep = try spec.string("final_step"), !steps.contains(where: \.responder) {
                guard let i = steps.firstIndex(where: { $0.name == finalStep }) else {
                    throw .unknownStep(path: "\(path).final_step", name: finalStep)
                }
                steps[i].responder = true
            }
        case .router:
            var routerObject = object
            routerObject["kind"] = .string("router")
            let name = try spec.string("name") ?? "router"
            router = try StepSpec(name: name, value: .object(routerObject), path: path)
        }
    }
}

extension GraphSpec {
    /// Parses a graph from JSON text (`path` prefixes error messages).
    public init(json: String, path: String = "graph") throws(GraphError) {
        let value: Value
        do {
            value = try JSONParser.parse(json)
        } catch {
            throw .invalidSpec(path: path, reason: "not valid JSON: \(error)")
        }
        try self.init(value, path: path)
    }
}
