extension HTTPRequestParser {
    // MARK: - Chunked body (RFC 9112 §7.1)
    //
    //   chunked-body = *chunk last-chunk trailer-section CRLF
    //   chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
    //   last-chunk   = 1*("0") [ chunk-ext ] CRLF

    /// Longest chunk-size line accepted (size plus extensions), in bytes; extensions are read and ignored.
    static let maxChunkSizeLineBytes = 4096

    /// Decodes as much of a chunked body as is buffered. Returns `.request` (without the request: the caller
    /// attaches `chunkedBody`) when the last chunk and the trailer section are in.
    mutating func parseChunked() -> Result {
        while true {
            switch state {
            case .chunkSize:
                guard let lineEnd = findCRLF(from: readIndex) else {
                    if buffer.count - readIndex > Self.maxChunkSizeLineBytes {
                        return .error(.invalidChunkSize(offset: offset(readIndex)))
                    }
                    return .needMoreData
                }
                guard lineEnd - readIndex <= Self.maxChunkSizeLineBytes, let size = chunkSize(from: readIndex, to: lineEnd)
                else {
                    return .error(.invalidChunkSize(offset: offset(readIndex)))
                }
                readIndex = lineEnd + 2
                if size == 0 {
                    state = .trailers(bytes: 0)
                } else if chunkedBody.count + size > limits.maxBodyBytes {
                    return .error(.bodyTooLarge(limit: limits.maxBodyBytes))
                } else {
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let available = min(remaining, buffer.count - readIndex)
                if available > 0 {
                    chunkedBody.append(contentsOf: buffer[readIndex..<(readIndex + available)])
                    readIndex += available
                }
                guard available == remaining else {
                    state = .chunkData(remaining: remaining - available)
                    return .needMoreData
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                guard buffer.count - readIndex >= 2 else { return .needMoreData }
                guard buffer[readIndex] == ASCII.cr && buffer[readIndex + 1] == ASCII.lf else {
                    return .error(.invalidChunkTerminator(offset: offset(readIndex)))
                }
                readIndex += 2
                state = .chunkSize
            case .trailers(let bytes):
                // RFC 9112 §7.1.2: trailer fields are read and ignored here, held to the header byte limit.
                guard let lineEnd = findCRLF(from: readIndex) else {
                    if bytes + buffer.count - readIndex > limits.maxHeaderBytes {
                        return .error(.headerTooLarge(limit: limits.maxHeaderBytes))
                    }
                    return .needMoreData
                }
                let length = lineEnd - readIndex
                readIndex = lineEnd + 2
                if length == 0 { return .request(HTTPRequest(method: .post, target: "/")) }
                guard bytes + length + 2 <= limits.maxHeaderBytes else {
                    return .error(.headerTooLarge(limit: limits.maxHeaderBytes))
                }
                state = .trailers(bytes: bytes + length + 2)
            case .head, .fixedBody, .failed:
                return .needMoreData
            }
        }
    }

    /// `1*HEXDIG [ BWS ";" ... ]` in `buffer[start..<end]`, or nil when it is not a valid chunk size.
    private func chunkSize(from start: Int, to end: Int) -> Int? {
        var index = start
        var size = 0
        var digits = 0
        while index < end, let digit = Self.hexValue(buffer[index]) {
            // 15 hex digits already exceed any body limit; more would overflow.
            guard digits < 15 else { return nil }
            size = size << 4 | digit
            digits += 1
            index += 1
        }
        guard digits > 0 else { return nil }
        while index < end && (buffer[index] == ASCII.space || buffer[index] == ASCII.tab) { index += 1 }
        guard index == end || buffer[index] == ASCII.semicolon else { return nil }
        // chunk-ext: ignored, but it may not hold bare CR or LF.
        while index < end {
            if buffer[index] == ASCII.cr || buffer[index] == ASCII.lf { return nil }
            index += 1
        }
        return size
    }

    /// Index of the CR of the first CRLF at or after `start`, or nil.
    private func findCRLF(from start: Int) -> Int? {
        var index = start
        while index + 1 < buffer.count {
            if buffer[index] == ASCII.cr && buffer[index + 1] == ASCII.lf { return index }
            index += 1
        }
        return nil
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
