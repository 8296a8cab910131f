import Testing

@testable import ModelServer
@testable import ServingGraph

/// Answers its own name and version, so routing decisions are visible.
private struct NamedStep: Step {
    let name: String
    func run(_ event: Event) throws -> Event {
        var out = event
        out.body = ["route": .string(name), "operation": .string(event.path)]
        return out
    }
}

/// URL routing over versioned models (no sockets).
struct ModelRouterTests {
    private func router(_ keys: [String], defaults: [String: String] = [:]) throws -> ModelRouter {
        try ModelRouter(name: "router", routes: keys.map { ($0, NamedStep(name: $0)) }, defaultVersions: defaults)
    }

    private func route(_ router: ModelRouter, _ path: String, body: Value = ["inputs": []]) throws -> Value {
        try router.run(Event(body: body, path: path)).body
    }

    @Test func routesModelAndVersionAndPassesTheOperation() throws {
        let r = try router(["fraud:1", "fraud:2", "iris"])
        #expect(try route(r, "/v2/models/fraud/versions/1/infer") == ["route": "fraud:1", "operation": "infer"])
        #expect(try route(r, "/v2/models/iris/explain") == ["route": "iris", "operation": "explain"])
        #expect(try route(r, "/v2/models/iris") == ["route": "iris", "operation": ""])
    }

    @Test func pathWithoutVersionGetsTheLatestRegisteredVersion() throws {
        let r = try router(["fraud:1", "fraud:2"])
        #expect(try route(r, "/v2/models/fraud/infer")["route"] == "fraud:2")
    }

    @Test func unversionedRouteIsTheDefaultOverVersionedOnes() throws {
        let r = try router(["fraud", "fraud:2"])
        #expect(try route(r, "/v2/models/fraud/infer")["route"] == "fraud")
    }

    @Test func declaredDefaultVersionWins() throws {
        let r = try router(["fraud:1", "fraud:2"], defaults: ["fraud": "1"])
        #expect(try route(r, "/v2/models/fraud/infer")["route"] == "fraud:1")
    }

    @Test func declaredDefaultNamingNoRouteFailsAtLoad() {
        #expect(
            throws: GraphError.invalidArgument(
                path: "router.class_args.default_versions.fraud", reason: "no route 'fraud:9'")
        ) {
            try router(["fraud:1"], defaults: ["fraud": "9"])
        }
    }

    @Test func listsRouteKeysOnTheModelsPath() throws {
        let r = try router(["fraud:1", "iris"])
        #expect(try route(r, "/v2/models", body: .null) == ["models": ["fraud:1", "iris"]])
    }

    @Test func unknownModelIs404ListingTheModels() throws {
        let r = try router(["fraud:1", "iris"])
        #expect(throws: ServingError.notFound("unknown model 'nope', available models: fraud:1 | iris")) {
            try route(r, "/v2/models/nope/infer")
        }
    }

    @Test func unknownVersionOfKnownModelIs404NamingTheVersions() throws {
        let r = try router(["fraud:1", "fraud:2"])
        #expect(throws: ServingError.notFound("unknown version '7' of model 'fraud' (versions: fraud:1 | fraud:2)")) {
            try route(r, "/v2/models/fraud/versions/7/infer")
        }
    }

    @Test func rootPathUsesTheBodysModelElseTheFirstRoute() throws {
        let r = try router(["a", "b:1"])
        #expect(try route(r, "/", body: ["model": "b:1", "inputs": []])["route"] == "b:1")
        #expect(try route(r, "/", body: ["inputs": []])["route"] == "a")
        #expect(try route(r, "/", body: ["operation": "explain"])["operation"] == "explain")
    }

    @Test func pathOutsideThePrefixIsRejectedAsMLRunDoes() throws {
        let r = try router(["a"])
        #expect(throws: ServingError.invalidInput("illegal path prefix /other, must start with /v2/models")) {
            try route(r, "/other")
        }
    }
}
