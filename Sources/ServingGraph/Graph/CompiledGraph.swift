/// A validated graph ready to serve: a plain walk over a precomputed order, with no name lookups
/// per event. Loop-confined: build one per event loop (``Graph/compile()`` is cheap).
///
/// ``run(_:)`` returns the response event or throws the failure nobody handled. One bad event never
/// affects the next: the walk keeps no per-event state between calls.
public final class CompiledGraph {
    /// Steps in walk order (depth-first, branches in declaration order).
    let nodes: [CompiledNode]
    /// Error handlers, addressed by slot from the nodes.
    let handlers: [CompiledNode]
    /// Slot of the graph-wide error handler.
    let graphErrorHandler: Int?
    /// False when the graph has branches but no responder: the response is `{"id": <event id>}`.
    let hasResponsePath: Bool
    /// Number of steps with several children, whose outputs the walk keeps.
    let forkCount: Int
    private let logger = Logger(label: "graph")

    /// Failures on branches that do not lead to the response (logged, never answered), since creation.
    public private(set) var branchFailureCount = 0
    /// Per-step runs, failures and latencies, readable from any thread (`GET /metrics` sums every loop's).
    public let metrics: GraphMetrics
    /// The sample buffer of the last event, kept so events after the first do not allocate one. Every access is
    /// one statement (taken at the start of a run, put back at its end), so it skips the runtime's exclusivity
    /// check (~80 instructions per access).
    @exclusivity(unchecked) private var spareSamples: [GraphMetrics.Sample] = []

    init(
        nodes: [CompiledNode], handlers: [CompiledNode], graphErrorHandler: Int?, hasResponsePath: Bool, forkCount: Int
    ) {
        self.forkCount = forkCount
        self.nodes = nodes
        self.handlers = handlers
        self.graphErrorHandler = graphErrorHandler
        self.hasResponsePath = hasResponsePath
        self.metrics = GraphMetrics(stepNames: nodes.map(\.name) + handlers.map(\.name))
        spareSamples.reserveCapacity(nodes.count + 1)
        if handlers.isEmpty, graphErrorHandler == nil { Self.pairTensorSteps(nodes) }
    }

    /// Marks each ``ToTensorStep`` whose only child is a ``TensorInputStep`` fed by it, where nothing else can read
    /// the tensor body between them (no mapping, no fork, no error handler: the caller checked the graph has
    /// none), so the walk hands the child the numbers instead of the body.
    private static func pairTensorSteps(_ nodes: [CompiledNode]) {
        for i in nodes.indices.dropLast() {
            let (producer, consumer) = (nodes[i], nodes[i + 1])
            guard let tensorStep = producer.step as? ToTensorStep, let taker = consumer.step as? any TensorInputStep,
                producer.mapping == nil, consumer.mapping == nil, producer.forkSlot == nil,
                producer.subtreeEnd == i + 2, consumer.parent == i, consumer.input == .previous,
                producer.isOnResponsePath == consumer.isOnResponsePath
            else { continue }
            producer.tensorProducer = tensorStep
            consumer.tensorConsumer = taker
        }
    }

    /// Step names in walk order.
    public var stepNames: [String] { nodes.map(\.name) }

    /// Runs `event` through the graph and returns the response event.
    ///
    /// A failing step sends the event as it entered that step (with ``Event/error`` and
    /// ``Event/originStep`` set) to its own handler, else to the graph's handler; the handler's
    /// output is the response, or, when the handler has a `before` step, the input of that step,
    /// from which the walk continues. Unhandled failures on the response path are rethrown after
    /// the other branches ran.
    public func run(_ event: Event) throws -> Event {
        // A chain keeps no outputs: each step's input is the previous output. Forks save theirs.
        var walk = Walk(
            forkOutputs: forkCount == 0 ? [] : [Event](repeating: event, count: forkCount), samples: spareSamples)
        spareSamples = []
        self.walk(event, from: 0, to: nodes.count, firstInput: event, &walk)
        metrics.record(walk.samples, branchFailures: walk.branchFailures)
        walk.samples.removeAll(keepingCapacity: true)
        spareSamples = walk.samples
        if let failure = walk.failure { throw failure }
        if hasResponsePath, let response = walk.response { return response }
        var accepted = event
        accepted.body = .object(["id": .string(event.id)])
        return accepted
    }

    /// Per-event state of one run.
    private struct Walk {
        var forkOutputs: [Event]
        var response: Event?
        var failure: (any Error)?
        /// Timings of the steps run, folded into ``metrics`` once the event is done.
        var samples: [GraphMetrics.Sample]
        var branchFailures = 0
    }

