import Testing

@testable import ModelServer

/// Response serialisation: bytes out, no sockets.
struct HTTPResponseWriterTests {
    static func written(
        _ response: HTTPResponse, headOnly: Bool = false, connection: HTTPResponseWriter.ConnectionField = .none
    ) -> String {
        var output: [UInt8] = []
        HTTPResponseWriter.write(response, headOnly: headOnly, connection: connection, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    @Test func writesStatusHeadersLengthAndBody() {
        let response = HTTPResponse.json(.ok, Array(#"{"a":1}"#.utf8))
        #expect(
            Self.written(response)
                == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}")
    }

    @Test func replacesTheResponsesOwnLengthAndConnectionFields() {
        var headers = HTTPHeaders()
        headers.add(name: "content-length", value: "999")
        headers.add(name: "Connection", value: "close")
        let response = HTTPResponse(status: .notFound, headers: headers, body: Array("nope".utf8))
        #expect(
            Self.written(response, connection: .close)
                == "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnope")
    }

    @Test func sendsTheLengthButNotTheBodyForHEAD() {
        let response = HTTPResponse(status: .ok, body: Array("12345".utf8))
        #expect(
            Self.written(response, headOnly: true, connection: .keepAlive)
                == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n")
    }

    @Test func sendsEmptyBodiesWithLengthZeroAndNoLengthFor204() {
        #expect(Self.written(HTTPResponse(status: .ok)) == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        #expect(Self.written(HTTPResponse(status: .noContent, body: [1])) == "HTTP/1.1 204 No Content\r\n\r\n")
    }

    @Test(arguments: [0, 7, 10, 99, 1_234_567, Int(Int32.max)])
    func writesDecimalLengths(value: Int) {
        var output: [UInt8] = []
        HTTPResponseWriter.appendDecimal(value, to: &output)
        #expect(String(decoding: output, as: UTF8.self) == String(value))
    }

    @Test func escapesErrorMessagesIntoJSON() {
        let body = HTTPResponse.errorBody("bad \"x\"\\\n\u{1}")
        #expect(String(decoding: body, as: UTF8.self) == #"{"error":"bad \"x\"\\\n\u0001"}"#)
    }

    @Test func namesStatusesByTheirStandardReason() {
        #expect(HTTPStatus(code: 431).reason == "Request Header Fields Too Large")
        #expect(HTTPStatus.httpVersionNotSupported.code == 505)
        #expect(HTTPStatus(code: 299).reason == "Unknown")
    }

    @Test func formatsTheDateFieldAsAnIMFFixdate() {
        #expect(
            String(decoding: HTTPDateCache.format(epochSeconds: 784_111_777), as: UTF8.self)
                == "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n")
        #expect(
            String(decoding: HTTPDateCache.format(epochSeconds: 1_795_600_000), as: UTF8.self)
                == "Date: Wed, 25 Nov 2026 09:46:40 GMT\r\n")
    }

    @Test func writesTheDateFieldInPlaceOfTheResponsesOwn() {
        let date = HTTPDateCache.format(epochSeconds: 784_111_777)
        let response = HTTPResponse(status: .ok, headers: ["Date": "yesterday"])
        var output: [UInt8] = []
        HTTPResponseWriter.write(response, headOnly: false, connection: .none, date: date, into: &output)
        #expect(
            String(decoding: output, as: UTF8.self)
                == "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n")
    }
}
