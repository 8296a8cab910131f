import Foundation
import Testing

@testable import ModelServer
@testable import ServingGraph

/// End to end: `serve run` without a graph, over a real socket, with curl as the client.
@Suite(.serialized)
struct ServerEndpointTests {
    /// Serves no graph; `body` gets the port.
    private func withServer(_ body: (Int) throws -> Void) throws {
        try ServiceServer.run(ServeConfiguration()) { port, _ in try body(port) }
    }

    @Test func liveAnswers200WithEmptyBody() throws {
        try withServer { port in
            let result = try Curl.run("http://127.0.0.1:\(port)/v2/health/live")
            #expect(result.status == 200)
            #expect(result.headers["content-length"] == "0")
            #expect(result.body.isEmpty)
        }
    }

    @Test func readyAnswers200OnceStarted() throws {
        try withServer { port in
            let result = try Curl.run("http://127.0.0.1:\(port)/v2/health/ready")
            #expect(result.status == 200)
        }
    }

    @Test func serverMetadataNamesServerVersionAndExtensions() throws {
        try withServer { port in
            let result = try Curl.run("http://127.0.0.1:\(port)/v2")
            #expect(result.status == 200)
            #expect(result.headers["content-type"] == "application/json")
            let value = try JSONParser.parse(result.body)
            #expect(value["name"] == .string(ServerInfo.name))
            #expect(value["version"] == .string(ServerInfo.version))
            #expect(value["extensions"]?.arrayValue != nil)
        }
    }

    @Test func unknownPathAnswers404WithJSONError() throws {
        try withServer { port in
            let result = try Curl.run("http://127.0.0.1:\(port)/v2/nowhere")
            #expect(result.status == 404)
            let value = try JSONParser.parse(result.body)
            #expect(value["error"] == .string("no endpoint for GET /v2/nowhere"))
        }
    }

    @Test func wrongMethodOnKnownPathAnswers405WithAllow() throws {
        try withServer { port in
            let result = try Curl.run("http://127.0.0.1:\(port)/v2/health/live", ["-X", "POST", "-d", "{}"])
            #expect(result.status == 405)
            #expect(result.headers["allow"] == "GET")
            let value = try JSONParser.parse(result.body)
            #expect(value["error"]?.stringValue?.contains("POST") == true)
        }
    }

    @Test func modelListIsEmptyAndModelsAre404WithoutAGraph() throws {
        try withServer { port in
            let list = try Curl.run("http://127.0.0.1:\(port)/v2/models")
            #expect(list.status == 200)
            #expect(try JSONParser.parse(list.body) == ["models": []])
            let model = try Curl.run("http://127.0.0.1:\(port)/v2/models/fraud")
            #expect(model.status == 404)
            #expect(try JSONParser.parse(model.body)["error"] == "unknown model 'fraud' (no models are served)")
        }
    }

    @Test func keepAliveRequestsAlternatingPathsAndMethodsEachGetTheirOwnRoute() throws {
        try withServer { port in
            let client = try HTTPTestClient(port: port)
            let sequence: [(String, String, Int)] = [
                ("GET", "/v2/health/live", 200), ("GET", "/v2/health/live", 200), ("DELETE", "/v2/health/live", 405),
                ("GET", "/v2/health/live", 200), ("HEAD", "/v2/health/live", 200), ("GET", "/v2/nowhere", 404),
                ("GET", "/v2", 200), ("GET", "/v2/health/live", 200), ("GET", "/v2/models/m", 404),
                ("GET", "/v2/models/m", 404), ("GET", "/v2/health/live", 200),
            ]
            for (method, path, status) in sequence {
                try client.send("\(method) \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
                // HEAD of an empty body: the same Content-Length 0 head as GET.
                #expect(try client.readResponse().status == status, "\(method) \(path)")
            }
        }
    }

    @Test func headRequestGetsHeadersWithoutBody() throws {
        try withServer { port in
            let result = try Curl.run("http://127.0.0.1:\(port)/v2", ["-I"])
            #expect(result.status == 200)
            #expect(result.body.isEmpty)
            #expect(Int(result.headers["content-length"] ?? "") ?? 0 > 0)
        }
    }
}

/// The route table: templates, captures and 405 detection, without sockets.
struct RouterTests {
    @Test func capturesSegmentsOfTemplates() {
        var router = Router<Int>()
        router.add(.post, "/v2/models/{model}/versions/{version}/infer", 1)
        router.add(.post, "/v2/models/{model}/infer", 2)
        guard case .found(let route, let captures) = router.lookup(.post, "/v2/models/fraud/versions/3/infer") else {
            Issue.record("no match")
            return
        }
        #expect(route == 1)
        #expect(captures == ["fraud", "3"])
    }

