import Testing

@testable import ModelServer

/// Every named limit gets its status over a real socket.
struct HTTPServerLimitsTests {
    @Test func answers431ToHeadersOverTheByteLimit() throws {
        let server = try HTTPTestServer(configure: { $0.maxHeaderBytes = 256 })
        defer { server.stop() }
        let client = try server.client()
        try client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 300))\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 431)
        #expect(try client.readUntilClosed().isEmpty)
    }

    @Test func answers431ToAHeadThatNeverEndsOnceOverTheLimit() throws {
        let server = try HTTPTestServer(configure: { $0.maxHeaderBytes = 256 })
        defer { server.stop() }
        let client = try server.client()
        try client.send("GET / HTTP/1.1\r\nX-Endless: \(String(repeating: "a", count: 400))")
        #expect(try client.readResponse().status == 431)
    }

    @Test func answers431ToTooManyHeaderFields() throws {
        let server = try HTTPTestServer(configure: { $0.maxHeaderCount = 5 })
        defer { server.stop() }
        let client = try server.client()
        try client.send("GET / HTTP/1.1\r\nHost: x\r\n" + (0..<5).map { "X-\($0): v\r\n" }.joined() + "\r\n")
        let response = try client.readResponse()
        #expect(response.status == 431)
        #expect(response.bodyText == #"{"error":"more than 5 header fields"}"#)
    }

    @Test func answers413ToAContentLengthOverTheBodyLimit() throws {
        let server = try HTTPTestServer(configure: { $0.maxBodyBytes = 10 })
        defer { server.stop() }
        let client = try server.client()
        try client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n")
        #expect(try client.readResponse().status == 413)
    }

    @Test func answers413ToAChunkedBodyOverTheBodyLimit() throws {
        let server = try HTTPTestServer(configure: { $0.maxBodyBytes = 10 })
        defer { server.stop() }
        let client = try server.client()
        try client.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n")
        #expect(try client.readResponse().status == 413)
    }

    @Test func answers408AndClosesWhenTheHeadIsTooSlow() throws {
        let server = try HTTPTestServer(configure: { $0.headerReadTimeout = .milliseconds(200) })
        defer { server.stop() }
        let client = try server.client()
        try client.send("GET / HTTP/1.1\r\nHost: x\r\n")
        let response = try client.readResponse()
        #expect(response.status == 408)
        #expect(response.header("Connection") == "close")
        #expect(try client.readUntilClosed().isEmpty)
    }

    @Test func closesAnIdleKeepAliveConnectionQuietly() throws {
        let server = try HTTPTestServer(configure: { $0.idleTimeout = .milliseconds(200) })
        defer { server.stop() }
        let client = try server.client()
        try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        #expect(try client.readUntilClosed().isEmpty)
    }

    @Test(arguments: HTTPServerConfiguration.ListenerMode.allCases)
    func acceptsAndClosesConnectionsOverTheLimit(mode: HTTPServerConfiguration.ListenerMode) throws {
        let server = try HTTPTestServer(loops: 2, listenerMode: mode, configure: { $0.maxConnections = 2 })
        defer { server.stop() }
        let first = try server.client()
        let second = try server.client()
        try first.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n")
        try second.send("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try first.readResponse().status == 200)
        #expect(try second.readResponse().status == 200)
        let third = try server.client()
        try? third.send("GET /3 HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect((try? third.readUntilClosed())?.isEmpty ?? true)
        // The loop is not stuck on the refused one: the open connections are still served.
        try first.send("GET /again HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try first.readResponse().header("X-Path") == "/again")
    }

    @Test func answers503WhenBufferedRequestBytesExceedTheServerTotal() throws {
        let server = try HTTPTestServer(configure: {
            $0.maxBufferedBytes = 4096
            $0.readChunkBytes = 1024
        })
        defer { server.stop() }
        let client = try server.client()
        try client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
        try? client.send([UInt8](repeating: 0x61, count: 8192))
        let response = try client.readResponse()
        #expect(response.status == 503)
    }
}
