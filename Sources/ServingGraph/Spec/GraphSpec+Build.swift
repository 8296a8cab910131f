extension GraphSpec {
    /// Builds the graph, resolving every `class_name` (or `handler`) through `registry`.
    ///
    /// Errors name the step's JSON path: an unknown class, bad `class_args`, a router without
    /// routes, or a factory that returned a step with another name. Call ``Graph/compile()`` on
    /// the result to check links (and get the runnable graph).
    public func makeGraph(registry: StepRegistry, logger: Logger = Logger(label: "graph")) throws(GraphError) -> Graph {
        let graph = Graph.flow()
        graph.allowsBranches = !isSyncEngine
        switch kind {
        case .router:
            guard let router else { throw .noRoutes(path: "\(path).routes") }
            let step = try makeStep(router, registry: registry, logger: logger)
            graph.nodes.append(
                GraphNode(step: step, after: [], options: router.options, isResponder: true, source: router.path))
        case .flow:
            for spec in steps {
                let step = try makeStep(spec, registry: registry, logger: logger)
                var node = GraphNode(
                    step: step, after: spec.after, options: spec.options, isResponder: spec.responder,
                    role: spec.kind == .errorStep ? .errorHandler : .flow, source: spec.path)
                node.onError = spec.onError
                node.before = spec.before
                graph.nodes.append(node)
            }
            graph.graphErrorHandler = onError
        }
        return graph
    }

    private func makeStep(_ spec: StepSpec, registry: StepRegistry, logger: Logger) throws(GraphError) -> any Step {
        var routes: [(name: String, step: any Step)] = []
        var className: String
        switch spec.kind {
        case .router:
            guard !spec.routes.isEmpty else { throw .noRoutes(path: "\(spec.path).routes") }
            for route in spec.routes {
                let step = try makeStep(route, registry: registry, logger: logger)
                // A route is a plain step inside its router, so its path options travel with it.
                routes.append(
                    (route.name, PathMapping(route.options).map { PathMappedStep(step: step, mapping: $0) } ?? step))
            }
            // MLRun: "" or "*" is the default router, "*Name" the router class Name.
            className = spec.className ?? ""
            if className.hasPrefix("*") { className.removeFirst() }
        case .task, .errorStep:
            guard let name = spec.className ?? spec.handler, !name.isEmpty else {
                throw .invalidSpec(
                    path: spec.path, reason: "a \(spec.kind.rawValue) step needs a class_name or handler")
            }
            className = name
        }
        let classPath = spec.className != nil ? "\(spec.path).class_name" : "\(spec.path).handler"
        guard let factory = registry.factory(for: className) else {
            throw .unknownClass(path: classPath, className: className)
        }
        let arguments = StepArguments(spec.classArgs, path: "\(spec.path).class_args")
        let context = StepContext(name: spec.name, path: spec.path, routes: routes, logger: logger)
        let step: any Step
        do {
            step = try factory(arguments, context)
        } catch let error as GraphError {
            throw error
        } catch {
            throw .invalidArgument(path: arguments.path, reason: "\(error)")
        }
        guard step.name == spec.name else {
            throw .invalidSpec(
                path: classPath, reason: "class '\(className)' built a step named '\(step.name)', not '\(spec.name)'")
        }
        return step
    }
}
