/// A response status code with its reason phrase (RFC 9110 §15).
package struct HTTPStatus: Sendable, Equatable, CustomStringConvertible {
    /// The three-digit code.
    package let code: Int
    /// The reason phrase written on the status line.
    package let reason: String

    /// A status with an explicit reason phrase.
    package init(code: Int, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// A status with the standard reason phrase for `code` (`"Unknown"` for codes RFC 9110 does not name).
    package init(code: Int) {
        self.init(code: code, reason: Self.standardReason(code))
    }

    /// `"404 Not Found"`.
    package var description: String { "\(code) \(reason)" }

    /// 100: the client may send the body it announced with `Expect: 100-continue`.
    package static let `continue` = HTTPStatus(code: 100)
    /// 200: success.
    package static let ok = HTTPStatus(code: 200)
    /// 201: a resource was created.
    package static let created = HTTPStatus(code: 201)
    /// 202: accepted for later processing.
    package static let accepted = HTTPStatus(code: 202)
    /// 204: success without a body.
    package static let noContent = HTTPStatus(code: 204)
    /// 400: malformed framing or invalid input.
    package static let badRequest = HTTPStatus(code: 400)
    /// 401: authentication required.
    package static let unauthorized = HTTPStatus(code: 401)
    /// 403: not allowed.
    package static let forbidden = HTTPStatus(code: 403)
    /// 404: no such path or model.
    package static let notFound = HTTPStatus(code: 404)
    /// 405: the path exists but not with this method (send `Allow`).
    package static let methodNotAllowed = HTTPStatus(code: 405)
    /// 408: the request did not arrive in time.
    package static let requestTimeout = HTTPStatus(code: 408)
    /// 409: conflicts with the current state.
    package static let conflict = HTTPStatus(code: 409)
    /// 413: the body exceeds the limit.
    package static let payloadTooLarge = HTTPStatus(code: 413)
    /// 415: the body format is not supported.
    package static let unsupportedMediaType = HTTPStatus(code: 415)
    /// 422: well-formed but semantically invalid.
    package static let unprocessableContent = HTTPStatus(code: 422)
    /// 429: rate limited.
    package static let tooManyRequests = HTTPStatus(code: 429)
    /// 431: request line and headers exceed a limit.
    package static let headerFieldsTooLarge = HTTPStatus(code: 431)
    /// 500: a failure inside the server or a user hook.
    package static let internalServerError = HTTPStatus(code: 500)
    /// 501: unknown method or transfer coding.
    package static let notImplemented = HTTPStatus(code: 501)
    /// 502: an upstream answered badly.
    package static let badGateway = HTTPStatus(code: 502)
    /// 503: not ready, or overloaded.
    package static let serviceUnavailable = HTTPStatus(code: 503)
    /// 504: an upstream did not answer in time.
    package static let gatewayTimeout = HTTPStatus(code: 504)
    /// 505: an HTTP version other than 1.0 and 1.1.
    package static let httpVersionNotSupported = HTTPStatus(code: 505)

    /// Reason phrases of RFC 9110 §15 for the codes a model server may send.
    private static func standardReason(_ code: Int) -> String {
        switch code {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: "Unknown"
        }
    }
}
