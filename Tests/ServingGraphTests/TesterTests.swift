import Testing

@testable import ServingGraph

/// Reports the method, path and id the graph received.
private struct RequestEchoStep: Step {
    let name = "echo"
    func run(_ event: Event) throws -> Event {
        var out = event
        out.body = [
            "method": .string(event.method), "path": .string(event.path), "id": .string(event.id), "body": event.body,
        ]
        return out
    }
}

struct TesterTests {
    @Test func defaultsToPOSTWithABodyAndGETWithout() throws {
        let graph = Graph.flow()
        graph.to(RequestEchoStep())
        let tester = try GraphTester(graph: graph)
        #expect(
            try tester.test(path: "/x", body: ["a": 1], eventID: "e1") == [
                "method": "POST", "path": "/x", "id": "e1", "body": ["a": 1],
            ])
        #expect(try tester.test(eventID: "e2") == ["method": "GET", "path": "/", "id": "e2", "body": nil])
        #expect(try tester.test(body: [:], method: "PUT", eventID: "e3")["method"] == "PUT")
    }

    @Test func rethrowsUnhandledFailuresUnchanged() throws {
        let graph = Graph.flow()
        graph.to(FailStep(name: "f", error: .notReady("model loading")))
        let tester = try GraphTester(graph: graph)
        #expect(throws: ServingError.notReady("model loading")) { try tester.test(body: [:]) }
    }

    @Test func runsASpecWithTheStandardRegistry() throws {
        let spec = try GraphSpec(
            json: #"{"steps": {"r": {"class_name": "Rename", "class_args": {"mapping": {"a": "b"}}}}}"#)
        #expect(try GraphTester(spec: spec).test(body: ["a": 1]) == ["b": 1])
    }

    @Test func passesHeadersToTheGraph() throws {
        struct HeaderStep: Step {
            let name = "h"
            func run(_ event: Event) throws -> Event {
                var out = event
                out.body = .string(event.header("x-user") ?? "none")
                return out
            }
        }
        let graph = Graph.flow()
        graph.to(HeaderStep())
        #expect(try GraphTester(graph: graph).test(body: [:], headers: [("X-User", "ann")]) == "ann")
    }
}
