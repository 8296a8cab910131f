import Testing

@testable import ModelServer

/// Requests on one connection that repeat the previous head's bytes reuse what it parsed to (HTTPHeadMemo);
/// every request still gets exactly what parsing its own bytes gives.
struct HTTPHeadMemoTests {
    static func head(_ target: String, _ fields: String) -> String {
        "POST \(target) HTTP/1.1\r\n\(fields)\r\n"
    }

    @Test(arguments: [1, 5, Int.max])
    func requestsRepeatingOrChangingTheirHeadEachGetTheirOwnFieldsTargetAndBody(step: Int) throws {
        let same = "Host: h\r\nContent-Type: application/json\r\nContent-Length: 3\r\n"
        let longer = "Host: h\r\nContent-Type: application/json\r\nContent-Length: 4\r\n"
        let text =
            Self.head("/v2/models/fraud/infer", same) + "abc" + Self.head("/v2/models/fraud/infer", same) + "def"
            + Self.head("/v2/models/fraud/infer", longer) + "ghij" + Self.head("/v2/models/other/infer", longer)
            + "klmn" + Self.head("/v2/models/fraud/infer", same) + "opq"
        let requests = HTTPRequestParserTests.requests(HTTPRequestParserTests.parse(text, step: step))
        #expect(
            requests.map(\.path) == [
                "/v2/models/fraud/infer", "/v2/models/fraud/infer", "/v2/models/fraud/infer", "/v2/models/other/infer",
                "/v2/models/fraud/infer",
            ])
        #expect(requests.map { String(decoding: $0.body, as: UTF8.self) } == ["abc", "def", "ghij", "klmn", "opq"])
        #expect(requests.map { $0.headers["Content-Length"] } == ["3", "3", "4", "4", "3"])
        for request in requests {
            #expect(request.headers.count == 3)
            #expect(request.headers["content-type"] == "application/json")
        }
    }

    @Test func aRepeatedFieldSectionStillFailsTheHeadItMakesInvalid() {
        // The same fields are valid under HTTP/1.0 but lack the Host HTTP/1.1 requires.
        let text = "POST /a HTTP/1.0\r\nContent-Length: 1\r\n\r\nx" + "POST /a HTTP/1.1\r\nContent-Length: 1\r\n\r\ny"
        let results = HTTPRequestParserTests.parse(text)
        #expect(HTTPRequestParserTests.requests(results).map(\.body) == [[UInt8(ascii: "x")]])
        #expect(HTTPRequestParserTests.error(results) == .missingHost)
    }

    @Test func fieldsOverTheMemoLimitAreParsedEveryTime() throws {
        let padding = String(repeating: "v", count: HTTPHeadMemo.maxFieldBytes)
        let fields = "Host: h\r\nX-Padding: \(padding)\r\n"
        let text = Self.head("/a", fields) + Self.head("/a", fields)
        let requests = HTTPRequestParserTests.requests(HTTPRequestParserTests.parse(text))
        #expect(requests.count == 2)
        #expect(requests.allSatisfy { $0.headers["X-Padding"] == padding })
    }

    /// A head whose fields are `Host`, `Content-Length: <length>` (written as `lengthText`) and `Content-Type`.
    static func lengthHead(_ lengthText: String) -> String {
        head("/", "Host: h\r\nContent-Length: \(lengthText)\r\nContent-Type: application/json\r\n")
    }

    @Test(arguments: [1, 3, Int.max])
    func headsDifferingOnlyInTheirContentLengthEachGetTheirOwnLengthValueAndBody(step: Int) {
        let bodies = ["x", "abcdefghi", "0123456789", "y", String(repeating: "z", count: 100), "ab", "ab", "cd"]
        let text = bodies.map { Self.lengthHead(String($0.utf8.count)) + $0 }.joined()
        let requests = HTTPRequestParserTests.requests(HTTPRequestParserTests.parse(text, step: step))
        #expect(requests.map { String(decoding: $0.body, as: UTF8.self) } == bodies)
        #expect(requests.map { $0.headers["Content-Length"] } == bodies.map { String($0.utf8.count) })
        for request in requests {
            #expect(request.headers.map(\.name) == ["Host", "Content-Length", "Content-Type"])
            #expect(request.headers["content-type"] == "application/json")
        }
    }

    @Test func aChunkedRequestAfterALengthDelimitedOneWithTheSameOtherFieldsIsDecodedAsChunked() {
        let chunked = Self.head("/", "Host: h\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n")
        let text = Self.lengthHead("2") + "ab" + chunked + "3\r\ncde\r\n0\r\n\r\n" + Self.lengthHead("1") + "f"
        let requests = HTTPRequestParserTests.requests(HTTPRequestParserTests.parse(text))
        #expect(requests.map { String(decoding: $0.body, as: UTF8.self) } == ["ab", "cde", "f"])
        #expect(requests.map { $0.headers["Content-Length"] } == ["2", nil, "1"])
        #expect(requests.map { $0.headers["Transfer-Encoding"] } == [nil, "chunked", nil])
    }

    @Test(arguments: [
        ("", HTTPParseError.invalidContentLength("")),
        ("1a", .invalidContentLength("1a")),
        ("5, 5", .invalidContentLength("5, 5")),
        ("-1", .invalidContentLength("-1")),
        (String(repeating: "9", count: 19), .invalidContentLength(String(repeating: "9", count: 19))),
    ])
    func aBadContentLengthAfterAGoodOneFailsAsItWouldAlone(lengthText: String, expected: HTTPParseError) {
        let text = Self.lengthHead("2") + "ab" + Self.lengthHead(lengthText) + "cd"
        let results = HTTPRequestParserTests.parse(text)
        #expect(HTTPRequestParserTests.requests(results).map(\.body) == [Array("ab".utf8)])
        #expect(HTTPRequestParserTests.error(results) == expected)
        #expect(
            HTTPRequestParserTests.error(HTTPRequestParserTests.parse(Self.lengthHead(lengthText) + "cd")) == expected)
    }

    @Test func aChangedContentLengthOverTheBodyLimitStillFails() {
        let limits = HTTPRequestParser.Limits(maxBodyBytes: 10)
        let text = Self.lengthHead("2") + "ab" + Self.lengthHead("11") + "0123456789a"
        let results = HTTPRequestParserTests.parse(text, limits: limits)
        #expect(HTTPRequestParserTests.requests(results).count == 1)
        #expect(HTTPRequestParserTests.error(results) == .bodyTooLarge(limit: 10))
    }

    @Test func aChangedContentLengthWithAnotherFieldChangedIsParsedInFull() {
        let other = Self.head("/", "Host: h\r\nContent-Length: 3\r\nContent-Type: text/plain\r\n")
        let text = Self.lengthHead("2") + "ab" + other + "cde"
        let requests = HTTPRequestParserTests.requests(HTTPRequestParserTests.parse(text))
        #expect(requests.map { $0.headers["Content-Type"] } == ["application/json", "text/plain"])
        #expect(requests.map { $0.headers["Content-Length"] } == ["2", "3"])
        #expect(requests.map { String(decoding: $0.body, as: UTF8.self) } == ["ab", "cde"])
    }
}
