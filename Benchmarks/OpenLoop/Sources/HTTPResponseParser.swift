/// Why bytes from the server are not a valid HTTP/1.1 response stream.
enum HTTPResponseParseError: Error, Equatable, CustomStringConvertible {
    case invalidStatusLine(offset: Int)
    case headerTooLarge(limit: Int)
    case invalidContentLength(String)
    case invalidChunkSize(offset: Int)
    case unframedBody(status: Int)

    var description: String {
        switch self {
        case .invalidStatusLine(let offset): "malformed status line at byte \(offset) of the stream"
        case .headerTooLarge(let limit): "status line and headers exceed \(limit) bytes"
        case .invalidContentLength(let value): "invalid Content-Length '\(value)'"
        case .invalidChunkSize(let offset): "invalid chunk size line at byte \(offset) of the stream"
        case .unframedBody(let status):
            "response \(status) has neither Content-Length nor chunked encoding on a keep-alive connection"
        }
    }
}

/// Incremental parser of the responses arriving on one keep-alive connection.
///
/// Feed whatever `read` returned with ``append(_:)``, then call ``nextResponse()`` until it returns
/// `nil` (need more data). Handles partial reads and several responses per read. Framing follows
/// RFC 9112 §6.3: 1xx, 204 and 304 have no body (1xx are skipped, they are not final), then
/// `Transfer-Encoding: chunked` (§7.1), then `Content-Length`. Bodies are skipped, never stored.
struct HTTPResponseParser {
    /// Cap on status line plus headers, so a broken peer cannot grow the buffer without bound.
    static let maxHeaderBytes = 64 * 1024

    enum State: Equatable {
        case head
        case body(status: Int, remaining: Int)
        case chunkSizeLine(status: Int)
        case chunkData(status: Int, remaining: Int)
        case chunkDataEnd(status: Int)
        case trailers(status: Int)
    }

    var buffer: [UInt8] = []
    var readIndex = 0
    /// Bytes consumed and dropped from the front of `buffer`, for stream offsets in errors.
    var discarded = 0
    var state: State = .head

    /// An empty parser, waiting for a status line.
    init() {}

    /// Appends bytes just read from the socket.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if readIndex == buffer.count {
            discarded += readIndex
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex > 32 * 1024 {
            discarded += readIndex
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Consumes the next complete response and returns its status code, or `nil` when more bytes are needed.
    mutating func nextResponse() throws(HTTPResponseParseError) -> Int? {
        while true {
            switch state {
            case .head:
                guard let status = try parseHead() else { return nil }
                if let status { return status }
            case .body(let status, let remaining):
                let available = Swift.min(remaining, buffer.count - readIndex)
                readIndex += available
                guard available == remaining else {
                    state = .body(status: status, remaining: remaining - available)
                    return nil
                }
                state = .head
                return status
            case .chunkSizeLine, .chunkData, .chunkDataEnd, .trailers:
                guard let status = try advanceChunked() else { return nil }
                return status
            }
        }
    }

    // MARK: - Head

    /// Parses a head if complete. Returns `nil` for need-more-data, `.some(nil)` when the head was
    /// consumed but the response is not finished yet (body follows, or it was a 1xx).
    private mutating func parseHead() throws(HTTPResponseParseError) -> Int?? {
        guard let end = findLineEnd(from: readIndex, blankLine: true) else {
            if buffer.count - readIndex > Self.maxHeaderBytes { throw .headerTooLarge(limit: Self.maxHeaderBytes) }
            return nil
        }
        let status = try parseStatusLine()
        var contentLength: Int?
        var chunked = false
        var lineStart = (findLineEnd(from: readIndex, blankLine: false) ?? end) + 2
        while lineStart < end {
            let lineEnd = findLineEnd(from: lineStart, blankLine: false) ?? end
            let line = buffer[lineStart..<lineEnd]
            // Compare names as bytes: no String per header on the generator's hot path.
            if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                let name = line[lineStart..<colon]
                if Self.equalsIgnoringCase(name, Self.contentLengthName) {
                    contentLength = try Self.parseContentLength(line[(colon + 1)...])
                } else if Self.equalsIgnoringCase(name, Self.transferEncodingName) {
                    let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces()
                    chunked = value.lowercased().hasSuffix("chunked")
                }
            }
            lineStart = lineEnd + 2
        }
        readIndex = end + 4
        if (100..<200).contains(status) { return .some(nil) }
        if status == 204 || status == 304 { return status }
        if chunked {
            state = .chunkSizeLine(status: status)
            return .some(nil)
        }
        guard let contentLength else { throw .unframedBody(status: status) }
        state = .body(status: status, remaining: contentLength)
        return .some(nil)
    }

    /// Reads `HTTP/1.x SSS` at `readIndex` (RFC 9112 §4).
    private func parseStatusLine() throws(HTTPResponseParseError) -> Int {
        let prefix = Array("HTTP/1.".utf8)
        let start = readIndex
        guard buffer.count - start >= 12, Array(buffer[start..<start + 7]) == prefix,
            buffer[start + 8] == UInt8(ascii: " ")
        else { throw .invalidStatusLine(offset: discarded + start) }
        var status = 0
        for byte in buffer[start + 9..<start + 12] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                throw .invalidStatusLine(offset: discarded + start)
            }
            status = status * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return status
    }

    /// Decimal Content-Length between optional spaces or tabs (RFC 9110 §8.6), without a String.
    private static func parseContentLength(_ value: ArraySlice<UInt8>) throws(HTTPResponseParseError) -> Int {
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        let digits = value.drop(while: isBlank).reversed().drop(while: isBlank)
        guard (1...18).contains(digits.count) else {
            throw .invalidContentLength(String(decoding: value, as: UTF8.self).trimmingSpaces())
        }
        var length = 0
        for byte in digits.reversed() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                throw .invalidContentLength(String(decoding: value, as: UTF8.self).trimmingSpaces())
            }
            length = length * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return length
    }

    private static let contentLengthName = Array("content-length".utf8)
    private static let transferEncodingName = Array("transfer-encoding".utf8)

    /// True if `bytes` spell `lowercaseName` in any letter case (ASCII).
    private static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ lowercaseName: [UInt8]) -> Bool {
        guard bytes.count == lowercaseName.count else { return false }
        for (byte, expected) in zip(bytes, lowercaseName) {
            let lowered = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
            guard lowered == expected else { return false }
        }
        return true
    }

    /// Index of the next `\r\n` (or `\r\n\r\n` when `blankLine`) at or after `start`.
    func findLineEnd(from start: Int, blankLine: Bool) -> Int? {
        let needed = blankLine ? 4 : 2
        var index = start
        while index + needed <= buffer.count {
            if buffer[index] == 13, buffer[index + 1] == 10,
                !blankLine || (buffer[index + 2] == 13 && buffer[index + 3] == 10)
            {
                return index
            }
            index += 1
        }
        return nil
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(drop(while: isBlank).reversed().drop(while: isBlank).reversed())
    }
}
