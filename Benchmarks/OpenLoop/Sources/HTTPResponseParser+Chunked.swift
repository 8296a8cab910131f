extension HTTPResponseParser {
    /// Advances through a chunked body (RFC 9112 §7.1); returns the status once the last chunk
    /// and trailers are consumed, `nil` when more bytes are needed.
    mutating func advanceChunked() throws(HTTPResponseParseError) -> Int? {
        while true {
            switch state {
            case .chunkSizeLine(let status):
                guard let lineEnd = findLineEnd(from: readIndex, blankLine: false) else { return nil }
                let size = try parseChunkSize(buffer[readIndex..<lineEnd])
                readIndex = lineEnd + 2
                state = size == 0 ? .trailers(status: status) : .chunkData(status: status, remaining: size)
            case .chunkData(let status, let remaining):
                let available = Swift.min(remaining, buffer.count - readIndex)
                readIndex += available
                guard available == remaining else {
                    state = .chunkData(status: status, remaining: remaining - available)
                    return nil
                }
                state = .chunkDataEnd(status: status)
            case .chunkDataEnd(let status):
                guard buffer.count - readIndex >= 2 else { return nil }
                guard buffer[readIndex] == 13, buffer[readIndex + 1] == 10 else {
                    throw .invalidChunkSize(offset: discarded + readIndex)
                }
                readIndex += 2
                state = .chunkSizeLine(status: status)
            case .trailers(let status):
                guard let lineEnd = findLineEnd(from: readIndex, blankLine: false) else { return nil }
                let isLastLine = lineEnd == readIndex
                readIndex = lineEnd + 2
                if isLastLine {
                    state = .head
                    return status
                }
            case .head, .body:
                return nil
            }
        }
    }

    /// Hex chunk size, ignoring chunk extensions after `;`.
    private func parseChunkSize(_ line: ArraySlice<UInt8>) throws(HTTPResponseParseError) -> Int {
        var size = 0
        var digits = 0
        for byte in line {
            let digit: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = Int(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = Int(byte - UInt8(ascii: "A")) + 10
            case UInt8(ascii: ";"), UInt8(ascii: " "), UInt8(ascii: "\t"):
                guard digits > 0 else { throw .invalidChunkSize(offset: discarded + line.startIndex) }
                return size
            default: throw .invalidChunkSize(offset: discarded + line.startIndex)
            }
            digits += 1
            guard digits <= 15 else { throw .invalidChunkSize(offset: discarded + line.startIndex) }
            size = size * 16 + digit
        }
        guard digits > 0 else { throw .invalidChunkSize(offset: discarded + line.startIndex) }
        return size
    }
}
