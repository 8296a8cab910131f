/// Serialises responses into a connection's output buffer: status line, headers and body appended to one
/// `[UInt8]`, so a small response (and a batch of pipelined ones) goes out in one `send`.
enum HTTPResponseWriter {
    /// The `Connection` field the server adds.
    enum ConnectionField {
        /// None: HTTP/1.1 keep-alive is the default.
        case none
        /// `Connection: close`: the server closes after this response.
        case close
        /// `Connection: keep-alive`: echoed to an HTTP/1.0 client that asked for it.
        case keepAlive
    }

    /// `HTTP/1.1 100 Continue` and the blank line (RFC 9110 §15.2.1).
    static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Appends `response` to `output`. The server owns `Content-Length` (always written, except where
    /// RFC 9110 §8.6 forbids it: 1xx and 204) and `Connection`; the response's own copies are skipped.
    /// With `headOnly` (a HEAD request) the body's length is sent but not the body (RFC 9110 §9.3.2).
    /// `date` is a ready `Date: ...\r\n` line (see `HTTPDateCache`); when given it replaces the response's own.
    static func write(
        _ response: HTTPResponse, headOnly: Bool, connection: ConnectionField, date: [UInt8] = [],
        into output: inout [UInt8]
    ) {
        let code = response.status.code
        output.reserveCapacity(output.count + 128 + response.body.count)
        if response.status == .ok {
            output.append(contentsOf: okStatusLine)
        } else {
            output.append(contentsOf: "HTTP/1.1 ".utf8)
            appendDecimal(code, to: &output)
            output.append(ASCII.space)
            appendUTF8(response.status.reason, to: &output)
            appendCRLF(&output)
        }
        output.append(contentsOf: date)
        for (name, value) in response.headers {
            if HTTPHeaders.equalsIgnoringCase(name, "content-length")
                || HTTPHeaders.equalsIgnoringCase(name, "connection")
                || HTTPHeaders.equalsIgnoringCase(name, "transfer-encoding")
                || (!date.isEmpty && HTTPHeaders.equalsIgnoringCase(name, "date"))
            {
                continue
            }
            appendUTF8(name, to: &output)
            output.append(ASCII.colon)
            output.append(ASCII.space)
            appendUTF8(value, to: &output)
            appendCRLF(&output)
        }
        let bodyAllowed = code >= 200 && code != 204 && code != 304
        if bodyAllowed {
            output.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(response.body.count, to: &output)
            appendCRLF(&output)
        }
        switch connection {
        case .none: break
        case .close: output.append(contentsOf: "Connection: close\r\n".utf8)
        case .keepAlive: output.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        appendCRLF(&output)
        if bodyAllowed && !headOnly {
            output.append(contentsOf: response.body)
        }
    }

    /// The status line of the most common response, written as one copy.
    private static let okStatusLine: [UInt8] = Array("HTTP/1.1 200 OK\r\n".utf8)

    /// Appends the UTF-8 of `text`, copying contiguous storage in one go when the string has it.
    @inline(__always) private static func appendUTF8(_ text: String, to output: inout [UInt8]) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { output.append(contentsOf: $0) }
        if copied == nil { output.append(contentsOf: text.utf8) }
    }

    @inline(__always) private static func appendCRLF(_ output: inout [UInt8]) {
        output.append(ASCII.cr)
        output.append(ASCII.lf)
    }

    /// Appends the decimal digits of a non-negative `value` without building a `String`.
    static func appendDecimal(_ value: Int, to output: inout [UInt8]) {
        guard value > 0 else {
            output.append(UInt8(ascii: "0"))
            return
        }
        if value < 10_000 {  // status codes and small bodies: digits appended one by one, no scratch buffer
            var divisor = value >= 1000 ? 1000 : value >= 100 ? 100 : value >= 10 ? 10 : 1
            while divisor > 0 {
                output.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / divisor % 10))
                divisor /= 10
            }
            return
        }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var remaining = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while remaining > 0 && count < buffer.count {
                buffer[buffer.count - 1 - count] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                count += 1
            }
            output.append(contentsOf: buffer[(buffer.count - count)...])
        }
    }
}