    /// Runs walk slots `start..<end` of `request`, giving the first step `firstInput`.
    private func walk(_ request: Event, from start: Int, to end: Int, firstInput: Event, _ walk: inout Walk) {
        let nodes = self.nodes  // one retain for the walk instead of one per access
        var input = firstInput
        // A tensor step's numbers on their way to its child (see `pairTensorSteps`); its output event keeps its
        // input's body meanwhile, which nothing reads: the child answers instead, or the walk fails.
        var handoff: (rows: TensorRows, producer: ToTensorStep)?
        var i = start
        // One clock reading per step: a step's time runs from the previous reading to its own end.
        var clock = GraphMetrics.now()
        while i < end {
            let node = nodes[i]
            do {
                let output: Event
                if let producer = node.tensorProducer, let rows = try producer.tensorRows(of: input) {
                    handoff = (rows, producer)
                    output = input
                } else if let (rows, producer) = handoff, let consumer = node.tensorConsumer {
                    handoff = nil
                    output = try consumer.run(input, tensor: rows) { producer.body(rows) }
                } else {
                    output = try node.run(input)
                }
                let finished = GraphMetrics.now()
                walk.samples.append(GraphMetrics.Sample(slot: i, nanoseconds: finished &- clock, failed: false))
                clock = finished
                if node.isOnResponsePath { walk.response = output }
                if output.isTerminated {
                    i = node.subtreeEnd
                } else {
                    if let slot = node.forkSlot { walk.forkOutputs[slot] = output }
                    i += 1
                    // The next step in walk order is this step's first child, or starts another branch.
                    if i < end, case .previous = nodes[i].input {
                        input = output
                        continue
                    }
                }
            } catch {
                let failed = GraphMetrics.now()
                walk.samples.append(GraphMetrics.Sample(slot: i, nanoseconds: failed &- clock, failed: true))
                recover(from: error, at: node, request: request, input: input, &walk)
                i = node.subtreeEnd
                clock = GraphMetrics.now()
            }
            guard i < end else { break }
            switch nodes[i].input {
            case .request, .previous: input = request
            case .fork(let slot): input = walk.forkOutputs[slot]
            }
        }
    }

    /// Routes one step failure: to its handler (and on to the handler's `before` step), else to the
    /// response as a failure when the step is on the response path, else to the branch-failure count.
    @inline(never)  // the failure path stays out of the walk loop
    private func recover(
        from error: any Error, at node: CompiledNode, request: Event, input: Event, _ walk: inout Walk
    ) {
        if !node.isOnResponsePath {
            branchFailureCount += 1
            walk.branchFailures += 1
            logger.warning(
                "step failed on a branch that does not respond",
                [("step", node.name), ("event", request.id), ("error", "\(error)")])
        }
        switch handle(error, of: node, input: input, &walk) {
        case .success(let handlerOutput):
            if node.isOnResponsePath { walk.response = handlerOutput }
            let handler = node.errorHandler ?? graphErrorHandler
            if let resume = handler.flatMap({ handlers[$0].resumeSlot }) {
                self.walk(request, from: resume, to: nodes[resume].subtreeEnd, firstInput: handlerOutput, &walk)
            }
        case .failure(let unhandled):
            if node.isOnResponsePath { walk.failure = walk.failure ?? unhandled }
        }
    }

    /// Sends a failed event to the node's handler, else the graph's; `.failure` when none exists or it fails.
    private func handle(_ error: any Error, of node: CompiledNode, input: Event, _ walk: inout Walk) -> Result<
        Event, any Error
    > {
        guard let slot = node.errorHandler ?? graphErrorHandler else { return .failure(error) }
        var failed = input
        failed.error = error
        failed.originStep = node.name
        let start = GraphMetrics.now()
        do {
            let output = try handlers[slot].run(failed)
            walk.samples.append(
                GraphMetrics.Sample(slot: nodes.count + slot, nanoseconds: GraphMetrics.now() &- start, failed: false))
            return .success(output)
        } catch let handlerError {
            walk.samples.append(
                GraphMetrics.Sample(slot: nodes.count + slot, nanoseconds: GraphMetrics.now() &- start, failed: true))
            logger.error(
                "error handler failed",
                [("handler", handlers[slot].name), ("step", node.name), ("error", "\(handlerError)")])
            return .failure(handlerError)
        }
    }
}

@available(*, unavailable)
extension CompiledGraph: Sendable {}
