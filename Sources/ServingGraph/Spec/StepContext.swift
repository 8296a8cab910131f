/// What a ``StepRegistry`` factory gets besides its arguments: the step's name, where it sits in the
/// spec, its routes (routers only) and a logger.
public struct StepContext {
    /// The step's name (its key in `steps` or `routes`).
    public let name: String
    /// JSON path of the step, for error messages (`graph.steps.enrich`).
    public let path: String
    /// A router's routes, built before the router, in declaration order; empty for other steps.
    public let routes: [(name: String, step: any Step)]
    /// The logger steps should use.
    public let logger: Logger

    /// A context for the step `name` at `path`.
    public init(name: String, path: String, routes: [(name: String, step: any Step)] = [], logger: Logger) {
        self.name = name
        self.path = path
        self.routes = routes
        self.logger = logger
    }
}

@available(*, unavailable)
extension StepContext: Sendable {}
