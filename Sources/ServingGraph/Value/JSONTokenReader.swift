#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A cursor over JSON bytes for decoders that read a document of a known shape token by token and
/// build their own values (the inference fast path decodes tensor data straight into typed storage),
/// with exactly ``JSONParser``'s strict grammar for every token and every nested value it reads.
///
/// Valid only while the bytes it was made from are alive; loop-local, never stored.
package struct JSONTokenReader {
    private var reader: JSONReader

    /// A reader at the first byte of `bytes`; nil when there are none (no JSON document is empty).
    package init?(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        reader = JSONReader(
            base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count, maxDepth: JSONParser.defaultMaxDepth)
    }

    /// The offset of the next unread byte.
    package var offset: Int { reader.index }

    /// True when the input starts with a UTF-8 byte order mark (``JSONParser`` rejects it).
    package var startsWithByteOrderMark: Bool {
        reader.count >= 3 && reader.base[0] == 0xEF && reader.base[1] == 0xBB && reader.base[2] == 0xBF
    }

    /// The next byte after whitespace, without consuming it; nil at the end.
    package mutating func peek() -> UInt8? {
        reader.skipWhitespace()
        return reader.index < reader.count ? reader.base[reader.index] : nil
    }

    /// Consumes `byte` after whitespace when it is next; false (nothing consumed) otherwise.
    package mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        reader.index &+= 1
        return true
    }

    /// True when only whitespace is left.
    package mutating func isAtEnd() -> Bool {
        peek() == nil
    }

    /// Reads a string token (after whitespace); throws when the next token is not a valid string.
    package mutating func readString() throws(JSONParseError) -> String {
        guard consume(UInt8(ascii: "\"")) else { throw reader.error(at: reader.index, "expected a string") }
        return try reader.readString()
    }

    /// Reads a string token (after whitespace) and returns the index of the candidate it equals, or nil
    /// for any other string. A string of plain ASCII (no escape, no control character) is compared in
    /// place without building a `String`; any other is read and checked by ``readString()``.
    package mutating func readKey(among candidates: [StaticString]) throws(JSONParseError) -> Int? {
        guard consume(UInt8(ascii: "\"")) else { throw reader.error(at: reader.index, "expected a string") }
        let base = reader.base
        let start = reader.index
        var end = start
        while end < reader.count {
            let byte = base[end]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 {
                return Self.index(of: try reader.readString(), in: candidates)
            }
            end &+= 1
        }
        guard end < reader.count else { return Self.index(of: try reader.readString(), in: candidates) }
        reader.index = end &+ 1
        let length = end &- start
        for (position, candidate) in candidates.enumerated() where candidate.utf8CodeUnitCount == length {
            if memcmp(base + start, candidate.utf8Start, length) == 0 { return position }
        }
        return nil
    }

    /// The unread bytes (valid while the reader's bytes are), for a caller that matches known JSON text in place.
    package var remainingBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: reader.base + reader.index, count: reader.count - reader.index)
    }

    /// Moves past `count` bytes the caller matched in ``remainingBytes`` against a complete JSON value it read
    /// before (so the grammar holds); `count` must not exceed what remains.
    package mutating func skip(matched count: Int) {
        precondition(count >= 0 && count <= reader.count - reader.index, "skipping past the end of the JSON text")
        reader.index += count
    }

    /// Reads a string token (after whitespace) without keeping it: checked as ``readString()`` checks it, but a
    /// string of plain ASCII builds no `String`.
    package mutating func skipString() throws(JSONParseError) {
        _ = try readKey(among: [])
    }

    private static func index(of key: String, in candidates: [StaticString]) -> Int? {
        candidates.firstIndex { $0.withUTF8Buffer { key.utf8.elementsEqual($0) } }
    }

    /// Reads a number token (after whitespace) as ``JSONParser`` would: `.int` or `.double`.
    package mutating func readNumber() throws(JSONParseError) -> Value {
        guard let next = peek(), next == UInt8(ascii: "-") || (next >= 0x30 && next <= 0x39) else {
            throw reader.error(at: reader.index, "expected a number")
        }
        return try reader.readNumber()
    }

    /// Reads one whole value (after whitespace), nesting at most `maxDepth` arrays/objects.
    package mutating func readValue(maxDepth: Int) throws(JSONParseError) -> Value {
        var nested = JSONReader(base: reader.base, count: reader.count, maxDepth: maxDepth)
        nested.index = reader.index
        defer { reader.index = nested.index }
        return try nested.readValue()
    }
}
