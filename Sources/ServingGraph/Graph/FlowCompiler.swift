/// Turns a flow's ``GraphNode``s (already checked for duplicate names and cycles) into the
/// precomputed walk of a ``CompiledGraph``: depth-first order, input sources, fork slots, the
/// response path, and error handlers with their resume points.
struct FlowCompiler {
    let nodes: [GraphNode]
    let graphErrorHandler: String?
    /// Indices of the steps that are part of the walk (not only error handlers), in declaration order.
    let flow: [Int]
    let slotByName: [String: Int]
    /// Children of each node (by `after`), in declaration order.
    let children: [[Int]]

    private var handlers: [CompiledNode] = []
    private var handlerSlotByNode: [Int: Int] = [:]
    /// Node index of each handler slot, to resolve its `before` once walk slots are known.
    private var handlerNodes: [Int] = []
    private var compiled: [CompiledNode] = []
    private var walkSlotByNode: [Int: Int] = [:]

    /// Resolves `after` links; throws when one names no walk step or a step has several (a join).
    init(nodes: [GraphNode], graphErrorHandler: String?) throws(GraphError) {
        self.nodes = nodes
        self.graphErrorHandler = graphErrorHandler
        flow = nodes.indices.filter { nodes[$0].role == .flow }
        var slots: [String: Int] = [:]
        for i in nodes.indices { slots[nodes[i].name] = i }
        slotByName = slots
        var children = [[Int]](repeating: [], count: nodes.count)
        for i in flow {
            for parent in nodes[i].after {
                guard let p = slots[parent], nodes[p].role == .flow else {
                    throw .unknownStep(path: "\(nodes[i].location).after", name: parent)
                }
                children[p].append(i)
            }
        }
        self.children = children
    }

    mutating func compile(allowsBranches: Bool) throws(GraphError) -> CompiledGraph {
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
        let graphHandler = try graphErrorHandler.map { name throws(GraphError) in
            try handlerSlot(name, referencedAt: "on_error")
        }
        if let graphHandler, let before = nodes[handlerNodes[graphHandler]].before {
            throw .unsupported(
                path: "\(nodes[handlerNodes[graphHandler]].location).before",
                reason: "the graph's error handler cannot resume the flow (at '\(before)')")
        }
        let onResponsePath = responsePath(responder: responders.first, isChain: isChain)
        for root in roots { try visit(root, parent: -1, onResponsePath: onResponsePath) }
        let forkCount = assignInputs()
        try resolveResumePoints()
        return CompiledGraph(
            nodes: compiled, handlers: handlers, graphErrorHandler: graphHandler,
            hasResponsePath: onResponsePath.contains(true), forkCount: forkCount)
    }

    /// The responder and its ancestors; without a responder a plain chain responds with its last step.
    private func responsePath(responder: Int?, isChain: Bool) -> [Bool] {
        var onPath = [Bool](repeating: false, count: nodes.count)
        var tip = responder ?? (isChain ? flow.first { children[$0].isEmpty } : nil)
        while let t = tip {
            onPath[t] = true
            tip = nodes[t].after.first.flatMap { slotByName[$0] }
        }
        return onPath
    }

    /// The handler slot of the step `name`, created on first reference.
    private mutating func handlerSlot(_ name: String, referencedAt path: String) throws(GraphError) -> Int {
        guard let target = slotByName[name] else { throw .unknownStep(path: path, name: name) }
        if let slot = handlerSlotByNode[target] { return slot }
        let node = nodes[target]
        handlers.append(
            CompiledNode(
                step: node.step, parent: -1, subtreeEnd: 0, isOnResponsePath: false, errorHandler: nil,
                options: node.options))
        handlerNodes.append(target)
        handlerSlotByNode[target] = handlers.count - 1
        return handlers.count - 1
    }

    /// Depth-first walk order: a branch's steps are contiguous, so skipping one is a jump.
    private mutating func visit(_ i: Int, parent: Int, onResponsePath: [Bool]) throws(GraphError) {
        let slot = compiled.count
        walkSlotByNode[i] = slot
        var handler: Int?
        if let name = nodes[i].onError {
            handler = try handlerSlot(name, referencedAt: "\(nodes[i].location).on_error")
        }
        let node = CompiledNode(
            step: nodes[i].step, parent: parent, subtreeEnd: 0, isOnResponsePath: onResponsePath[i],
            errorHandler: handler, options: nodes[i].options)
        compiled.append(node)
        for child in children[i] { try visit(child, parent: slot, onResponsePath: onResponsePath) }
        node.subtreeEnd = compiled.count
    }

    /// Decides each step's input source and numbers the forks; returns the number of forks.
    private func assignInputs() -> Int {
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
        return forkCount
    }

    /// A handler's `before` step must lie downstream of every step it handles (MLRun: "step x
    /// continues from the handler's output"); the walk resumes there with the handler's output.
    private func resolveResumePoints() throws(GraphError) {
        for (slot, nodeIndex) in handlerNodes.enumerated() {
            guard let before = nodes[nodeIndex].before else { continue }
            let path = "\(nodes[nodeIndex].location).before"
            guard let target = slotByName[before], let resume = walkSlotByNode[target] else {
                throw .unknownStep(path: path, name: before)
            }
            for failing in compiled where failing.errorHandler == slot {
                let start = walkSlotByNode[slotByName[failing.name] ?? -1] ?? -1
                guard resume > start && resume < failing.subtreeEnd else {
                    throw .invalidSpec(
                        path: path,
                        reason: "'\(before)' is not downstream of '\(failing.name)', whose failures it handles")
                }
            }
            handlers[slot].resumeSlot = resume
        }
    }
}
