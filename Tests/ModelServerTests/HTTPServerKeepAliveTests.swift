import Glibc
import Testing

@testable import ModelServer

/// Keep-alive, Connection: close, HTTP/1.0 and pipelining, over real sockets.
struct HTTPServerKeepAliveTests {
    @Test func keepsHTTP11ConnectionOpenAcrossRequests() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let client = try server.client()
        for index in 0..<3 {
            try client.send("GET /a?n=\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("X-Query") == "n=\(index)")
            #expect(response.header("Date")?.hasSuffix(" GMT") == true)
            #expect(response.header("Connection") == nil)
        }
    }

    @Test func closesAfterRequestWithConnectionCloseAndSaysSo() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let client = try server.client()
        try client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.header("Connection") == "close")
        #expect(try client.readUntilClosed().isEmpty)
    }

    @Test func closesWhenTheResponderAnswersConnectionClose() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let client = try server.client()
        try client.send("GET /close HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.header("Connection") == "close")
        #expect(try client.readUntilClosed().isEmpty)
    }

    @Test func closesHTTP10ConnectionWithoutKeepAlive() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let client = try server.client()
        try client.send("GET /old HTTP/1.0\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.header("Connection") == "close")
        #expect(try client.readUntilClosed().isEmpty)
    }

    @Test func keepsHTTP10ConnectionWithKeepAliveAndEchoesIt() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let client = try server.client()
        for _ in 0..<2 {
            try client.send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Connection") == "keep-alive")
        }
    }

    @Test func answersPipelinedRequestsInOneWriteInOrder() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let client = try server.client()
        let paths = ["/one", "/two", "/three"]
        try client.send(paths.map { "GET \($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
        for path in paths {
            #expect(try client.readResponse().header("X-Path") == path)
        }
    }

    @Test func answersPipelinedRequestsBeyondThePerWakeupCap() throws {
        let server = try HTTPTestServer(configure: { $0.maxPipelinedRequests = 3 })
        defer { server.stop() }
        let client = try server.client()
        // Everything arrives in one read: requests past the cap wait on the ready-list, not on epoll.
        try client.send((0..<40).map { "GET /r\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
        for index in 0..<40 {
            #expect(try client.readResponse().header("X-Path") == "/r\(index)")
        }
    }

    @Test func parsesARequestArrivingOneByteAtATime() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let client = try server.client()
        let request = Array("POST /split HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello".utf8)
        for byte in request {
            try client.send([byte])
            // A blocking pause: an async sleep waits for a free cooperative thread, and on a loaded
            // 2-core machine that outlasted the header timeout (408, then EPIPE on the next byte).
            usleep(1000)
        }
        let response = try client.readResponse()
        #expect(response.bodyText == "hello")
        #expect(response.header("X-Path") == "/split")
    }

    @Test func answersHEADWithHeadersOnly() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let client = try server.client()
        try client.send("HEAD /big/1000 HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try client.readHeadOnlyResponse()
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "1000")
        // The next response follows the head immediately: no body bytes were sent in between.
        #expect(try client.readResponse().header("X-Path") == "/next")
    }
}
