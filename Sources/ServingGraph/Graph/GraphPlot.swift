/// Renders a graph's structure as text: Graphviz DOT or a Mermaid flowchart (MLRun's `plot()`).
///
/// One node per step (a box for a task, a diamond for a router, an octagon/hexagon for an error
/// handler), a `_start` node leading to the start steps, solid edges from `after` links, edges
/// labelled with the route name from a router to its routes, and dashed edges from a step to the
/// handler of its failures (its own, else the graph's). Responders are drawn with a double border.
///
/// ```swift
/// print(GraphPlot.dot(graph))   // paste into `dot -Tsvg`
/// ```
public enum GraphPlot {
    /// One drawable node.
    struct Node {
        enum Shape { case task, router, handler, start }
        let name: String
        let shape: Shape
        let isResponder: Bool
    }

    /// One drawable edge.
    struct Edge {
        let from: String
        let to: String
        let label: String?
        let dashed: Bool
    }

    /// The graph as Graphviz DOT text.
    public static func dot(_ graph: Graph) -> String {
        let (nodes, edges) = layout(graph)
        var lines = ["digraph {", "  rankdir=TB;"]
        for node in nodes {
            let shape: String
            switch node.shape {
            case .task: shape = "box"
            case .router: shape = "diamond"
            case .handler: shape = "octagon"
            case .start: shape = "circle"
            }
            let peripheries = node.isResponder ? ", peripheries=2" : ""
            lines.append("  \(quoted(node.name)) [shape=\(shape)\(peripheries)];")
        }
        for edge in edges {
            var attributes: [String] = []
            if let label = edge.label { attributes.append("label=\(quoted(label))") }
            if edge.dashed { attributes.append("style=dashed") }
            let suffix = attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]"
            lines.append("  \(quoted(edge.from)) -> \(quoted(edge.to))\(suffix);")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The graph as a Mermaid `flowchart TD` (node ids `n0`, `n1`... with the step names as labels).
    public static func mermaid(_ graph: Graph) -> String {
        let (nodes, edges) = layout(graph)
        var ids: [String: String] = [:]
        var lines = ["flowchart TD"]
        for (i, node) in nodes.enumerated() {
            let id = "n\(i)"
            ids[node.name] = id
            let label = "\"" + node.name.replacingQuotes() + "\""
            switch node.shape {
            case .task: lines.append(node.isResponder ? "  \(id)[[\(label)]]" : "  \(id)[\(label)]")
            case .router: lines.append("  \(id){\(label)}")
            case .handler: lines.append("  \(id){{\(label)}}")
            case .start: lines.append("  \(id)((\(label)))")
            }
        }
        for edge in edges {
            guard let from = ids[edge.from], let to = ids[edge.to] else { continue }
            let arrow = edge.dashed ? "-.->" : "-->"
            if let label = edge.label {
                lines.append("  \(from) \(arrow)|\"\(label.replacingQuotes())\"| \(to)")
            } else {
                lines.append("  \(from) \(arrow) \(to)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Nodes and edges in declaration order, shared by both renderers.
    static func layout(_ graph: Graph) -> (nodes: [Node], edges: [Edge]) {
        var nodes = [Node(name: "_start", shape: .start, isResponder: false)]
        var edges: [Edge] = []
        func addRoutes(of router: String, _ routes: [(name: String, step: any Step)]) {
            for route in routes {
                // A route that routes again (an ensemble under a router) is drawn with its own routes.
                let inner = route.step as? any RoutingStep
                nodes.append(Node(name: route.step.name, shape: inner == nil ? .task : .router, isResponder: false))
                edges.append(Edge(from: router, to: route.step.name, label: route.name, dashed: false))
                if let inner { addRoutes(of: route.step.name, inner.routes) }
            }
        }
        if graph.topology == .router {
            nodes.append(Node(name: graph.routerName, shape: .router, isResponder: true))
            edges.append(Edge(from: "_start", to: graph.routerName, label: nil, dashed: false))
            addRoutes(of: graph.routerName, graph.routes)
            return (nodes, edges)
        }
        for node in graph.nodes {
            let router = node.step as? any RoutingStep
            let shape: Node.Shape = node.role == .errorHandler ? .handler : (router == nil ? .task : .router)
            nodes.append(Node(name: node.name, shape: shape, isResponder: node.isResponder))
            if node.role == .flow {
                if node.after.isEmpty { edges.append(Edge(from: "_start", to: node.name, label: nil, dashed: false)) }
                for parent in node.after { edges.append(Edge(from: parent, to: node.name, label: nil, dashed: false)) }
                if let handler = node.onError ?? graph.graphErrorHandler {
                    edges.append(Edge(from: node.name, to: handler, label: nil, dashed: true))
                }
            }
            if let router { addRoutes(of: node.name, router.routes) }
        }
        return (nodes, edges)
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingQuotes() + "\""
    }
}

extension String {
    /// The text with `"` replaced by `'`, safe inside DOT and Mermaid quoted labels.
    fileprivate func replacingQuotes() -> String {
        String(map { $0 == "\"" ? "'" : $0 })
    }
}
