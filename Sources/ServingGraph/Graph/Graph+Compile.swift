extension Graph {
    /// Validates the graph and precomputes its walk.
    ///
    /// Rejects (with a ``GraphError`` naming the step): an empty flow, two steps with one name, an
    /// `after` or `on_error` naming no step, a cycle, a join (two `after` steps), two responders,
    /// branches under the `sync` engine, and a router without routes.
    public func compile() throws(GraphError) -> CompiledGraph {
        switch topology {
        case .router: return try compileRouter()
        case .flow: return try compileFlow()
        }
    }

    private func compileRouter() throws(GraphError) -> CompiledGraph {
        guard !routes.isEmpty else { throw .noRoutes(path: routerName) }
        try checkUniqueNames(routes.map(\.name))
        let router = RouterStep(name: routerName, routes: routes, selector: routeSelector)
        let node = CompiledNode(
            step: router, parent: -1, subtreeEnd: 1, isOnResponsePath: true, errorHandler: nil, options: StepOptions())
        var handlers: [CompiledNode] = []
        if let name = graphErrorHandler {
            guard let handler = nodes.first(where: { $0.name == name }) else {
                throw .unknownStep(path: "on_error", name: name)
            }
            handlers.append(
                CompiledNode(
                    step: handler.step, parent: -1, subtreeEnd: 0, isOnResponsePath: false, errorHandler: nil,
                    options: handler.options))
        }
        return CompiledGraph(
            nodes: [node], handlers: handlers, graphErrorHandler: handlers.isEmpty ? nil : 0, hasResponsePath: true,
            forkCount: 0)
    }

    private func compileFlow() throws(GraphError) -> CompiledGraph {
        guard nodes.contains(where: { $0.role == .flow }) else { throw .emptyFlow }
        try checkUniqueNames(nodes.map(\.name))
        var compiler = try FlowCompiler(nodes: nodes, graphErrorHandler: graphErrorHandler)
        try checkAcyclic(flow: compiler.flow, slotByName: compiler.slotByName)
        return try compiler.compile(allowsBranches: allowsBranches)
    }

    private func checkUniqueNames(_ names: [String]) throws(GraphError) {
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw .duplicateStep(name: name)
        }
    }

    /// Kahn's algorithm; steps left over sit on or behind a cycle, and following `after` links from
    /// one of them reaches the cycle, which is reported in walk direction.
    private func checkAcyclic(flow: [Int], slotByName: [String: Int]) throws(GraphError) {
        var pending = [Int](repeating: 0, count: nodes.count)
        var children = [[Int]](repeating: [], count: nodes.count)
        for i in flow {
            for parent in nodes[i].after {
                if let p = slotByName[parent] { children[p].append(i) }
                pending[i] += 1
            }
        }
        var ready = flow.filter { pending[$0] == 0 }
        var done = Set<Int>()
        while let i = ready.popLast() {
            done.insert(i)
            for c in children[i] {
                pending[c] -= 1
                if pending[c] == 0 { ready.append(c) }
            }
        }
        guard let start = flow.first(where: { !done.contains($0) }) else { return }
        var path: [Int] = []
        var current = start
        while !path.contains(current) {
            path.append(current)
            guard let next = nodes[current].after.compactMap({ slotByName[$0] }).first(where: { !done.contains($0) })
            else { break }
            current = next
        }
        let loop = path.firstIndex(of: current).map { Array(path[$0...]) } ?? path
        // Walk direction, starting from the step declared first, so the message is stable.
        var ordered = Array(loop.reversed())
        if let first = ordered.indices.min(by: { ordered[$0] < ordered[$1] }) {
            ordered = Array(ordered[first...] + ordered[..<first])
        }
        let names = ordered.map { nodes[$0].name }
        throw .cycle(steps: names + names.prefix(1))
    }
}
