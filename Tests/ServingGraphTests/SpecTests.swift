import Testing

@testable import ServingGraph

struct SpecTests {
    static let fraudFlow = """
        {"kind": "flow", "engine": "async", "on_error": "catch",
         "steps": {
           "rename": {"kind": "task", "class_name": "Rename", "class_args": {"mapping": {"amt": "amount"}}},
           "defaults": {"kind": "task", "class_name": "Defaults", "class_args": {"values": {"amount_avg_1h": 10}},
                        "after": ["rename"]},
           "features": {"kind": "task", "class_name": "Compute", "after": ["defaults"],
                        "class_args": {"expressions": {"ratio": "amount / amount_avg_1h", "big": "amount > 100"}}},
           "tensor": {"kind": "task", "class_name": "ToTensor", "after": ["features"], "responder": true,
                      "class_args": {"fields": ["amount", "ratio"], "name": "x"}},
           "audit": {"kind": "task", "class_name": "Select", "after": ["rename"], "class_args": {"fields": ["amount"]}},
           "catch": {"kind": "error_step", "class_name": "Catch", "before": []}
         }}
        """

    private func fluentFraudFlow() throws -> CompiledGraph {
        let graph = Graph.flow()
        let rename = graph.to(RenameStep(name: "rename", mapping: ["amt": "amount"]))
        rename.to(DefaultsStep(name: "defaults", values: ["amount_avg_1h": 10]))
            .to(
                try ComputeStep(
                    name: "features", expressions: [("ratio", "amount / amount_avg_1h"), ("big", "amount > 100")])
            )
            .to(try ToTensorStep(name: "tensor", fields: ["amount", "ratio"], tensorName: "x"))
            .respond()
        rename.to(SelectStep(name: "audit", fields: ["amount"]))
        graph.errorHandler(CatchStep(name: "catch"))
        return try graph.compile()
    }

    @Test func fluentAndJSONGraphsGiveIdenticalResults() throws {
        let fromJSON = try GraphSpec(json: Self.fraudFlow).makeGraph(registry: .withTestSteps).compile()
        let fluent = try fluentFraudFlow()
        #expect(fromJSON.stepNames == fluent.stepNames)
        let bodies: [Value] = [["amt": 50, "amount_avg_1h": 25], ["amt": 7], ["amt": "text"], ["amount": 1]]
        for body in bodies {
            let a = try fromJSON.run(Event(body: body, id: "e"))
            let b = try fluent.run(Event(body: body, id: "e"))
            #expect(a.body == b.body)
        }
        let first = try fromJSON.run(Event(body: ["amt": 50, "amount_avg_1h": 25]))
        #expect(first.body == ["inputs": [["name": "x", "shape": [1, 2], "datatype": "FP64", "data": [50.0, 2.0]]]])
        let failed = try fromJSON.run(Event(body: ["amt": "text"]))
        #expect(failed.body["origin"] == "features")
    }

    @Test(arguments: [
        (
            #"{"steps": {"a": {"class_name": "Nope"}}}"#,
            "graph.steps.a.class_name: unknown class 'Nope'"
        ),
        (
            #"{"steps": {"a": {"class_name": "Tag", "after": ["ghost"]}}}"#,
            "graph.steps.a.after: no step named 'ghost'"
        ),
        (
            #"{"steps": {"a": {"class_name": "Tag", "after": "b"}, "b": {"class_name": "Tag", "after": ["a"]}}}"#,
            "cycle between steps a -> b -> a"
        ),
        (
            #"{"steps": {"a": {"class_name": "Tag", "responder": true}, "b": {"class_name": "Tag", "responder": true}}}"#,
            "two responders: 'a' and 'b' (at most one step may respond)"
        ),
        (
            #"{"steps": {"r": {"kind": "router", "routes": {}}}}"#,
            "graph.steps.r.routes: router has no routes"
        ),
        (
            #"{"kind": "router", "routes": {}}"#,
            "graph.routes: router has no routes"
        ),
        (
            #"{"steps": {"enrich": {"class_name": "Select", "class_args": {"fields": "amount"}}}}"#,
            "graph.steps.enrich.class_args.fields: expected an array of strings"
        ),
        (
            #"{"steps": {"c": {"class_name": "Compute", "class_args": {"expressions": {"r": "amount / )"}}}}}"#,
            #"graph.steps.c.class_args.expressions.r: at character 10: expected an operand, got ')' in "amount / )""#
        ),
        (
            #"{"steps": {"a": {"class_name": "Rename", "class_args": {"mapping": {"x": "y"}, "mapp": 1}}}}"#,
            "graph.steps.a.class_args.mapp: unknown argument (expected one of: mapping)"
        ),
        (
            #"{"steps": {"a": {"kind": "queue", "class_name": ">>"}}}"#,
            "graph.steps.a.kind: unsupported: step kind 'queue'"
        ),
        (
            #"{"steps": {"a": {"class_name": "Tag", "on_error": "nobody"}}}"#,
            "graph.steps.a.on_error: no step named 'nobody'"
        ),
        (
            #"{"steps": {"a": {"class_name": "Tag", "responder": "yes"}}}"#,
            "graph.steps.a.responder: expected a boolean, got string"
        ),
        (
            #"{"steps": {"a": {"kind": "task"}}}"#,
            "graph.steps.a: a task step needs a class_name or handler"
        ),
        (
            #"{"steps": {"a": {"class_name": "Tag", "class_args": {"_fn": "f"}}}}"#,
            "graph.steps.a.class_args._fn: unsupported: callable arguments ('_' keys)"
        ),
        (
            #"{"engine": "sync", "steps": {"a": {"class_name": "Tag"}, "b": {"class_name": "Tag"}}}"#,
            "engine: the sync engine allows one chain with one start step"
        ),
        (
            #"{"steps": [1]}"#,
            "graph.steps: expected an object, got array"
        ),
        (
            #"{"steps": {"a": {"class_name": "Tag"}}"#,
            "graph: not valid JSON: "
        ),
    ])
    func rejectsABadSpecAtLoadNamingTheStepAndPath(json: String, message: String) {
        do {
            let graph = try GraphSpec(json: json).makeGraph(registry: .withTestSteps)
            _ = try graph.compile()
            Issue.record("loaded a bad spec: \(json)")
        } catch {
            #expect("\(error)".hasPrefix(message), "\(error)")
        }
    }

