/// Why bytes from a socket are not a request the server accepts. Each case maps to one status;
/// the server answers it with `{"error":"<description>"}` and closes the connection.
package enum HTTPParseError: Error, Equatable, CustomStringConvertible {
    /// The request line is not `method SP request-target SP HTTP-version CRLF` (RFC 9112 §3).
    case invalidRequestLine(offset: Int)
    /// The method is a valid token the server does not implement (RFC 9110 §9.1: 501).
    case unsupportedMethod(String)
    /// A well-formed HTTP version other than 1.0 and 1.1 (RFC 9110 §15.6.6: 505).
    case unsupportedVersion(String)
    /// A header line without `name:` or with characters a field may not hold (RFC 9112 §5).
    case invalidHeaderLine(offset: Int)
    /// A header line starting with whitespace: obsolete line folding (RFC 9112 §5.2).
    case obsoleteLineFolding(offset: Int)
    /// Request line plus headers exceed the configured byte limit.
    case headerTooLarge(limit: Int)
    /// More header fields than the configured limit.
    case tooManyHeaders(limit: Int)
    /// An HTTP/1.1 request without `Host` (RFC 9112 §3.2).
    case missingHost
    /// More than one `Host` field (RFC 9112 §3.2).
    case duplicateHost
    /// A `Content-Length` that is not a decimal number (RFC 9112 §6.3).
    case invalidContentLength(String)
    /// Two `Content-Length` fields with the same value (we do not merge them; RFC 9112 §6.3 allows rejecting).
    case duplicateContentLength(Int)
    /// Two `Content-Length` fields with different values (RFC 9112 §6.3).
    case conflictingContentLength(first: Int, second: Int)
    /// Both `Content-Length` and `Transfer-Encoding` (RFC 9112 §6.3: a smuggling vector, rejected).
    case contentLengthWithTransferEncoding
    /// `Transfer-Encoding` in an HTTP/1.0 request: faulty framing (RFC 9112 §6.1).
    case transferEncodingInHTTP10
    /// `chunked` is not the last transfer coding, or appears twice (RFC 9112 §6.1).
    case chunkedNotFinal
    /// A transfer coding other than `chunked` (RFC 9112 §6.1: 501).
    case unsupportedTransferCoding(String)
    /// A chunk-size line that is not hex digits, optional extensions and CRLF (RFC 9112 §7.1).
    case invalidChunkSize(offset: Int)
    /// Chunk data not followed by CRLF (RFC 9112 §7.1).
    case invalidChunkTerminator(offset: Int)
    /// The body (after de-chunking) exceeds the configured limit.
    case bodyTooLarge(limit: Int)

    /// The status the server answers with.
    package var status: HTTPStatus {
        switch self {
        case .unsupportedMethod, .unsupportedTransferCoding: .notImplemented
        case .unsupportedVersion: .httpVersionNotSupported
        case .headerTooLarge, .tooManyHeaders: .headerFieldsTooLarge
        case .bodyTooLarge: .payloadTooLarge
        case .invalidRequestLine, .invalidHeaderLine, .obsoleteLineFolding, .missingHost, .duplicateHost,
            .invalidContentLength, .duplicateContentLength, .conflictingContentLength,
            .contentLengthWithTransferEncoding, .transferEncodingInHTTP10, .chunkedNotFinal, .invalidChunkSize,
            .invalidChunkTerminator:
            .badRequest
        }
    }

    /// The problem, naming its subject (the `{"error"}` message).
    package var description: String {
        switch self {
        case .invalidRequestLine(let offset): "malformed request line at byte \(offset)"
        case .unsupportedMethod(let method): "method '\(method)' is not implemented"
        case .unsupportedVersion(let version): "HTTP version '\(version)' is not supported"
        case .invalidHeaderLine(let offset): "malformed header line at byte \(offset)"
        case .obsoleteLineFolding(let offset): "obsolete header line folding at byte \(offset)"
        case .headerTooLarge(let limit): "request line and headers exceed \(limit) bytes"
        case .tooManyHeaders(let limit): "more than \(limit) header fields"
        case .missingHost: "HTTP/1.1 request without a Host header"
        case .duplicateHost: "more than one Host header"
        case .invalidContentLength(let value): "invalid Content-Length '\(value)'"
        case .duplicateContentLength(let value): "duplicate Content-Length \(value)"
        case .conflictingContentLength(let first, let second):
            "conflicting Content-Length values \(first) and \(second)"
        case .contentLengthWithTransferEncoding: "both Content-Length and Transfer-Encoding"
        case .transferEncodingInHTTP10: "Transfer-Encoding in an HTTP/1.0 request"
        case .chunkedNotFinal: "chunked is not the final transfer coding"
        case .unsupportedTransferCoding(let coding): "transfer coding '\(coding)' is not implemented"
        case .invalidChunkSize(let offset): "invalid chunk size at byte \(offset)"
        case .invalidChunkTerminator(let offset): "chunk data not followed by CRLF at byte \(offset)"
        case .bodyTooLarge(let limit): "request body exceeds \(limit) bytes"
        }
    }
}
