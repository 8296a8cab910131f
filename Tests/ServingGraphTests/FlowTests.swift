import Testing

@testable import ServingGraph

struct FlowTests {
    @Test func runsAChainInOrderAndRespondsWithTheLastStep() throws {
        let graph = Graph.flow()
        graph.to(TagStep(name: "a")).to(TagStep(name: "b")).to(TagStep(name: "c"))
        let response = try graph.compile().run(Event(body: ["trace": []]))
        #expect(response.body == ["trace": ["a", "b", "c"]])
    }

    @Test func givesEachBranchTheEventAsItLeftTheForkAndAnswersWithTheResponder() throws {
        let log = BodyLog()
        let graph = Graph.flow()
        let fork = graph.to(TagStep(name: "fork"))
        fork.to(TagStep(name: "left")).to(RecordStep(name: "record", log: log))
        fork.to(TagStep(name: "right")).respond()
        let compiled = try graph.compile()
        let response = try compiled.run(Event(body: ["trace": []]))
        #expect(response.body == ["trace": ["fork", "right"]])
        #expect(log.bodies == [["trace": ["fork", "left"]]])
    }

    @Test func countsAndSwallowsFailuresOnBranchesThatDoNotRespond() throws {
        let graph = Graph.flow()
        let fork = graph.to(TagStep(name: "fork"))
        fork.to(FailStep(name: "audit"))
        fork.to(TagStep(name: "answer")).respond()
        let compiled = try graph.compile()
        let response = try compiled.run(Event(body: ["trace": []]))
        #expect(response.body == ["trace": ["fork", "answer"]])
        #expect(compiled.branchFailureCount == 1)
        _ = try compiled.run(Event(body: ["trace": []]))
        #expect(compiled.branchFailureCount == 2)
    }

    @Test func propagatesAnUnhandledFailureOnTheResponsePathAfterOtherBranchesRan() throws {
        let log = BodyLog()
        let graph = Graph.flow()
        graph.to(FailStep(name: "validate", error: .notFound("no such customer"))).respond()
        graph.to(RecordStep(name: "audit", log: log))
        let compiled = try graph.compile()
        #expect(throws: ServingError.notFound("no such customer")) { try compiled.run(Event(body: ["x": 1])) }
        #expect(log.bodies == [["x": 1]])
    }

    @Test func sendsTheEventAsItEnteredTheFailingStepToTheGraphErrorHandler() throws {
        let graph = Graph.flow()
        graph.to(AddStep(name: "add", field: "n", amount: 1)).to(FailStep(name: "boom")).to(TagStep(name: "never"))
            .respond()
        graph.errorHandler(CatchStep(name: "catch"))
        let response = try graph.compile().run(Event(body: ["n": 1]))
        #expect(
            response.body == [
                "caught_by": "catch", "origin": "boom", "error": "invalid input: bad amount", "entered": ["n": 2],
            ])
    }

    @Test func prefersTheStepsOwnErrorHandlerOverTheGraphs() throws {
        let graph = Graph.flow()
        graph.to(FailStep(name: "boom")).onError(CatchStep(name: "own")).respond()
        graph.errorHandler(CatchStep(name: "global"))
        let response = try graph.compile().run(Event(body: ["n": 1]))
        #expect(response.body["caught_by"] == "own")
        #expect(response.body["origin"] == "boom")
    }

    @Test func propagatesTheHandlersOwnFailure() throws {
        let graph = Graph.flow()
        graph.to(FailStep(name: "boom")).respond()
        graph.errorHandler(FailStep(name: "handler", error: .internalFailure("handler broke")))
        #expect(throws: ServingError.internalFailure("handler broke")) { try graph.compile().run(Event(body: [:])) }
    }

    @Test func servesTheNextEventNormallyAfterAFailure() throws {
        let graph = Graph.flow()
        graph.to(AddStep(name: "add", field: "n", amount: 10)).respond()
        let compiled = try graph.compile()
        #expect(throws: ServingError.self) { try compiled.run(Event(body: ["n": "text"])) }
        #expect(try compiled.run(Event(body: ["n": 1])).body == ["n": 11])
    }

    @Test func feedsTheInputPathAndWritesTheResultPathCreatingObjects() throws {
        let graph = Graph.flow()
        graph.to(
            AddStep(name: "add", field: "n", amount: 1),
            options: StepOptions(inputPath: "data", resultPath: "out.result"))
        let response = try graph.compile().run(Event(body: ["data": ["n": 5], "x": 1]))
        #expect(response.body == ["data": ["n": 5], "x": 1, "out": ["result": ["n": 6]]])
    }

    @Test func replacesTheBodyWhenOnlyAnInputPathIsGiven() throws {
        let graph = Graph.flow()
        graph.to(AddStep(name: "add", field: "n", amount: 1), options: StepOptions(inputPath: "data.inner"))
        let response = try graph.compile().run(Event(body: ["data": ["inner": ["n": 5]]]))
        #expect(response.body == ["n": 6])
    }

    @Test func ignoresPathsForFullEventSteps() throws {
        let graph = Graph.flow()
        graph.to(
            AddStep(name: "add", field: "n", amount: 1),
            options: StepOptions(inputPath: "data", resultPath: "out", fullEvent: true))
        #expect(try graph.compile().run(Event(body: ["n": 1])).body == ["n": 2])
    }

    @Test func stopsABranchWhenAStepTerminatesTheEvent() throws {
        let log = BodyLog()
        let graph = Graph.flow()
        let fork = graph.to(StopStep(name: "stop"))
        fork.to(RecordStep(name: "after-stop", log: log)).respond()
        let response = try graph.compile().run(Event(body: ["trace": []]))
        #expect(response.body == ["trace": ["stop"]])
        #expect(response.isTerminated)
        #expect(log.bodies.isEmpty)
    }

    @Test func answersWithTheEventIDWhenBranchesHaveNoResponder() throws {
        let graph = Graph.flow()
        graph.to(TagStep(name: "a"))
        graph.to(TagStep(name: "b"))
        let response = try graph.compile().run(Event(body: ["trace": []], id: "e1"))
        #expect(response.body == ["id": "e1"])
    }

    @Test func walksBranchesDepthFirstInDeclarationOrder() throws {
        let graph = Graph.flow()
        let root = graph.to(TagStep(name: "root"))
        root.to(TagStep(name: "l1")).to(TagStep(name: "l2"))
        root.to(TagStep(name: "r1"))
        #expect(try graph.compile().stepNames == ["root", "l1", "l2", "r1"])
    }
}
