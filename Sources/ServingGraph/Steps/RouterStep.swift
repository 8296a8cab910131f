/// A step that forwards each event to one of its routes, chosen by name by a ``RouteSelector``
/// (MLRun's router step; `class_name: ""` in a spec). Routes are steps, so models served by the
/// `ModelServer` module sit here like any other step.
///
/// ```json
/// {"kind": "router", "routes": {"m1": {"class_name": "M"}, "m2": {"class_name": "M"}}}
/// ```
public struct RouterStep: Step {
    /// The step's name in the graph.
    public let name: String
    /// Routes in declaration order; the first is the default.
    public let routes: [(name: String, step: any Step)]
    /// Picks the route per event.
    public let selector: RouteSelector
    private let slotByName: [String: Int]

    /// A router over `routes` (must not be empty when run; graph compilation checks it).
    public init(name: String, routes: [(name: String, step: any Step)], selector: RouteSelector = .modelPath()) {
        self.name = name
        self.routes = routes
        self.selector = selector
        var slots: [String: Int] = [:]
        for (i, route) in routes.enumerated() where slots[route.name] == nil { slots[route.name] = i }
        self.slotByName = slots
    }

    /// Runs the chosen route; an unknown route name is ``ServingError/notFound(_:)``.
    public func run(_ event: Event) throws -> Event {
        let choice = selector.choose(event)
        let slot: Int
        if let route = choice.route {
            guard let found = slotByName[route] else {
                let available = routes.map(\.name).joined(separator: " | ")
                throw ServingError.notFound("model '\(route)' does not exist, available models: \(available)")
            }
            slot = found
        } else {
            guard !routes.isEmpty else { throw ServingError.notFound("router '\(name)' has no routes") }
            slot = 0
        }
        var routed = event
        if let path = choice.path { routed.path = path }
        return try routes[slot].step.run(routed)
    }
}
