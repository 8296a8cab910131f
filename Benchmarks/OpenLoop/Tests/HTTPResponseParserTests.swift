import Testing

@testable import OpenLoop

struct HTTPResponseParserTests {
    /// Feeds `text` in pieces of `pieceSize` bytes and collects every status the parser completes.
    private func statuses(of text: String, pieceSize: Int) throws -> [Int] {
        var parser = HTTPResponseParser()
        var statuses: [Int] = []
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + pieceSize, bytes.count)
            bytes[offset..<end].withUnsafeBytes { parser.append($0) }
            while let status = try parser.nextResponse() { statuses.append(status) }
            offset = end
        }
        return statuses
    }

    private let twoResponses =
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello"
        + "HTTP/1.1 404 Not Found\r\ncontent-length:0\r\n\r\n"

    @Test(arguments: [1, 2, 7, 64, 4096])
    func completesResponsesSplitAcrossReadsOfAnySize(pieceSize: Int) throws {
        #expect(try statuses(of: twoResponses, pieceSize: pieceSize) == [200, 404])
    }

    @Test func completesSeveralResponsesDeliveredInOneRead() throws {
        let many = String(repeating: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", count: 50)
        #expect(try statuses(of: many, pieceSize: many.utf8.count) == Array(repeating: 200, count: 50))
    }

    @Test(arguments: [1, 3, 1000])
    func skipsChunkedBodiesWithExtensionsAndTrailers(pieceSize: Int) throws {
        let chunked =
            "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"
        #expect(try statuses(of: chunked, pieceSize: pieceSize) == [201, 200])
    }

    @Test func skipsInformationalResponsesAndCompletesBodylessStatuses() throws {
        let text =
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"
            + "HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n"
        #expect(try statuses(of: text, pieceSize: 3) == [204, 304])
    }

    @Test func waitsForTheRestOfABody() throws {
        #expect(try statuses(of: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", pieceSize: 100) == [])
    }

    @Test(arguments: ["HTTP/2 200 OK\r\n\r\n", "FTP/1.1 200 OK\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n"])
    func rejectsMalformedStatusLines(text: String) {
        #expect(throws: HTTPResponseParseError.invalidStatusLine(offset: 0)) {
            try statuses(of: text, pieceSize: 100)
        }
    }

    @Test func rejectsAResponseWithoutFraming() {
        #expect(throws: HTTPResponseParseError.unframedBody(status: 200)) {
            try statuses(of: "HTTP/1.1 200 OK\r\nServer: x\r\n\r\n", pieceSize: 100)
        }
    }

    @Test func rejectsANegativeContentLength() {
        #expect(throws: HTTPResponseParseError.invalidContentLength("-1")) {
            try statuses(of: "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", pieceSize: 100)
        }
    }

    @Test func acceptsContentLengthSurroundedBySpacesAndTabs() throws {
        let text = "HTTP/1.1 200 OK\r\nContent-Length: \t3 \r\n\r\nabcHTTP/1.1 204 No Content\r\n\r\n"
        #expect(try statuses(of: text, pieceSize: 5) == [200, 204])
    }

    @Test(arguments: ["1a", "", "1 2", "9999999999999999999"])
    func rejectsContentLengthThatIsNotADecimalNumber(value: String) {
        #expect(throws: HTTPResponseParseError.invalidContentLength(value)) {
            try statuses(of: "HTTP/1.1 200 OK\r\nContent-Length: \(value)\r\n\r\n", pieceSize: 100)
        }
    }

    @Test func rejectsABadChunkSize() {
        #expect(throws: HTTPResponseParseError.self) {
            try statuses(of: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", pieceSize: 100)
        }
    }

    @Test func rejectsHeadersLargerThanTheLimit() {
        let huge = "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: HTTPResponseParser.maxHeaderBytes + 1)
        #expect(throws: HTTPResponseParseError.headerTooLarge(limit: HTTPResponseParser.maxHeaderBytes)) {
            try statuses(of: huge, pieceSize: 4096)
        }
    }
}
