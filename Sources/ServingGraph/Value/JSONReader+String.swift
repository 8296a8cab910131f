/// String reading: escapes (RFC 8259 §7) and UTF-8 validation (RFC 3629 §4).
extension JSONReader {
    /// Reads a string body; the cursor is just past the opening quote and ends just past the closing one.
    ///
    /// Strings without escapes are decoded straight from the input slice; the first backslash switches
    /// to ``readEscapedString(from:)``, which copies into a scratch buffer.
    mutating func readString() throws(JSONParseError) -> String {
        let start = index
        while index < count {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(start: base + start, count: index - start), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") {
                return try readEscapedString(from: start)
            }
            if byte < 0x20 {
                throw controlCharacterError(byte)
            }
            if byte < 0x80 {
                index += 1
            } else {
                try skipMultiByteScalar()
            }
        }
        throw error(at: index, "unterminated string")
    }

    /// Continues a string that contains escapes, starting over at `start` with a scratch buffer.
    private mutating func readEscapedString(from start: Int) throws(JSONParseError) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(index - start + 16)
        utf8.append(contentsOf: UnsafeBufferPointer(start: base + start, count: index - start))
        while index < count {
            let byte = base[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try readEscape(into: &utf8)
            case 0..<0x20:
                throw controlCharacterError(byte)
            case 0x20..<0x80:
                utf8.append(byte)
                index += 1
            default:
                let scalarStart = index
                try skipMultiByteScalar()
                utf8.append(contentsOf: UnsafeBufferPointer(start: base + scalarStart, count: index - scalarStart))
            }
        }
        throw error(at: index, "unterminated string")
    }

    /// Reads one escape sequence at the cursor (a backslash) and appends its UTF-8.
    private mutating func readEscape(into utf8: inout [UInt8]) throws(JSONParseError) {
        let escapeStart = index
        index += 1
        guard index < count else { throw error(at: index, "unterminated escape sequence") }
        let letter = base[index]
        index += 1
        switch letter {
        case UInt8(ascii: "\""): utf8.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): utf8.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): utf8.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try readHex4()
            var scalar = UInt32(unit)
            if (0xD800...0xDBFF).contains(unit) {
                // A high surrogate must be followed by an escaped low surrogate (RFC 8259 §7).
                guard index + 1 < count, base[index] == UInt8(ascii: "\\"), base[index + 1] == UInt8(ascii: "u") else {
                    throw error(at: escapeStart, "high surrogate \\u\(hex(unit)) not followed by a low surrogate")
                }
                index += 2
                let low = try readHex4()
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error(at: index - 6, "high surrogate \\u\(hex(unit)) followed by \\u\(hex(low)), not a low surrogate")
                }
                scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw error(at: escapeStart, "lone low surrogate \\u\(hex(unit))")
            }
            appendUTF8(scalar, to: &utf8)
        default:
            throw error(at: escapeStart, "invalid escape sequence")
        }
    }

    /// Reads four hex digits at the cursor.
    private mutating func readHex4() throws(JSONParseError) -> UInt16 {
        var unit: UInt16 = 0
        for _ in 0..<4 {
            guard index < count else { throw error(at: index, "unterminated \\u escape, expected 4 hex digits") }
            let byte = base[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte &- UInt8(ascii: "A") &+ 10
            default: throw error(at: index, "invalid hex digit in \\u escape")
            }
            unit = unit &<< 4 | UInt16(digit)
            index += 1
        }
        return unit
    }

    /// Advances past one multi-byte UTF-8 scalar at the cursor, rejecting overlong forms, encoded
    /// surrogates, values above U+10FFFF and truncated sequences (RFC 3629 §4 table).
    @inline(__always)
    private mutating func skipMultiByteScalar() throws(JSONParseError) {
        let lead = base[index]
        let length: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondHigh = 0x9F
        case 0xF0: length = 4; secondLow = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondHigh = 0x8F
        default: throw error(at: index, "invalid UTF-8 lead byte 0x\(hex(UInt16(lead)))")
        }
        guard index + length <= count else { throw error(at: index, "truncated UTF-8 sequence") }
        let second = base[index + 1]
        guard second >= secondLow, second <= secondHigh else {
            throw error(at: index + 1, "invalid UTF-8 continuation byte 0x\(hex(UInt16(second)))")
        }
        var k = 2
        while k < length {
            let next = base[index + k]
            guard next & 0xC0 == 0x80 else {
                throw error(at: index + k, "invalid UTF-8 continuation byte 0x\(hex(UInt16(next)))")
            }
            k += 1
        }
        index += length
    }

    private func controlCharacterError(_ byte: UInt8) -> JSONParseError {
        error(at: index, "unescaped control character U+\(hex(UInt16(byte))) in string")
    }

    private func appendUTF8(_ scalar: UInt32, to utf8: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            utf8.append(UInt8(scalar))
        case 0x80..<0x800:
            utf8.append(UInt8(0xC0 | scalar >> 6))
            utf8.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            utf8.append(UInt8(0xE0 | scalar >> 12))
            utf8.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            utf8.append(UInt8(0x80 | scalar & 0x3F))
        default:
            utf8.append(UInt8(0xF0 | scalar >> 18))
            utf8.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            utf8.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            utf8.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    private func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, (value > 0xFF ? 4 : 2) - digits.count)) + digits
    }
}
