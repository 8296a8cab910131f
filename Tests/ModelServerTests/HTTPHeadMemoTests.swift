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
}