    @Test func loadsARouterTopologyWithTheDefaultRouter() throws {
        let json = """
            {"kind": "router", "name": "router",
             "routes": {"fraud": {"kind": "task", "class_name": "Echo", "class_args": {"model_path": "."}},
                        "churn": {"kind": "task", "class_name": "Echo"}}}
            """
        let tester = try GraphTester(spec: GraphSpec(json: json), registry: .withTestSteps)
        #expect(try tester.test(path: "/v2/models/churn/infer", body: [:]) == ["route": "churn", "path": "infer"])
        #expect(try tester.test(path: "/", body: [:]) == ["route": "fraud", "path": "/"])
    }

    @Test func loadsMLRunsExampleFlowWithARouterStepAndOnError() throws {
        let json = """
            {"engine": "async",
             "steps": {
               "enrich": {"kind": "task", "class_name": "Tag", "class_args": {}},
               "r": {"kind": "router", "class_name": "", "after": ["enrich"], "on_error": "catch",
                     "routes": {"m": {"kind": "task", "class_name": "Add", "class_args": {"field": "n", "amount": 1}}}},
               "catch": {"kind": "error_step", "handler": "Catch", "base_step": "r", "before": []},
               "post": {"kind": "task", "handler": "Tag", "after": ["r"], "responder": true}}}
            """
        let tester = try GraphTester(spec: GraphSpec(json: json), registry: .withTestSteps)
        #expect(try tester.test(body: ["n": 1]) == ["n": 2, "trace": ["enrich", "post"]])
        let failed = try tester.test(body: ["n": "x"])
        #expect(failed["origin"] == "r")
        #expect(failed["entered"] == ["n": "x", "trace": ["enrich"]])
    }

    @Test func marksTheFinalStepAsResponderWhenNoneIs() throws {
        let json = """
            {"final_step": "a", "steps": {"a": {"class_name": "Tag"}, "b": {"class_name": "Tag"}}}
            """
        let spec = try GraphSpec(json: json)
        #expect(spec.steps.map(\.responder) == [true, false])
        #expect(try GraphTester(spec: spec, registry: .withTestSteps).test(body: [:]) == ["trace": ["a"]])
    }

    @Test func appliesInputAndResultPathsFromTheSpec() throws {
        let json = """
            {"steps": {"add": {"class_name": "Add", "class_args": {"field": "n", "amount": 2},
                               "input_path": "data", "result_path": "out"}}}
            """
        let tester = try GraphTester(spec: GraphSpec(json: json), registry: .withTestSteps)
        #expect(try tester.test(body: ["data": ["n": 5], "x": 1]) == ["data": ["n": 5], "x": 1, "out": ["n": 7]])
    }

    @Test func keepsTheOtherServiceSectionsRaw() throws {
        let json = """
            {"graph": {"steps": {"a": {"class_name": "Tag"}}},
             "feature_sets": [{"name": "tx"}], "feature_vectors": [{"name": "v"}],
             "store": {"kind": "sqlite", "path": "x.db"}, "extra": 1}
            """
        let service = try ServiceSpec(json: json)
        #expect(service.graph.steps.map(\.name) == ["a"])
        #expect(service.featureSets == [["name": "tx"]])
        #expect(service.featureVectors == [["name": "v"]])
        #expect(service.store == ["kind": "sqlite", "path": "x.db"])
        #expect(service.models == nil)
        #expect(service.raw["extra"] == 1)
    }

    @Test func requiresTheGraphSectionOfAServiceFile() {
        #expect(throws: GraphError.invalidSpec(path: "graph", reason: "missing required section")) {
            try ServiceSpec(json: #"{"store": {}}"#)
        }
    }
}

extension SpecTests {
    @Test func appliesPathOptionsOfRouterRoutes() throws {
        let json = """
            {"kind": "router",
             "routes": {"m": {"class_name": "Add", "class_args": {"field": "n", "amount": 1},
                              "input_path": "inputs", "result_path": "outputs"}}}
            """
        let tester = try GraphTester(spec: GraphSpec(json: json), registry: .withTestSteps)
        #expect(
            try tester.test(path: "/v2/models/m/infer", body: ["inputs": ["n": 1]]) == [
                "inputs": ["n": 1], "outputs": ["n": 2],
            ])
    }
}
