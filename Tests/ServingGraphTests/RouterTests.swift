import Testing

@testable import ServingGraph

struct RouterTests {
    private func router() throws -> CompiledGraph {
        let graph = Graph.router()
        graph.addRoute("m", EchoRouteStep(name: "m"))
        graph.addRoute("m:v1", EchoRouteStep(name: "m-v1"))
        graph.addRoute("other", EchoRouteStep(name: "other"))
        return try graph.compile()
    }

    @Test(arguments: [
        ("/v2/models/m/infer", "m", "infer"),
        ("/v2/models/m", "m", "infer"),
        ("/v2/models/other/explain", "other", "explain"),
        ("/v2/models/m/versions/v1/infer", "m-v1", "infer"),
        ("/v2/models/m/versions/v1", "m-v1", "infer"),
    ])
    func routesByModelPathAndGivesTheRouteTheOperation(path: String, route: String, operation: String) throws {
        let response = try router().run(Event(body: ["inputs": []], path: path))
        #expect(response.body == ["route": .string(route), "path": .string(operation)])
    }

    @Test func routesByTheBodyModelOutsideThePrefix() throws {
        let response = try router().run(Event(body: ["model": "m:v1"], path: "/"))
        #expect(response.body["route"] == "m-v1")
    }

    @Test func usesTheFirstRouteWhenNothingNamesOne() throws {
        let response = try router().run(Event(body: ["inputs": []], path: "/"))
        #expect(response.body["route"] == "m")
    }

    @Test func rejectsAnUnknownModelListingTheAvailableOnes() throws {
        let compiled = try router()
        #expect(
            throws: ServingError.notFound("model 'nope' does not exist, available models: m | m:v1 | other")
        ) { try compiled.run(Event(body: [:], path: "/v2/models/nope/infer")) }
    }

    @Test func sitsInAFlowAsAStepWithACustomSelector() throws {
        let router = RouterStep(
            name: "pick",
            routes: [
                ("small", AddStep(name: "small", field: "n", amount: 1)),
                ("big", AddStep(name: "big", field: "n", amount: 100)),
            ],
            selector: .bodyField("size"))
        let graph = Graph.flow()
        graph.to(TagStep(name: "pre")).to(router).respond()
        let compiled = try graph.compile()
        #expect(
            try compiled.run(Event(body: ["size": "big", "n": 1])).body == ["size": "big", "n": 101, "trace": ["pre"]])
        #expect(try compiled.run(Event(body: ["n": 1])).body == ["n": 2, "trace": ["pre"]])
    }

    @Test func rejectsDuplicateRouteNames() {
        let graph = Graph.router()
        graph.addRoute("m", EchoRouteStep(name: "a"))
        graph.addRoute("m", EchoRouteStep(name: "b"))
        #expect(throws: GraphError.duplicateStep(name: "m")) { try graph.compile() }
    }
}

extension RouterTests {
    @Test func sendsARouteFailureToTheRouterGraphsErrorHandler() throws {
        let graph = Graph.router()
        graph.addRoute("m", FailStep(name: "m", error: .notReady("loading")))
        graph.errorHandler(CatchStep(name: "catch"))
        let response = try graph.compile().run(Event(body: ["x": 1], path: "/v2/models/m/infer"))
        #expect(response.body["origin"] == "router")
        #expect(response.body["error"] == "not ready: loading")
        #expect(response.body["entered"] == ["x": 1])
    }
}
