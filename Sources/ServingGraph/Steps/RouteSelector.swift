/// How a ``RouterStep`` picks the route for an event: a function from the event to a route name
/// (`nil` picks the first route) and, optionally, the path the chosen route sees.
public struct RouteSelector: Sendable {
    /// A selector's decision.
    public struct Choice: Sendable, Equatable {
        /// The route name; `nil` means the first (default) route.
        public var route: String?
        /// The path to give the chosen route; `nil` keeps the event's path.
        public var path: String?

        /// A decision for `route`, rewriting the event path to `path` when given.
        public init(route: String?, path: String? = nil) {
            self.route = route
            self.path = path
        }
    }

    let choose: @Sendable (Event) -> Choice

    /// A selector from any function of the event.
    public init(_ choose: @escaping @Sendable (Event) -> Choice) {
        self.choose = choose
    }

    /// Picks the route named by the body member `key` (a string), else the first route.
    public static func bodyField(_ key: String = "model") -> RouteSelector {
        RouteSelector { event in Choice(route: event.body[key]?.stringValue) }
    }

    /// MLRun's model-router rule (reference/mlrun.md §2.1): under `prefix` the path is
    /// `<model>[/versions/<v>][/<operation>]`, selecting route `model` (or `model:v`) and giving the
    /// route the operation (default `infer`) as its path; elsewhere the body's `model` member, else
    /// the first route. A body `operation` member overrides the path's operation.
    public static func modelPath(prefix: String = "/v2/models") -> RouteSelector {
        RouteSelector { event in
            let bodyModel = event.body["model"]?.stringValue
            let bodyOperation = event.body["operation"]?.stringValue
            guard event.path.hasPrefix(prefix) else {
                return Choice(route: bodyModel, path: bodyOperation)
            }
            let rest = event.path.dropFirst(prefix.count).split(separator: "/").map(String.init)
            guard let model = rest.first else { return Choice(route: bodyModel, path: bodyOperation) }
            var route = model
            var operation = Array(rest.dropFirst())
            if operation.count >= 2 && operation[0] == "versions" {
                route += ":" + operation[1]
                operation.removeFirst(2)
            }
            let path = bodyOperation ?? (operation.isEmpty ? "infer" : operation.joined(separator: "/"))
            return Choice(route: route, path: path)
        }
    }
}
