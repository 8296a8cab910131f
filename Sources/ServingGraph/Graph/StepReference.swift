/// A step already added to a ``Graph``, returned by `to(...)` so chains read like MLRun's
/// `graph.to(a).to(b).respond()`.
public struct StepReference {
    let graph: Graph
    /// The name of the referenced step.
    public let name: String

    /// Adds `step` after this one and returns it.
    @discardableResult
    public func to(_ step: any Step, options: StepOptions = StepOptions()) -> StepReference {
        graph.add(step, after: [name], options: options)
    }

    /// Marks this step as the responder: its output is the response.
    @discardableResult
    public func respond() -> StepReference {
        if let i = graph.index(of: name) { graph.nodes[i].isResponder = true }
        return self
    }

    /// Sends this step's failures to `handler` (added as an error step); returns this step.
    ///
    /// Without `before` the handler's output is the response; with `before: "x"` the flow continues
    /// at step `x` (downstream of this step) with the handler's output, as MLRun's `before`.
    @discardableResult
    public func onError(
        _ handler: any Step, before: String? = nil, options: StepOptions = StepOptions()
    ) -> StepReference {
        var node = GraphNode(step: handler, after: [], options: options, isResponder: false, role: .errorHandler)
        node.before = before
        graph.nodes.append(node)
        if let i = graph.index(of: name) { graph.nodes[i].onError = handler.name }
        return self
    }
}

@available(*, unavailable)
extension StepReference: Sendable {}
