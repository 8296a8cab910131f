import Testing

@testable import ServingGraph

struct RegistryTests {
    @Test func registersTheBuiltInStepsAndTheDefaultRouter() {
        #expect(
            StepRegistry.standard.classNames == [
                "", "AppendJSONL", "Compute", "DateExtractor", "Defaults", "DropFeatures", "Imputer", "MapValues",
                "OneHotEncoder", "Rename", "ReportError", "Select", "ToTensor",
            ])
    }

    @Test func resolvesAUserRegisteredClassWithItsArguments() throws {
        var registry = StepRegistry()
        registry.register("Plus") { args, context in
            AddStep(
                name: context.name, field: try args.string("field") ?? "n", amount: args.optional("by")?.intValue ?? 1)
        }
        let spec = try GraphSpec(json: #"{"steps": {"p": {"class_name": "Plus", "class_args": {"by": 5}}}}"#)
        #expect(try GraphTester(spec: spec, registry: registry).test(body: ["n": 1]) == ["n": 6])
    }

    @Test func reportsAFactoryFailureWithTheArgumentsPath() throws {
        struct Refused: Error, CustomStringConvertible {
            var description: String { "model file missing" }
        }
        var registry = StepRegistry()
        registry.register("Model") { _, _ in throw Refused() }
        let graph = try GraphSpec(json: #"{"steps": {"m": {"class_name": "Model"}}}"#)
        #expect(throws: GraphError.invalidArgument(path: "graph.steps.m.class_args", reason: "model file missing")) {
            try graph.makeGraph(registry: registry)
        }
    }

    @Test func rejectsAFactoryThatNamesItsStepDifferently() throws {
        var registry = StepRegistry()
        registry.register("Tag") { _, _ in TagStep(name: "other") }
        let spec = try GraphSpec(json: #"{"steps": {"t": {"class_name": "Tag"}}}"#)
        #expect(
            throws: GraphError.invalidSpec(
                path: "graph.steps.t.class_name", reason: "class 'Tag' built a step named 'other', not 't'")
        ) { try spec.makeGraph(registry: registry) }
    }

    @Test func letsAModuleReplaceTheDefaultRouter() throws {
        var registry = StepRegistry.withTestSteps
        registry.register("") { _, context in
            RouterStep(name: context.name, routes: context.routes, selector: .bodyField("pick"))
        }
        let spec = try GraphSpec(
            json: #"{"kind": "router", "routes": {"a": {"class_name": "Echo"}, "b": {"class_name": "Echo"}}}"#)
        #expect(try GraphTester(spec: spec, registry: registry).test(body: ["pick": "b"])["route"] == "b")
    }

    @Test func readsTypedArgumentsNamingTheirPath() throws {
        let args = StepArguments(["n": 1, "names": ["a", 2], "flag": true], path: "graph.steps.s.class_args")
        #expect(
            throws: GraphError.invalidArgument(
                path: "graph.steps.s.class_args.n", reason: "expected a string, got integer")
        ) {
            try args.string("n")
        }
        #expect(
            throws: GraphError.invalidArgument(
                path: "graph.steps.s.class_args.names", reason: "expected an array of strings")
        ) {
            try args.strings("names")
        }
        #expect(try args.bool("flag") == true)
        #expect(try args.string("absent") == nil)
    }
}