    @Test func routeAddedWithoutCapturingIsFoundWithNoCaptures() {
        var router = Router<Int>()
        router.add(.post, "/v2/models/{model}/{operation}", 1, capturing: false)
        router.add(.get, "/v2/models/{model}/{operation}", 2)
        guard case .found(1, let none) = router.lookup(.post, "/v2/models/fraud/infer"),
            case .found(2, let captures) = router.lookup(.get, "/v2/models/fraud/ready")
        else {
            Issue.record("no match")
            return
        }
        #expect(none.isEmpty)
        #expect(captures == ["fraud", "ready"])
    }

    @Test func templatesStartingWithACaptureCompeteInTableOrderWithLiteralOnes() {
        var router = Router<Int>()
        router.add(.get, "/v2/health", 1)
        router.add(.get, "/{anything}/health", 2)
        router.add(.get, "/v2/{name}", 3)
        router.add(.post, "/push", 4)
        let expected: [(String, Int)] = [("/v2/health", 1), ("/other/health", 2), ("/v2/other", 3), ("/v2/health/", 1)]
        for (path, route) in expected {
            guard case .found(let found, _) = router.lookup(.get, path[...]) else {
                Issue.record("\(path) not routed")
                continue
            }
            #expect(found == route, "\(path)")
        }
        guard case .methodNotAllowed(let allowed) = router.lookup(.post, "/x/health") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == [.get])
        guard case .notFound = router.lookup(.get, "/pushed") else {
            Issue.record("a longer first segment matched a shorter literal")
            return
        }
    }

    @Test func routesOfOtherMethodsNeitherHideNorPrecedeTheRequestMethodsRoute() {
        var router = Router<Int>()
        router.add(.get, "/a/{x}", 1)
        router.add(.post, "/a/b", 2)
        router.add(.put, "/a/{x}", 3)
        guard case .found(2, let none) = router.lookup(.post, "/a/b"),
            case .found(1, let captures) = router.lookup(.get, "/a/b"),
            case .found(3, _) = router.lookup(.put, "/a/b"),
            case .methodNotAllowed(let allowed) = router.lookup(.delete, "/a/b"),
            case .methodNotAllowed(let others) = router.lookup(.post, "/a/c")
        else {
            Issue.record("unexpected lookup")
            return
        }
        #expect(none.isEmpty)
        #expect(captures == ["b"])
        #expect(allowed == [.get, .post, .put])
        #expect(others == [.get, .put])
    }

    @Test func emptySegmentsDoNotMatchCaptures() {
        var router = Router<Int>()
        router.add(.post, "/v2/models/{model}/infer", 2)
        guard case .notFound = router.lookup(.post, "/v2/models//infer") else {
            Issue.record("empty model name matched")
            return
        }
    }

    @Test func otherMethodOnKnownPathIsMethodNotAllowed() {
        var router = Router<Int>()
        router.add(.get, "/v2/health/live", 1)
        guard case .methodNotAllowed(let allowed) = router.lookup(.delete, "/v2/health/live") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == [.get])
    }

    @Test func headIsAnsweredByGetRoutes() {
        var router = Router<Int>()
        router.add(.get, "/v2", 7)
        guard case .found(let route, _) = router.lookup(.head, "/v2/") else {
            Issue.record("HEAD not routed")
            return
        }
        #expect(route == 7)
    }
}
