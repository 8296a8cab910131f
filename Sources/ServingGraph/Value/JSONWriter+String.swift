/// String escaping for ``JSONWriter`` (RFC 8259 §7).
extension JSONWriter {
    /// Hex digits for `\u00XX` escapes.
    private static let hexDigits: StaticString = "0123456789abcdef"

    /// Appends `text` as a quoted JSON string, copying unescaped runs in bulk.
    static func writeString(_ text: String, into output: inout JSONOutput) {
        output.append(UInt8(ascii: "\""))
        // Native strings (all but bridged ones) are read in place; only the others are copied first.
        if text.utf8.withContiguousStorageIfAvailable({ writeEscaped($0, into: &output) }) == nil {
            var copy = text
            copy.withUTF8 { writeEscaped($0, into: &output) }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Appends `utf8` with the characters JSON requires escaped, unescaped runs in bulk.
    private static func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>, into output: inout JSONOutput) {
        var runStart = 0
        for position in 0..<utf8.count {
            let byte = utf8[position]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < position {
                output.append(UnsafeBufferPointer(rebasing: utf8[runStart..<position]))
            }
            appendEscape(for: byte, to: &output)
            runStart = position + 1
        }
        if runStart < utf8.count {
            output.append(UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
    }

    private static func appendEscape(for byte: UInt8, to output: inout JSONOutput) {
        output.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
        case 0x0A: output.append(UInt8(ascii: "n"))
        case 0x0D: output.append(UInt8(ascii: "r"))
        case 0x09: output.append(UInt8(ascii: "t"))
        case 0x08: output.append(UInt8(ascii: "b"))
        case 0x0C: output.append(UInt8(ascii: "f"))
        default:
            let hex = hexDigits.utf8Start
            output.append(UInt8(ascii: "u"))
            output.append(UInt8(ascii: "0"))
            output.append(UInt8(ascii: "0"))
            output.append(hex[Int(byte >> 4)])
            output.append(hex[Int(byte & 0x0F)])
        }
    }
}
