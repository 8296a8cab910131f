extension CompiledGraph {
    /// The graph's only step when running the graph is exactly running that step: one responding
    /// step, no `input_path`/`result_path` mapping and no error handler. A server may then answer
    /// some requests by calling the step's own short path instead of ``run(_:)``, reporting the run
    /// with ``recordSingleStepRun(nanoseconds:failed:)`` so the step metrics stay the same.
    package var singleStep: (any Step)? {
        guard nodes.count == 1, handlers.isEmpty, graphErrorHandler == nil, hasResponsePath, forkCount == 0,
            let node = nodes.first, node.isOnResponsePath, node.mapping == nil, node.errorHandler == nil
        else { return nil }
        return node.step
    }

    /// Counts one run of ``singleStep`` that took `nanoseconds` (and threw when `failed`), as
    /// ``run(_:)`` counts it.
    package func recordSingleStepRun(nanoseconds: UInt64, failed: Bool) {
        metrics.record(GraphMetrics.Sample(slot: 0, nanoseconds: nanoseconds, failed: failed))
    }

    /// A monotonic clock reading in nanoseconds, the clock step timings use.
    package static func now() -> UInt64 { GraphMetrics.now() }
}
