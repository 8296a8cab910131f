/// A response the server writes; it adds `Content-Length` (always) and `Connection` itself.
package struct HTTPResponse: Sendable {
    /// The status line's code and reason.
    package var status: HTTPStatus
    /// Header fields; `Content-Length` is replaced by the body's length, `Connection: close` is honoured.
    package var headers: HTTPHeaders
    /// The body; not sent for HEAD requests (its length still is).
    package var body: [UInt8]

    /// A response from its parts.
    package init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response whose body is JSON (`Content-Type: application/json`).
    package static func json(_ status: HTTPStatus, _ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: status, headers: jsonHeaders, body: body)
    }

    /// The header fields of a JSON response, built once (a response shares them until it changes them).
    private static let jsonHeaders: HTTPHeaders = ["Content-Type": "application/json"]

    /// A JSON error response `{"error":"<message>"}`, the shape every error of the server has.
    package static func error(_ status: HTTPStatus, message: String) -> HTTPResponse {
        json(status, errorBody(message))
    }

    /// Writes `{"error":"<message>"}` by hand, escaping quotes, backslashes and control characters.
    package static func errorBody(_ message: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(message.utf8.count + 14)
        bytes.append(contentsOf: #"{"error":""#.utf8)
        let hex = Array("0123456789abcdef".utf8)
        for byte in message.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): bytes.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): bytes.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(contentsOf: #""}"#.utf8)
        return bytes
    }

    /// Whether the response asks to close the connection after it (`Connection: close`).
    var closesConnection: Bool {
        guard headers.contains(name: "connection") else { return false }
        for (name, value) in headers where HTTPHeaders.equalsIgnoringCase(name, "connection") {
            for token in value.split(separator: ",")
            where HTTPHeaders.equalsIgnoringCase(token.trimmingSpaces(), "close") {
                return true
            }
        }
        return false
    }
}
