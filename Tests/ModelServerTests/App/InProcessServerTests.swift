import Testing

@testable import ModelServer
@testable import ServingGraph

/// `InProcessServer` answers exactly what the HTTP server answers: same status, same body bytes.
struct InProcessServerTests {
    /// Requests covering success, client errors, an unknown model, metadata and a path only a flow takes.
    private static let requests: [(method: String, path: String, body: String?)] = [
        ("POST", "/v2/models/fraud/infer", #"{"amount": 120, "age": 35, "velocity": 3, "distance_km": 12}"#),
        ("POST", "/", #"{"amount": 20, "age": 61, "velocity": 1}"#),
        ("POST", "/v2/models/fraud/infer", #"{"amount": "lots"}"#),
        ("POST", "/v2/models/fraud/infer", #"{"amount": 120"#),
        ("POST", "/v2/models/fraud/explain", #"{"amount": 120, "age": 35, "velocity": 3}"#),
        ("POST", "/score", #"{"amount": 120, "age": 35, "velocity": 3}"#),
        ("GET", "/v2/models/fraud", nil),
        ("GET", "/v2", nil),
        ("DELETE", "/v2/health/live", nil),
    ]

    private func overHTTP(_ port: Int, _ request: (method: String, path: String, body: String?)) throws -> (
        Int, [UInt8]
    ) {
        let client = try HTTPTestClient(port: port)
        let body = request.body ?? ""
        try client.send(
            "\(request.method) \(request.path) HTTP/1.1\r\nHost: x\r\nX-Event-Id: e-1\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        let response = try client.readResponse()
        return (response.status, response.body)
    }

    @Test(arguments: ["examples/graphs/preprocess-model.json", "examples/graphs/error-handler.json"])
    func answersWhatTheHTTPServerAnswersForTheSameRequest(graph: String) throws {
        let path = ServingHarness.path(graph)
        let inProcess = try InProcessServer(graphPath: path)
        try ServingHarness.withServer(graphPath: path) { port, _ in
            for request in Self.requests {
                let local = try inProcess.send(
                    method: request.method, path: request.path, body: request.body,
                    headers: [("X-Event-Id", "e-1")])
                let (status, body) = try overHTTP(port, request)
                #expect(local.status == status, "\(request.method) \(request.path)")
                #expect(local.text == String(decoding: body, as: UTF8.self), "\(request.method) \(request.path)")
            }
        }
    }

    @Test func defaultsToPOSTWithABodyAndGETWithout() throws {
        let server = try InProcessServer(graphPath: ServingHarness.path("examples/interop/graph.json"))
        let infer = try server.send(
            path: "/v2/models/fraud/infer", body: #"{"id":"7","inputs":[[1,2,3,4]]}"#)
        #expect(infer.status == 200)
        #expect(infer.json?["id"] == "7")
        let metadata = try server.send(path: "/v2/models/fraud")
        #expect(metadata.json?["name"] == "fraud")
    }

    @Test func mapsUnhandledStepFailuresToTheirStatus() throws {
        let server = try InProcessServer(graphPath: ServingHarness.path("examples/interop/graph.json"))
        #expect(try server.send(path: "/v2/models/nope/infer", body: "{}").status == 404)
        let bad = try server.send(path: "/v2/models/fraud/infer", body: #"{"inputs": 3}"#)
        #expect(bad.status == 400)
        #expect(bad.json?["error"] != nil)
    }

    @Test func rejectsAnUnknownMethodNamingIt() throws {
        let server = try InProcessServer(graphPath: ServingHarness.path("examples/interop/graph.json"))
        #expect(throws: InProcessServerError.self) { try server.send(method: "BREW", path: "/") }
    }

    @Test func reportsAGraphErrorNamingTheStepAndField() throws {
        let json =
            #"{"kind": "flow", "steps": {"prep": {"class_name": "Compute", "class_args": {"expressions": {"a": "1 +"}}}}}"#
        do {
            _ = try InProcessServer(graphJSON: json)
            Issue.record("a bad expression must fail at load")
        } catch {
            #expect("\(error)".contains("graph.steps.prep.class_args.expressions"))
        }
    }
}
