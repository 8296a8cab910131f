import Testing

@testable import ServingGraph

/// A compiled graph counts each step's runs, failures and latency, its handlers', and the failures
/// of branches that do not respond.
struct GraphMetricsTests {
    private func step(_ snapshot: GraphMetrics.Snapshot, _ name: String) -> GraphMetrics.StepSnapshot? {
        snapshot.steps.first { $0.name == name }
    }

    @Test func countsRunsFailuresAndLatencyPerStepIncludingHandlersAndBranchFailures() throws {
        let graph = Graph.flow()
        let start = graph.to(TagStep(name: "start"))
        start.to(AddStep(name: "add", field: "n", amount: 1)).onError(CatchStep(name: "catch")).respond()
        start.to(FailStep(name: "side"))
        let compiled = try graph.compile()
        _ = try compiled.run(Event(body: ["n": 1]))
        _ = try compiled.run(Event(body: ["n": "not a number"]))
        let snapshot = compiled.metrics.snapshot()
        #expect(compiled.metrics.stepNames == ["start", "add", "side", "catch"])
        #expect(step(snapshot, "start")?.runs == 2)
        #expect(step(snapshot, "add")?.runs == 2)
        #expect(step(snapshot, "add")?.failures == 1)
        #expect(step(snapshot, "catch")?.runs == 1)
        #expect(step(snapshot, "catch")?.failures == 0)
        #expect(step(snapshot, "side")?.failures == 2)
        #expect(snapshot.branchFailures == 2)
        #expect(snapshot.branchFailures == UInt64(compiled.branchFailureCount))
        for entry in snapshot.steps {
            #expect(entry.buckets.reduce(0, +) == entry.runs, "\(entry.name)")
        }
    }

    @Test func anUnhandledFailureIsCountedBeforeItIsRethrown() throws {
        let graph = Graph.flow()
        graph.to(TagStep(name: "a")).to(FailStep(name: "b"))
        let compiled = try graph.compile()
        #expect(throws: ServingError.self) { try compiled.run(Event(body: [:])) }
        #expect(step(compiled.metrics.snapshot(), "b")?.failures == 1)
        #expect(step(compiled.metrics.snapshot(), "a")?.failures == 0)
    }

    @Test func reportErrorAnswersTheFailureTheStepAndTheFallback() throws {
        let graph = Graph.flow()
        graph.to(FailStep(name: "score", error: .invalidInput("no amount")))
        graph.errorHandler(ReportErrorStep(name: "report", defaults: ["decision": "review"], includesBody: true))
        let answer = try graph.compile().run(Event(body: ["id": 3]))
        #expect(
            answer.body == [
                "error": "invalid input: no amount", "step": "score", "decision": "review", "body": ["id": 3],
            ])
    }

    @Test func plotDrawsARouterInsideARouteWithItsOwnRoutes() {
        let graph = Graph.flow()
        let inner = RouterStep(name: "ensemble", routes: [("a", EchoRouteStep(name: "model-a"))])
        graph.to(RouterStep(name: "outer", routes: [("e", inner), ("b", EchoRouteStep(name: "model-b"))])).respond()
        let dot = GraphPlot.dot(graph)
        #expect(dot.contains(#""ensemble" [shape=diamond];"#))
        #expect(dot.contains(#""outer" -> "ensemble" [label="e"];"#))
        #expect(dot.contains(#""ensemble" -> "model-a" [label="a"];"#))
    }
}
