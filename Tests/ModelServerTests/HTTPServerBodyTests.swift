import Testing
@testable import ModelServer

/// Body framing over real sockets: Content-Length, chunked, 100-continue, and the framing errors that close.
struct HTTPServerBodyTests {
    @Test func readsAContentLengthBody() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let client = try server.client()
        try client.send("POST /v2/models/m/infer HTTP/1.1\r\nHost: x\r\nContent-Length: 13\r\n\r\n{\"inputs\":[]}")
        let response = try client.readResponse()
        #expect(response.bodyText == "{\"inputs\":[]}")
        #expect(response.header("Content-Length") == "13")
    }

    @Test func readsAChunkedBodyIgnoringExtensionsAndTrailers() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let client = try server.client()
        try client.send(
            "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: yes\r\n\r\n"
                + "GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().bodyText == "hello 0123456789")
        #expect(try client.readResponse().header("X-Path") == "/after")
    }

    @Test func treatsAPOSTWithoutFramingAsAnEmptyBody() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let client = try server.client()
        try client.send("POST /empty HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().header("X-Body-Length") == "0")
    }

    @Test func sends100ContinueThenReadsTheBody() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let client = try server.client()
        try client.send("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        let interim = try client.readResponse()
        #expect(interim.status == 100)
        try client.send("body")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "body")
    }

    @Test func answers413AtOnceToExpectContinueWithATooLargeBody() throws {
        let server = try HTTPTestServer(configure: { $0.maxBodyBytes = 1000 })
        defer { server.stop() }
        let client = try server.client()
        try client.send("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1001\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(response.header("Connection") == "close")
        #expect(response.bodyText == #"{"error":"request body exceeds 1000 bytes"}"#)
        #expect(try client.readUntilClosed().isEmpty)
    }

    static let framingErrors: [(name: String, request: String, status: Int)] = [
        ("both lengths", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("duplicate length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400),
        ("conflicting length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
        ("bad length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3x\r\n\r\nabc", 400),
        ("bad chunk size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400),
        ("malformed request line", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("missing host", "GET / HTTP/1.1\r\n\r\n", 400),
        ("space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400),
        ("unknown method", "BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n", 501),
        ("gzip coding", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
    ]

    @Test(arguments: framingErrors)
    func answersFramingErrorsWithJSONAndCloses(_ example: (name: String, request: String, status: Int)) throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let client = try server.client()
        try client.send(example.request)
        let response = try client.readResponse()
        #expect(response.status == example.status, "\(example.name)")
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.bodyText.hasPrefix(#"{"error":""#))
        #expect(response.header("Connection") == "close")
        #expect(try client.readUntilClosed().isEmpty)
    }

    @Test func answersATLSHelloWith400WithoutWaitingForMoreBytes() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let client = try server.client()
        try client.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03])
        let response = try client.readResponse()
        #expect(response.status == 400)
        #expect(try client.readUntilClosed().isEmpty)
    }

    @Test func answersEarlierPipelinedRequestsBeforeTheFramingError() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let client = try server.client()
        try client.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/9.9\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        #expect(try client.readResponse().status == 505)
        #expect(try client.readUntilClosed().isEmpty)
    }
}
