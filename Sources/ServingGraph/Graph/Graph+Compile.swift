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
        let flow = nodes.indices.filter { nodes[$0].role == .flow }
        guard !flow.isEmpty else { throw .emptyFlow }
        try checkUniqueNames(nodes.map(\.name))
        var slotByName: [String: Int] = [:]
        for i in nodes.indices { slotByName[nodes[i].name] = i }

        // Links name existing flow steps.
        var children = [[Int]](repeating: [], count: nodes.count)
        for i in flow {
            for parent in nodes[i].after {
                guard let p = slotByName[parent], nodes[p].role == .flow else {
                    throw .unknownStep(path: "\(nodes[i].location).after", name: parent)
                }
                children[p].append(i)
            }
        }
        try checkAcyclic(flow: flow, slotByName: slotByName)
        for i in flow where nodes[i].after.count > 1 {
            throw .unsupported(
                path: "\(nodes[i].location).after",
                reason: "a step after several steps (a join) is not supported; chain them instead")
        }
        let responders = flow.filter { nodes[$0].isResponder }
        if responders.count > 1 {
            throw .multipleResponders(first: nodes[responders[0]].name, second: nodes[responders[1]].name)
        }
        let roots = flow.filter { nodes[$0].after.isEmpty }
        let isChain = roots.count == 1 && flow.allSatisfy { children[$0].count <= 1 }
        if !allowsBranches && !isChain {
            throw .invalidSpec(path: "engine", reason: "the sync engine allows one chain with one start step")
        }

        // Handlers: each referenced step becomes a handler slot.
        var handlerSlots: [Int: Int] = [:]
        var handlers: [CompiledNode] = []
        func handlerSlot(_ name: String, referencedAt path: String) throws(GraphError) -> Int {
            guard let target = slotByName[name] else { throw .unknownStep(path: path, name: name) }
            if let slot = handlerSlots[target] { return slot }
            let node = nodes[target]
            handlers.append(
                CompiledNode(
                    step: node.step, parent: -1, subtreeEnd: 0, isOnResponsePath: false, errorHandler: nil,
                    options: node.options))
            handlerSlots[target] = handlers.count - 1
            return handlers.count - 1
        }
        let graphHandler = try graphErrorHandler.map { name throws(GraphError) in
            try handlerSlot(name, referencedAt: "on_error")
        }

        // The response path: the responder and its ancestors; a plain chain responds with its last step.
        var onResponsePath = [Bool](repeating: false, count: nodes.count)
        var tip = responders.first ?? (isChain ? flow.first { children[$0].isEmpty } : nil)
        while let t = tip {
            onResponsePath[t] = true
            tip = nodes[t].after.first.flatMap { slotByName[$0] }
        }

        // Depth-first walk order: a branch's steps are contiguous, so skipping one is a jump.
        var compiled: [CompiledNode] = []
        func visit(_ i: Int, parent: Int) throws(GraphError) {
            let slot = compiled.count
            let handler = try nodes[i].onError.map { name throws(GraphError) in
                try handlerSlot(name, referencedAt: "\(nodes[i].location).on_error")
            }
            compiled.append(
                CompiledNode(
                    step: nodes[i].step, parent: parent, subtreeEnd: 0, isOnResponsePath: onResponsePath[i],
                    errorHandler: handler, options: nodes[i].options))
            for child in children[i] { try visit(child, parent: slot) }
            let node = compiled[slot]
            compiled[slot] = CompiledNode(
                step: node.step, parent: parent, subtreeEnd: compiled.count,
                isOnResponsePath: node.isOnResponsePath, errorHandler: handler, options: nodes[i].options)
        }
        for root in roots { try visit(root, parent: -1) }
        var forkCount = 0
        var childCount = [Int](repeating: 0, count: compiled.count)
        for node in compiled where node.parent >= 0 { childCount[node.parent] += 1 }
        for slot in compiled.indices where childCount[slot] > 1 {
            compiled[slot].forkSlot = forkCount
            forkCount += 1
        }
        for slot in compiled.indices {
            let parent = compiled[slot].parent
            if parent < 0 {
                compiled[slot].input = .request
            } else if parent == slot - 1 {
                compiled[slot].input = .previous
            } else if let fork = compiled[parent].forkSlot {
                compiled[slot].input = .fork(fork)
            }
        }
        return CompiledGraph(
            nodes: compiled, handlers: handlers, graphErrorHandler: graphHandler,
            hasResponsePath: onResponsePath.contains(true), forkCount: forkCount)
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
