/// A serving graph under construction: a `flow` (a DAG of steps joined by `after`) or a `router`
/// (named routes, one chosen per event). Build it in Swift or load it from JSON (``GraphSpec``),
/// then ``compile()`` it into a runnable ``CompiledGraph``.
///
/// Loop-confined like its steps: each event loop builds its own graph.
///
/// ```swift
/// let graph = Graph.flow()
/// graph.to(RenameStep(name: "rename", mapping: ["amt": "amount"]))
///     .to(try ComputeStep(name: "features", expressions: [("ratio", "amount / amount_avg_1h")]))
///     .respond()
/// graph.errorHandler(MyErrorStep())          // optional: its output answers failed events
/// let compiled = try graph.compile()          // validation happens here, once
/// let response = try compiled.run(Event(body: ["amt": 10, "amount_avg_1h": 5]))
/// ```
///
/// Semantics follow MLRun's async flow (reference/mlrun.md §3): each branch of a fork gets the event
/// as it left the fork; the responder's output is the response; steps on other branches still run
/// and their failures are logged and counted. Without a responder a single chain answers with its
/// last step's output and a graph with branches answers `{"id": <event id>}` (MLRun's async
/// engine). Joins (a step with two `after` steps) are rejected.
public final class Graph {
    /// The two graph topologies of MLRun.
    public enum Topology: Sendable, Equatable {
        /// A DAG of steps.
        case flow
        /// One router step whose routes are addressed by name.
        case router
    }

    /// Whether the graph is a flow or a router.
    public let topology: Topology
    /// When false (MLRun's `sync` engine) the flow must be one chain with one start step.
    public var allowsBranches: Bool = true
    /// The router topology's name (`router` by default).
    public let routerName: String
    /// How the router topology picks a route.
    public let routeSelector: RouteSelector

    var nodes: [GraphNode] = []
    var routes: [(name: String, step: any Step)] = []
    var graphErrorHandler: String?

    init(topology: Topology, routerName: String, routeSelector: RouteSelector) {
        self.topology = topology
        self.routerName = routerName
        self.routeSelector = routeSelector
    }

    /// An empty flow.
    public static func flow() -> Graph {
        Graph(topology: .flow, routerName: "router", routeSelector: .modelPath())
    }

    /// An empty router; add routes with ``addRoute(_:_:)``.
    public static func router(name: String = "router", selector: RouteSelector = .modelPath()) -> Graph {
        Graph(topology: .router, routerName: name, routeSelector: selector)
    }

    /// Adds a start step (a step after no other step) and returns it for chaining with `.to(...)`.
    @discardableResult
    public func to(_ step: any Step, options: StepOptions = StepOptions()) -> StepReference {
        add(step, after: [], options: options)
    }

    /// Adds `step` after the named steps (none: a start step).
    @discardableResult
    public func add(
        _ step: any Step, after: [String] = [], options: StepOptions = StepOptions(), responder: Bool = false
    ) -> StepReference {
        nodes.append(GraphNode(step: step, after: after, options: options, isResponder: responder))
        return StepReference(graph: self, name: step.name)
    }

    /// Adds a route to a router topology; the first route is the default.
    public func addRoute(_ name: String, _ step: any Step) {
        routes.append((name, step))
    }

    /// Sets the handler of any step failure that has no handler of its own; its output is the response.
    public func errorHandler(_ step: any Step, options: StepOptions = StepOptions()) {
        nodes.append(GraphNode(step: step, after: [], options: options, isResponder: false, role: .errorHandler))
        graphErrorHandler = step.name
    }

    /// Names of the flow's steps (error handlers included) in the order they were added.
    public var stepNames: [String] { nodes.map(\.step.name) }

    func index(of name: String) -> Int? {
        nodes.firstIndex { $0.step.name == name }
    }
}

@available(*, unavailable)
extension Graph: Sendable {}

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
