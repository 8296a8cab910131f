import Testing

@testable import ModelServer
@testable import ServingGraph

/// The short inference path of a one-router graph answers exactly what running the graph answers,
/// declines what it does not handle, and counts the router step and the model as a graph run does.
struct DirectInferenceTests {
    private let model: LogisticRegressionModel
    private let graph: CompiledGraph
    private let direct: DirectInference

    init() throws {
        model = LogisticRegressionModel(
            name: "fraud", classArgs: ["model_path": .string(ServingHarness.path("examples/interop/fraud-logreg.json"))]
        )
        graph = try Self.graph(of: try ModelRouter(name: "router", routes: [("fraud", model)]))
        direct = try #require(DirectInference(graph: graph))
    }

    private static func graph(of step: any Step) throws -> CompiledGraph {
        let graph = Graph.flow()
        _ = graph.to(step)
        return try graph.compile()
    }

    private func request(_ path: String, _ body: [UInt8], headers: HTTPHeaders = HTTPHeaders()) -> HTTPRequest {
        HTTPRequest(method: .post, target: path, headers: headers, body: body)
    }

    private func viaGraph(_ request: HTTPRequest) -> Result<HTTPResponse, any Error> {
        Result { HTTPEventCodec.response(from: try graph.run(try HTTPEventCodec.event(from: request) { "e-1" })) }
    }

    private func describe(_ result: Result<HTTPResponse, any Error>?) -> String {
        switch result {
        case .success(let response)?:
            let headers = response.headers.map { "\($0.name): \($0.value)" }.joined(separator: "; ")
            return "\(response.status.code) [\(headers)] " + String(decoding: response.body, as: UTF8.self)
        case .failure(let error)?: return "error: \(error)"
        case nil: return "declined"
        }
    }

    private static let x = #"{"name":"x","shape":[1,4],"datatype":"FP32","data":[[0.5,-1.25,2,0.75]]}"#

    @Test(arguments: [
        #"{"inputs":[\#(x)]}"#,
        #"{"id":"r-9","inputs":[{"name":"x","shape":[3,4],"datatype":"FP64","data":[1,2,3,4,5,6,7,8,9,1,2,3]}]}"#,
        #"{"inputs":[\#(x)],"parameters":{"binary_data_output":true}}"#,
        #"{"inputs":[\#(x)],"outputs":[{"name":"probability","parameters":{"binary_data":true}}]}"#,
        #"{"inputs":[{"name":"x","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}"#,
        #"{"inputs":[\#(x)],"outputs":[{"name":"nope"}]}"#,
        #"{"inputs":[{"name":"y","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}"#,
    ])
    func answersWhatRunningTheGraphAnswers(body: String) throws {
        for path in ["/v2/models/fraud/infer", "/v2/models/fraud/predict"] {
            let request = request(path, Array(body.utf8))
            let answer = try #require(direct.respond(to: request, eventID: "e-1"))
            #expect(describe(answer) == describe(viaGraph(request)))
        }
    }

    @Test func answersBinaryInputsAsTheGraphDoes() throws {
        let header = Array(
            #"{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","parameters":{"binary_data_size":16}}]}"#.utf8)
        var body = header
        for value: Float in [0.5, -1.25, 2, 0.75] { withUnsafeBytes(of: value.bitPattern.littleEndian) { body += $0 } }
        let request = request(
            "/v2/models/fraud/infer", body, headers: ["Inference-Header-Content-Length": " \(header.count)"])
        let answer = try #require(direct.respond(to: request, eventID: "e-1"))
        #expect(describe(answer) == describe(viaGraph(request)))
    }

    @Test(arguments: [
        ("/v2/models/fraud/infer", #"{"inputs":[\#(x)],"operation":"explain"}"#),
        ("/v2/models/fraud/infer", #"{"inputs":[[0.5,-1.25,2,0.75]]}"#),
        ("/v2/models/fraud/infer", #"{"inputs":[\#(x)"#),
        ("/v2/models/fraud/infer", ""),
        ("/v2/models/fraud/explain", #"{"inputs":[\#(x)]}"#),
        ("/v2/models/fraud/ready", ""),
        ("/v2/models/fraud", #"{"inputs":[\#(x)]}"#),
        ("/v2/models", ""),
        ("/v2/models/other/infer", #"{"inputs":[\#(x)]}"#),
        ("/v2/models/fraud/versions/3/infer", #"{"inputs":[\#(x)]}"#),
        ("/", #"{"inputs":[\#(x)]}"#),
    ])
    func declinesWhatTheGraphMustRun(path: String, body: String) {
        #expect(direct.respond(to: request(path, Array(body.utf8)), eventID: "e-1") == nil)
    }

    @Test func declinesRawAndMalformedBinaryFraming() {
        let body = Array(#"{"inputs":[\#(Self.x)]}"#.utf8)
        for length in ["0", "x", "-1", "\(body.count + 1)"] {
            let headers: HTTPHeaders = ["Inference-Header-Content-Length": length]
            #expect(direct.respond(to: request("/v2/models/fraud/infer", body, headers: headers), eventID: "e") == nil)
        }
    }

    @Test func countsTheRouterStepAndTheModelAsAGraphRunDoes() throws {
        let good = request("/v2/models/fraud/infer", Array(#"{"inputs":[\#(Self.x)]}"#.utf8))
        let bad = request(
            "/v2/models/fraud/infer", Array(#"{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]}"#.utf8)
        )
        _ = try #require(direct.respond(to: good, eventID: "a"))
        _ = try #require(direct.respond(to: bad, eventID: "b"))
        let step = try #require(graph.metrics.snapshot().steps.first)
        #expect(step.name == "router")
        #expect(step.runs == 2)
        #expect(step.failures == 1)
        #expect(model.metrics.count(.success) == 1)
        #expect(model.metrics.count(.clientError) == 1)
        #expect(model.metrics.histogram(.predict).count == 1)
    }

    @Test func keepsAnsweringEveryPathOnceItsRouteCacheIsFull() throws {
        let body = Array(#"{"inputs":[\#(Self.x)]}"#.utf8)
        for extraSlashes in 0..<(DirectInference.maxCachedPaths + 8) {
            let prefix = "/v2/models/" + String(repeating: "/", count: extraSlashes) + "fraud/"
            let path = prefix + "infer"
            let request = request(path, body)
            let answer = try #require(direct.respond(to: request, eventID: "e-1"), "\(path)")
            #expect(describe(answer) == describe(viaGraph(request)), "\(path)")
            let explain = self.request(prefix + "explain", body)
            #expect(direct.respond(to: explain, eventID: "e-1") == nil)
        }
    }

    @Test func isOnlyTakenForAGraphThatIsOneModelRouter() throws {
        #expect(DirectInference(graph: nil) == nil)
        let flow = try Self.graph(of: model)
        #expect(DirectInference(graph: flow) == nil)
        let routerGraph = Graph.router()
        routerGraph.addRoute("fraud", model)
        #expect(DirectInference(graph: try routerGraph.compile()) == nil)
    }
}
