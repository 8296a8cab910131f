import Testing

@testable import ServingGraph

/// Error handlers with `before`: the flow continues at a downstream step from the handler's output.
struct FlowResumeTests {
    /// Replaces the body by `{"recovered": <failing step>}` so the continuation is visible.
    struct RecoverStep: Step {
        let name: String
        func run(_ event: Event) throws -> Event {
            var out = event
            out.body = ["recovered": event.originStep.map(Value.string) ?? .null, "trace": []]
            out.error = nil
            return out
        }
    }

    @Test func continuesAtTheBeforeStepWithTheHandlersOutput() throws {
        let graph = Graph.flow()
        graph.to(TagStep(name: "pre"))
            .to(FailStep(name: "model")).onError(RecoverStep(name: "fallback"), before: "post")
            .to(TagStep(name: "skipped"))
            .to(TagStep(name: "post")).respond()
        let response = try graph.compile().run(Event(body: ["trace": []]))
        #expect(response.body == ["recovered": "model", "trace": ["post"]])
    }

    @Test func answersWithTheHandlersOutputWhenTheContinuationDoesNotRespond() throws {
        let log = BodyLog()
        let graph = Graph.flow()
        let model = graph.to(FailStep(name: "model")).onError(RecoverStep(name: "fallback"), before: "audit")
        model.to(RecordStep(name: "audit", log: log))
        let response = try graph.compile().run(Event(body: ["x": 1]))
        #expect(response.body == ["recovered": "model", "trace": []])
        #expect(log.bodies == [["recovered": "model", "trace": []]])
    }

    @Test func rejectsABeforeStepThatIsNotDownstreamOfTheFailingStep() {
        let graph = Graph.flow()
        graph.to(TagStep(name: "a")).onError(RecoverStep(name: "fallback"), before: "b")
        graph.to(TagStep(name: "b"))
        #expect(
            throws: GraphError.invalidSpec(
                path: "fallback.before", reason: "'b' is not downstream of 'a', whose failures it handles")
        ) { try graph.compile() }
    }

    @Test func rejectsABeforeStepThatDoesNotExist() {
        let graph = Graph.flow()
        graph.to(TagStep(name: "a")).onError(RecoverStep(name: "fallback"), before: "ghost")
        #expect(throws: GraphError.unknownStep(path: "fallback.before", name: "ghost")) { try graph.compile() }
    }

    @Test func loadsMLRunsErrorStepWithBeforeFromJSON() throws {
        let json = """
            {"steps": {
              "m": {"class_name": "Fail", "on_error": "catch"},
              "post": {"class_name": "Tag", "after": ["m"], "responder": true},
              "catch": {"kind": "error_step", "class_name": "Catch", "before": ["post"]}}}
            """
        let response = try GraphTester(spec: GraphSpec(json: json), registry: .withTestSteps).test(body: ["n": 1])
        #expect(response["origin"] == "m")
        #expect(response["entered"] == ["n": 1])
        #expect(response["trace"] == ["post"])
    }

    @Test func rejectsBeforeOnTheGraphsErrorHandler() throws {
        let json = """
            {"on_error": "catch", "steps": {
              "m": {"class_name": "Fail"},
              "post": {"class_name": "Tag", "after": ["m"]},
              "catch": {"kind": "error_step", "class_name": "Catch", "before": ["post"]}}}
            """
        #expect(
            throws: GraphError.unsupported(
                path: "graph.steps.catch.before", reason: "the graph's error handler cannot resume the flow (at 'post')"
            )
        ) { try GraphSpec(json: json).makeGraph(registry: .withTestSteps).compile() }
    }
}
