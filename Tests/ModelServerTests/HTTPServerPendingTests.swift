import Synchronization
import Testing

@testable import ModelServer

/// Responses completed later from another thread, and the order of pipelined responses behind them.
struct HTTPServerPendingTests {
    @Test func writesAResponseCompletedFromAnotherThread() async throws {
        let pending = PendingRequests()
        let server = try HTTPTestServer(responder: { PendingResponder(requests: pending) })
        defer { server.stop() }
        let client = try server.client()
        try client.send("GET /pending HTTP/1.1\r\nHost: x\r\n\r\n")
        try await pending.waitFor(count: 1)
        pending.completeNext(body: "later")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "later")
    }

    @Test func keepsPipelinedResponsesInRequestOrderBehindAPendingOne() async throws {
        let pending = PendingRequests()
        let server = try HTTPTestServer(responder: { PendingResponder(requests: pending) })
        defer { server.stop() }
        let client = try server.client()
        try client.send(
            "GET /pending/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /now HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /pending/2 HTTP/1.1\r\nHost: x\r\n\r\nGET /also-now HTTP/1.1\r\nHost: x\r\n\r\n")
        try await pending.waitFor(count: 2)
        // Complete the second pending first: nothing may overtake the first.
        let second = pending.waiting.withLock { $0.removeLast().1 }
        second.complete(HTTPResponse(status: .ok, body: Array("second".utf8)))
        pending.completeNext(body: "first")
        #expect(try client.readResponse().bodyText == "first")
        #expect(try client.readResponse().header("X-Path") == "/now")
        #expect(try client.readResponse().bodyText == "second")
        #expect(try client.readResponse().header("X-Path") == "/also-now")
    }

    @Test func ignoresASecondCompletion() async throws {
        let pending = PendingRequests()
        let server = try HTTPTestServer(responder: { PendingResponder(requests: pending) })
        defer { server.stop() }
        let client = try server.client()
        try client.send("GET /pending HTTP/1.1\r\nHost: x\r\n\r\n")
        try await pending.waitFor(count: 1)
        let response = pending.waiting.withLock { $0.removeFirst().1 }
        response.complete(HTTPResponse(status: .ok, body: Array("once".utf8)))
        response.complete(HTTPResponse(status: .internalServerError, body: Array("twice".utf8)))
        try client.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().bodyText == "once")
        #expect(try client.readResponse().header("X-Path") == "/next")
    }

    @Test func dropsACompletionForAClientThatLeft() async throws {
        let pending = PendingRequests()
        let server = try HTTPTestServer(responder: { PendingResponder(requests: pending) })
        defer { server.stop() }
        do {
            let gone = try server.client()
            try gone.send("GET /pending HTTP/1.1\r\nHost: x\r\n\r\n")
            try await pending.waitFor(count: 1)
        }
        pending.completeNext(body: "nobody listens")
        let client = try server.client()
        try client.send("GET /still-serving HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().header("X-Path") == "/still-serving")
    }

    @Test func stopsParsingWhileTooManyResponsesAreOwedAndResumesAfterwards() async throws {
        let pending = PendingRequests()
        let server = try HTTPTestServer(
            configure: { $0.maxResponsesInFlight = 2 }, responder: { PendingResponder(requests: pending) })
        defer { server.stop() }
        let client = try server.client()
        try client.send((0..<5).map { "GET /pending/\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
        for index in 0..<5 {
            try await pending.waitFor(count: 1)
            #expect(pending.waiting.withLock { $0.count } <= 2)
            let request = pending.waiting.withLock { $0[0].0 }
            pending.completeNext(body: request.path)
            #expect(try client.readResponse().bodyText == "/pending/\(index)")
        }
    }
}
