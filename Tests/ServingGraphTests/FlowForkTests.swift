import Testing

@testable import ServingGraph

struct FlowForkTests {
    @Test func givesEveryBranchOfNestedForksItsForksOutput() throws {
        let log = BodyLog()
        let graph = Graph.flow()
        let a = graph.to(TagStep(name: "a"))
        let c = a.to(TagStep(name: "b")).to(TagStep(name: "c"))
        c.to(TagStep(name: "d")).to(RecordStep(name: "record-d", log: log))
        c.to(TagStep(name: "e")).to(RecordStep(name: "record-e", log: log))
        a.to(TagStep(name: "f")).to(RecordStep(name: "record-f", log: log))
        graph.to(RecordStep(name: "record-root", log: log))
        _ = try graph.compile().run(Event(body: ["trace": []]))
        #expect(
            log.bodies == [
                ["trace": ["a", "b", "c", "d"]], ["trace": ["a", "b", "c", "e"]], ["trace": ["a", "f"]], ["trace": []],
            ])
    }

    @Test func skipsOnlyTheFailedBranchAndRunsItsSiblings() throws {
        let log = BodyLog()
        let graph = Graph.flow()
        let fork = graph.to(TagStep(name: "fork"))
        fork.to(FailStep(name: "bad")).to(RecordStep(name: "after-bad", log: log))
        fork.to(TagStep(name: "good")).to(RecordStep(name: "after-good", log: log)).respond()
        let compiled = try graph.compile()
        let response = try compiled.run(Event(body: ["trace": []]))
        #expect(response.body == ["trace": ["fork", "good"]])
        #expect(log.bodies == [["trace": ["fork", "good"]]])
        #expect(compiled.branchFailureCount == 1)
    }

    @Test func runsTheHandlerOfAFailureOffTheResponsePathWithoutAnsweringWithIt() throws {
        let log = BodyLog()
        let graph = Graph.flow()
        let fork = graph.to(TagStep(name: "fork"))
        fork.to(FailStep(name: "audit")).onError(RecordStep(name: "audit-failed", log: log))
        fork.to(TagStep(name: "answer")).respond()
        let compiled = try graph.compile()
        let response = try compiled.run(Event(body: ["trace": []]))
        #expect(response.body == ["trace": ["fork", "answer"]])
        #expect(log.bodies == [["trace": ["fork"]]])
        #expect(compiled.branchFailureCount == 1)
    }

    @Test func treatsEmptyPathsAsAbsent() throws {
        let graph = Graph.flow()
        graph.to(AddStep(name: "add", field: "n", amount: 1), options: StepOptions(inputPath: "", resultPath: ""))
        #expect(try graph.compile().run(Event(body: ["n": 1])).body == ["n": 2])
    }

    @Test func answersWithATerminatedEventFromTheResponsePath() throws {
        let graph = Graph.flow()
        graph.to(StopStep(name: "filter")).to(TagStep(name: "never")).respond()
        let response = try graph.compile().run(Event(body: ["trace": []]))
        #expect(response.body == ["trace": ["filter"]])
    }
}
