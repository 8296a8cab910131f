/// Byte values of the HTTP/1.1 grammar.
enum ASCII {
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")
    static let semicolon = UInt8(ascii: ";")

    /// `tchar` of RFC 9110 §5.6.2: the characters of a token (method, field name, transfer coding).
    static let isTokenCharacter: [Bool] = (0..<256).map { value in
        let byte = UInt8(value)
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    /// ``isTokenCharacter`` as two 64-bit masks (bytes 0–63, 64–127): a test with no table lookup.
    private static let tokenMaskLow: UInt64 = 0x03FF_6CFA_0000_0000
    private static let tokenMaskHigh: UInt64 = 0x57FF_FFFF_C7FF_FFFE

    /// Whether `byte` is a `tchar` (RFC 9110 §5.6.2), the same answer as ``isTokenCharacter``.
    @inline(__always) static func isToken(_ byte: UInt8) -> Bool {
        byte < 64 ? tokenMaskLow >> byte & 1 == 1 : byte < 128 && tokenMaskHigh >> (byte &- 64) & 1 == 1
    }

    /// ASCII lowercase of `byte`.
    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}

/// What the head says about the body: the framing rules of RFC 9112 §6.
struct HTTPHeadFraming {
    var contentLength: Int?
    var transferCodings: [String] = []
    var hostCount = 0
    var expectsContinue = false
}

extension HTTPRequestParser {
    // MARK: - Head (RFC 9112 §2.1: start-line *( field-line CRLF ) CRLF)

    mutating func parseHead() -> Result {
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line received before the request-line.
        while readIndex < buffer.count && (buffer[readIndex] == ASCII.cr || buffer[readIndex] == ASCII.lf) {
            readIndex += 1
        }
        requestStart = droppedBytes + readIndex
        guard readIndex < buffer.count else { return .needMoreData }
        guard let terminator = findHeadTerminator() else {
            if buffer.count - readIndex > limits.maxHeaderBytes {
                return .error(.headerTooLarge(limit: limits.maxHeaderBytes))
            }
            // Bytes that cannot start a request (a TLS hello, binary noise) fail now, not at the timeout.
            if let bad = firstNonTokenByteOfMethod() { return .error(.invalidRequestLine(offset: offset(bad))) }
            return .needMoreData
        }
        let headEnd = terminator + 4
        guard headEnd - readIndex <= limits.maxHeaderBytes else {
            return .error(.headerTooLarge(limit: limits.maxHeaderBytes))
        }
        let start = readIndex
        let limits = self.limits
        let base = droppedBytes - requestStart
        readIndex = headEnd
        scanIndex = headEnd
        do throws(HTTPParseError) {
            let (request, framing) = try buffer.withUnsafeBufferPointer { bytes throws(HTTPParseError) in
                try Self.parseHead(bytes, from: start, to: terminator + 2, limits: limits, base: base, memo: &memo)
            }
            return frame(request, framing)
        } catch {
            return .error(error)
        }
    }

    /// Chooses the body framing (RFC 9112 §6.1–§6.3) and the state that reads it.
    private mutating func frame(_ request: consuming HTTPRequest, _ framing: borrowing HTTPHeadFraming) -> Result {
        if request.version == .http1_1 && framing.hostCount == 0 { return .error(.missingHost) }
        if framing.hostCount > 1 { return .error(.duplicateHost) }
        let length: Int?
        if !framing.transferCodings.isEmpty {
            if request.version == .http1_0 { return .error(.transferEncodingInHTTP10) }
            if framing.contentLength != nil { return .error(.contentLengthWithTransferEncoding) }
            for (index, coding) in framing.transferCodings.enumerated() {
                guard coding == "chunked" else { return .error(.unsupportedTransferCoding(coding)) }
                if index != framing.transferCodings.count - 1 { return .error(.chunkedNotFinal) }
            }
            length = nil
        } else {
            // RFC 9112 §6.3 rule 7: a request without Content-Length or Transfer-Encoding has no body.
            length = framing.contentLength ?? 0
        }
        if let length, length > limits.maxBodyBytes { return .error(.bodyTooLarge(limit: limits.maxBodyBytes)) }
        if length == 0 { return .request(request) }  // its body is already empty
        pending = request
        chunkedBody = []
        state = length.map { .fixedBody(length: $0) } ?? .chunkSize
        // RFC 9110 §10.1.1: answer 100 only when the client is waiting for it (no body byte yet), and never
        // to an HTTP/1.0 client.
        if framing.expectsContinue && request.version == .http1_1 && readIndex == buffer.count {
            return .continueExpected
        }
        return .needMoreData
    }

    /// Index of the CR of the first CRLFCRLF at or after `scanIndex - 3`, or nil (and `scanIndex` advances).
    private mutating func findHeadTerminator() -> Int? {
        let from = max(readIndex, scanIndex - 3)
        let count = buffer.count
        let found: Int? = buffer.withUnsafeBufferPointer { bytes in
            // The byte at `index + 3` decides the step: a CRLFCRLF starting at `index ... index + 3` covers
            // it, so a byte that is neither CR nor LF rules out all four starts.
            var index = from
            while index + 3 < count {
                switch bytes[index + 3] {
                case ASCII.lf:
                    if bytes[index + 2] == ASCII.cr && bytes[index + 1] == ASCII.lf && bytes[index] == ASCII.cr {
                        return index
                    }
                    index += 1
                case ASCII.cr:
                    index += 1
                default:
                    index += 4
                }
            }
            return nil
        }
        if found == nil { scanIndex = count }
        return found
    }

    /// Index of the first byte before the first space that is not a token character, or nil.
    private func firstNonTokenByteOfMethod() -> Int? {
        var index = readIndex
        while index < buffer.count && buffer[index] != ASCII.space {
            if !ASCII.isToken(buffer[index]) { return index }
            index += 1
        }
        return nil
    }
}
