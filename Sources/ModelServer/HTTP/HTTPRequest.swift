/// A request method (RFC 9110 §9). Unknown methods are answered 501 by the server, never seen here.
package enum HTTPMethod: Equatable, Sendable {
    case get, head, post, put, delete, options, patch, trace, connect

    /// The method token as sent on the wire (`GET`).
    package var name: String {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .delete: "DELETE"
        case .options: "OPTIONS"
        case .patch: "PATCH"
        case .trace: "TRACE"
        case .connect: "CONNECT"
        }
    }
}

/// The protocol versions the server speaks; anything else is answered 505.
package enum HTTPVersion: Sendable {
    case http1_0, http1_1
}

/// One parsed HTTP/1.1 request with its whole body (de-chunked).
package struct HTTPRequest: Sendable {
    /// The request method.
    package var method: HTTPMethod
    /// The raw request-target, query included (`/v2/models/m/infer?x=1`).
    package var target: String
    /// The request-target before `?`.
    package var path: String
    /// The request-target after the first `?`, or nil when there is none.
    package var query: String?
    /// The version from the request line.
    package var version: HTTPVersion
    /// Header fields in arrival order.
    package var headers: HTTPHeaders
    /// The body after removing any chunked framing; empty when the request has none.
    package var body: [UInt8]

    /// A request; `path` and `query` are split from `target` at the first `?`.
    package init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = []
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        // The usual origin-form without a query is its own path: share the string instead of copying it.
        if target.utf8.first == UInt8(ascii: "/") && !Self.hasQuery(target) {
            self.path = target
            self.query = nil
            return
        }
        // RFC 9112 §3.2.2: a server must accept the absolute-form (`http://host/path`); routing uses the path.
        var origin = Substring(target)
        if origin.first != "/", let colon = origin.firstIndex(of: ":"), origin[colon...].hasPrefix("://") {
            let authorityAndPath = origin[origin.index(colon, offsetBy: 3)...]
            origin =
                authorityAndPath.firstIndex(where: { $0 == "/" || $0 == "?" }).map { authorityAndPath[$0...] } ?? "/"
            if origin.first == "?" { origin = "/" + origin }
        }
        if let mark = origin.utf8.firstIndex(of: UInt8(ascii: "?")) {
            self.path = String(origin[..<mark])
            self.query = String(origin[origin.index(after: mark)...])
        } else {
            self.path = String(origin)
            self.query = nil
        }
    }

    /// Whether `target` has a `?`, scanning contiguous UTF-8 when it can.
    private static func hasQuery(_ target: String) -> Bool {
        let mark = UInt8(ascii: "?")
        return target.utf8.withContiguousStorageIfAvailable { $0.contains(mark) } ?? target.utf8.contains(mark)
    }

    /// Whether the client allows the connection to stay open after this request (RFC 9112 §9.3):
    /// HTTP/1.1 unless `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    package var keepAlive: Bool {
        guard headers.contains(name: "connection") else { return version == .http1_1 }
        var sawClose = false
        var sawKeepAlive = false
        for (name, value) in headers where HTTPHeaders.equalsIgnoringCase(name, "connection") {
            for token in value.split(separator: ",") {
                let trimmed = token.trimmingSpaces()
                if HTTPHeaders.equalsIgnoringCase(trimmed, "close") { sawClose = true }
                if HTTPHeaders.equalsIgnoringCase(trimmed, "keep-alive") { sawKeepAlive = true }
            }
        }
        if sawClose { return false }
        return version == .http1_1 || sawKeepAlive
    }
}

extension Substring {
    /// The substring without leading and trailing spaces and tabs (RFC 9110 OWS).
    func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
