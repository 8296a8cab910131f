import Testing

@testable import ServingGraph

struct GraphTests {
    @Test func rejectsACycleNamingItsSteps() {
        let graph = Graph.flow()
        graph.to(TagStep(name: "start"))
        graph.add(TagStep(name: "a"), after: ["start", "c"])
        graph.add(TagStep(name: "b"), after: ["a"])
        graph.add(TagStep(name: "c"), after: ["b"])
        #expect(throws: GraphError.cycle(steps: ["a", "b", "c", "a"])) { try graph.compile() }
    }

    @Test func rejectsAnAfterLinkToNoStep() {
        let graph = Graph.flow()
        graph.add(TagStep(name: "a"), after: ["ghost"])
        #expect(throws: GraphError.unknownStep(path: "a.after", name: "ghost")) { try graph.compile() }
    }

    @Test func rejectsTwoResponders() {
        let graph = Graph.flow()
        graph.to(TagStep(name: "a")).respond()
        graph.to(TagStep(name: "b")).respond()
        #expect(throws: GraphError.multipleResponders(first: "a", second: "b")) { try graph.compile() }
    }

    @Test func rejectsTwoStepsWithOneName() {
        let graph = Graph.flow()
        graph.to(TagStep(name: "a")).to(TagStep(name: "a"))
        #expect(throws: GraphError.duplicateStep(name: "a")) { try graph.compile() }
    }

    @Test func rejectsJoins() {
        let graph = Graph.flow()
        graph.to(TagStep(name: "a"))
        graph.to(TagStep(name: "b"))
        graph.add(TagStep(name: "join"), after: ["a", "b"])
        #expect(
            throws: GraphError.unsupported(
                path: "join.after", reason: "a step after several steps (a join) is not supported; chain them instead")
        ) { try graph.compile() }
    }

    @Test func rejectsAnEmptyFlowAndARouterWithoutRoutes() {
        #expect(throws: GraphError.emptyFlow) { try Graph.flow().compile() }
        #expect(throws: GraphError.noRoutes(path: "router")) { try Graph.router().compile() }
    }

    @Test func rejectsBranchesUnderTheSyncEngine() {
        let graph = Graph.flow()
        graph.allowsBranches = false
        let a = graph.to(TagStep(name: "a"))
        a.to(TagStep(name: "b"))
        a.to(TagStep(name: "c"))
        #expect(
            throws: GraphError.invalidSpec(
                path: "engine", reason: "the sync engine allows one chain with one start step")
        ) { try graph.compile() }
    }

    @Test func rejectsAnErrorHandlerLinkToNoStep() throws {
        let graph = Graph.flow()
        graph.to(TagStep(name: "a"))
        graph.graphErrorHandler = "ghost"
        #expect(throws: GraphError.unknownStep(path: "on_error", name: "ghost")) { try graph.compile() }
    }

    @Test func keepsErrorHandlersOutOfTheWalk() throws {
        let graph = Graph.flow()
        graph.to(TagStep(name: "a")).onError(CatchStep(name: "own")).to(TagStep(name: "b"))
        graph.errorHandler(CatchStep(name: "global"))
        #expect(graph.stepNames == ["a", "own", "b", "global"])
        #expect(try graph.compile().stepNames == ["a", "b"])
    }

    @Test func describesErrorsNamingTheirSubject() {
        #expect("\(GraphError.cycle(steps: ["a", "b", "a"]))" == "cycle between steps a -> b -> a")
        #expect(
            "\(GraphError.unknownClass(path: "graph.steps.x.class_name", className: "Foo"))"
                == "graph.steps.x.class_name: unknown class 'Foo'")
        #expect(
            "\(GraphError.multipleResponders(first: "a", second: "b"))"
                == "two responders: 'a' and 'b' (at most one step may respond)")
    }
}
