import Testing

@testable import ModelServer

/// The incremental parser, bytes in and values out: no sockets.
struct HTTPRequestParserTests {
    /// Feeds `text` in pieces of `step` bytes, collecting every result other than `.needMoreData`.
    static func parse(_ text: String, step: Int = .max, limits: HTTPRequestParser.Limits = .init())
        -> [HTTPRequestParser.Result]
    {
        var parser = HTTPRequestParser(limits: limits)
        var results: [HTTPRequestParser.Result] = []
        let bytes = Array(text.utf8)
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + max(1, min(step, bytes.count)))
            parser.append(contentsOf: bytes[offset..<end])
            offset = end
            while true {
                let result = parser.next()
                if case .needMoreData = result { break }
                results.append(result)
                if case .error = result { return results }
            }
        } while offset < bytes.count
        return results
    }

    static func requests(_ results: [HTTPRequestParser.Result]) -> [HTTPRequest] {
        results.compactMap { if case .request(let request) = $0 { request } else { nil } }
    }

    static func error(_ results: [HTTPRequestParser.Result]) -> HTTPParseError? {
        results.lazy.compactMap { if case .error(let error) = $0 { error } else { nil } }.first
    }

    @Test func parsesRequestLineHeadersAndTarget() throws {
        let requests = Self.requests(
            Self.parse("GET /v2/models/m?verbose=1&x=2 HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nx-a:  2 \r\n\r\n"))
        let request = try #require(requests.first)
        #expect(request.method == .get)
        #expect(request.target == "/v2/models/m?verbose=1&x=2")
        #expect(request.path == "/v2/models/m")
        #expect(request.query == "verbose=1&x=2")
        #expect(request.version == .http1_1)
        #expect(request.headers["x-A"] == "1")
        #expect(request.headers.values(for: "X-A") == ["1", "2"])
        #expect(request.body.isEmpty)
    }

    static let pipelined =
        "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
        + "\r\n"  // RFC 9112 §2.2: an empty line before a request-line is ignored
        + "POST /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nT: v\r\n\r\n"
        + "GET /c HTTP/1.0\r\n\r\n"

    @Test(arguments: [1, 2, 3, 7, 64, Int.max])
    func parsesPipelinedRequestsFedInPiecesOfAnySize(step: Int) {
        let requests = Self.requests(Self.parse(Self.pipelined, step: step))
        #expect(requests.map(\.path) == ["/a", "/b", "/c"])
        #expect(requests.map { String(decoding: $0.body, as: UTF8.self) } == ["hello", "abcde", ""])
        #expect(requests.map(\.version) == [.http1_1, .http1_1, .http1_0])
    }

    @Test func asksFor100ContinueOnceBeforeTheBodyArrives() {
        var parser = HTTPRequestParser()
        parser.append(
            contentsOf: "PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8)
        guard case .continueExpected = parser.next() else {
            Issue.record("expected continueExpected")
            return
        }
        guard case .needMoreData = parser.next() else {
            Issue.record("expected needMoreData")
            return
        }
        parser.append(contentsOf: "ok".utf8)
        guard case .request(let request) = parser.next() else {
            Issue.record("expected a request")
            return
        }
        #expect(request.body == Array("ok".utf8))
    }

    @Test func doesNotAskFor100ContinueWhenTheBodyIsAlreadyThere() {
        let results = Self.parse("PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok")
        #expect(results.count == 1)
        #expect(Self.requests(results).count == 1)
    }

    static let badInput: [(String, HTTPParseError)] = [
        (
            "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            .contentLengthWithTransferEncoding
        ),
        ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", .duplicateContentLength(1)),
        (
            "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            .conflictingContentLength(first: 1, second: 2)
        ),
        ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 1\r\n\r\n", .invalidContentLength("1, 1")),
        ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", .invalidContentLength("-1")),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", .invalidChunkSize(offset: 56)),
        (
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
            .invalidChunkTerminator(offset: 61)
        ),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", .chunkedNotFinal),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", .unsupportedTransferCoding("gzip")),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .transferEncodingInHTTP10),
        ("GET / HTTP/1.1\r\n\r\n", .missingHost),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .duplicateHost),
        ("GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", .obsoleteLineFolding(offset: 25)),
        ("GET / HTTP/1.1\r\nHost : h\r\n\r\n", .invalidHeaderLine(offset: 20)),
        ("GET / HTTP/1.1\r\n: h\r\n\r\n", .invalidHeaderLine(offset: 16)),
        ("GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", .invalidRequestLine(offset: 7)),
        ("GET / HTTP/1.1 \r\nHost: h\r\n\r\n", .invalidRequestLine(offset: 6)),
        ("GET / HTTP/1\r\nHost: h\r\n\r\n", .invalidRequestLine(offset: 6)),
        ("G(T / HTTP/1.1", .invalidRequestLine(offset: 1)),
        ("BREW / HTTP/1.1\r\nHost: h\r\n\r\n", .unsupportedMethod("BREW")),
        ("GET / HTTP/2.0\r\nHost: h\r\n\r\n", .unsupportedVersion("HTTP/2.0")),
        ("GET / HTTP/1.2\r\nHost: h\r\n\r\n", .unsupportedVersion("HTTP/1.2")),
    ]

    @Test(arguments: badInput)
    func rejectsMalformedFraming(_ input: String, _ expected: HTTPParseError) {
        #expect(Self.error(Self.parse(input)) == expected)
        #expect(Self.error(Self.parse(input, step: 1)) == expected)
    }

    @Test func mapsErrorsToTheirStatus() {
        #expect(HTTPParseError.unsupportedMethod("BREW").status == .notImplemented)
        #expect(HTTPParseError.unsupportedTransferCoding("gzip").status == .notImplemented)
        #expect(HTTPParseError.unsupportedVersion("HTTP/2.0").status == .httpVersionNotSupported)
        #expect(HTTPParseError.headerTooLarge(limit: 1).status == .headerFieldsTooLarge)
        #expect(HTTPParseError.tooManyHeaders(limit: 1).status == .headerFieldsTooLarge)
        #expect(HTTPParseError.bodyTooLarge(limit: 1).status == .payloadTooLarge)
        #expect(HTTPParseError.missingHost.status == .badRequest)
    }

    @Test func rejectsAHeadOverTheByteLimitEvenWhenItNeverEnds() {
        let limits = HTTPRequestParser.Limits(maxHeaderBytes: 64)
        let endless = "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 100)
        #expect(Self.error(Self.parse(endless, step: 5, limits: limits)) == .headerTooLarge(limit: 64))
        let complete = "GET / HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "a", count: 50) + "\r\n\r\n"
        #expect(Self.error(Self.parse(complete, limits: limits)) == .headerTooLarge(limit: 64))
    }

    @Test func rejectsMoreHeaderFieldsThanTheLimit() {
        let limits = HTTPRequestParser.Limits(maxHeaderCount: 2)
        #expect(Self.requests(Self.parse("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\n\r\n", limits: limits)).count == 1)
        #expect(
            Self.error(Self.parse("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n", limits: limits))
                == .tooManyHeaders(limit: 2))
    }

    @Test func rejectsBodiesOverTheLimitByLengthAndWhileDechunking() {
        let limits = HTTPRequestParser.Limits(maxBodyBytes: 4)
        #expect(
            Self.error(Self.parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n", limits: limits))
                == .bodyTooLarge(limit: 4))
        let chunked = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
        #expect(Self.error(Self.parse(chunked, step: 1, limits: limits)) == .bodyTooLarge(limit: 4))
    }

    @Test func holdsTrailersToTheHeaderByteLimit() {
        let limits = HTTPRequestParser.Limits(maxHeaderBytes: 80)
        let trailers =
            "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: "
            + String(repeating: "t", count: 100)
        #expect(Self.error(Self.parse(trailers, limits: limits)) == .headerTooLarge(limit: 80))
    }

    @Test func reportsBufferedBytesAndWhetherARequestHasBegun() {
        var parser = HTTPRequestParser()
        #expect(parser.isBetweenRequests)
        parser.append(
            contentsOf: "GET / HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nab"
                .utf8)
        guard case .request = parser.next() else {
            Issue.record("expected the first request")
            return
        }
        #expect(!parser.isBetweenRequests)
        guard case .needMoreData = parser.next() else {
            Issue.record("expected needMoreData inside the second body")
            return
        }
        #expect(parser.isReadingBody)
        #expect(parser.bufferedByteCount == 2)
    }

    @Test func decidesKeepAliveFromVersionAndConnectionHeader() {
        let requests = Self.requests(
            Self.parse(
                "GET / HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "GET / HTTP/1.1\r\nHost: h\r\nConnection: Keep-Alive, Close\r\n\r\n"
                    + "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                    + "GET / HTTP/1.0\r\n\r\n"))
        #expect(requests.map(\.keepAlive) == [true, false, true, false])
    }

    @Test func routesAbsoluteFormTargetsByTheirPath() {
        let requests = Self.requests(
            Self.parse(
                "GET http://example.com:8080/v2/health/ready?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n"
                    + "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n" + "GET http://example.com HTTP/1.1\r\nHost: h\r\n\r\n"))
        #expect(requests.map(\.path) == ["/v2/health/ready", "*", "/"])
        #expect(requests.map(\.query) == ["x=1", nil, nil])
        #expect(requests[0].target == "http://example.com:8080/v2/health/ready?x=1")
    }

    @Test func neverAsksAnHTTP10ClientFor100Continue() {
        let results = Self.parse("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        #expect(results.isEmpty)
    }

    @Test func tokenMasksAgreeWithTheTokenTableForEveryByte() {
        for byte in 0...255 {
            #expect(ASCII.isToken(UInt8(byte)) == ASCII.isTokenCharacter[byte], "byte \(byte)")
        }
    }
}
