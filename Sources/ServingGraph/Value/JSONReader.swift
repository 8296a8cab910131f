/// The cursor behind ``JSONParser``: an index into borrowed bytes, plus the iterative value builder.
///
/// Reads through an `UnsafePointer` with explicit `index < count` checks, so hot loops carry no
/// Array bounds checks. Nesting is handled with an explicit stack of open containers instead of
/// recursion, so a deep document cannot overflow a small thread stack. Valid only while the bytes
/// it was made from are alive.
struct JSONReader {
    let base: UnsafePointer<UInt8>
    let count: Int
    let maxDepth: Int
    /// Offset of the next unread byte.
    var index = 0

    init(base: UnsafePointer<UInt8>, count: Int, maxDepth: Int) {
        self.base = base
        self.count = count
        self.maxDepth = maxDepth
    }

    /// An array or object whose closing bracket has not been read yet.
    private struct OpenContainer {
        let isObject: Bool
        var elements: [Value] = []
        var members = ValueObject()
        /// The key whose value is being read (objects only).
        var key = ""
    }

    // MARK: - Document

    /// Reads exactly one value with optional surrounding whitespace; anything after it is an error.
    mutating func readDocument() throws(JSONParseError) -> Value {
        if count >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF {
            throw error(at: 0, "byte order mark is not allowed")
        }
        let value = try readValue()
        skipWhitespace()
        if index < count {
            throw error(at: index, "unexpected data after the JSON value")
        }
        return value
    }

    /// Reads one value, nested containers included, without recursion.
    private mutating func readValue() throws(JSONParseError) -> Value {
        var stack: [OpenContainer] = []
        var value: Value
        readNext: while true {
            skipWhitespace()
            guard index < count else { throw error(at: index, "unexpected end of input, expected a value") }
            switch base[index] {
            case UInt8(ascii: "{"):
                guard stack.count < maxDepth else { throw error(at: index, "nesting deeper than \(maxDepth) levels") }
                index += 1
                skipWhitespace()
                if index < count, base[index] == UInt8(ascii: "}") {
                    index += 1
                    value = .object(ValueObject())
                } else {
                    var container = OpenContainer(isObject: true)
                    container.key = try readMemberKey(first: true)
                    stack.append(container)
                    continue readNext
                }
            case UInt8(ascii: "["):
                guard stack.count < maxDepth else { throw error(at: index, "nesting deeper than \(maxDepth) levels") }
                index += 1
                skipWhitespace()
                if index < count, base[index] == UInt8(ascii: "]") {
                    index += 1
                    value = .array([])
                } else {
                    stack.append(OpenContainer(isObject: false))
                    continue readNext
                }
            case UInt8(ascii: "\""):
                index += 1
                value = .string(try readString())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = try readNumber()
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                value = .null
            default:
                throw error(at: index, "expected a value")
            }

            // A value is complete: hand it to the innermost open container, closing containers as we go.
            while !stack.isEmpty {
                let top = stack.count - 1
                skipWhitespace()
                let next: UInt8 = index < count ? base[index] : 0
                if stack[top].isObject {
                    let key = stack[top].key
                    stack[top].members[key] = value
                    if next == UInt8(ascii: ",") {
                        index += 1
                        stack[top].key = try readMemberKey(first: false)
                        continue readNext
                    }
                    guard next == UInt8(ascii: "}") else {
                        throw error(at: index, "expected ',' or '}' after object member")
                    }
                    index += 1
                    value = .object(stack.removeLast().members)
                } else {
                    stack[top].elements.append(value)
                    if next == UInt8(ascii: ",") {
                        index += 1
                        continue readNext
                    }
                    guard next == UInt8(ascii: "]") else {
                        throw error(at: index, "expected ',' or ']' after array element")
                    }
                    index += 1
                    value = .array(stack.removeLast().elements)
                }
            }
            return value
        }
    }

    /// Reads `"key"` and the `:` after it; the cursor is just past `{` (first) or `,` (later members).
    private mutating func readMemberKey(first: Bool) throws(JSONParseError) -> String {
        skipWhitespace()
        guard index < count, base[index] == UInt8(ascii: "\"") else {
            throw error(at: index, first ? "expected '\"' to start an object key or '}'" : "expected '\"' to start an object key")
        }
        index += 1
        let key = try readString()
        skipWhitespace()
        guard index < count, base[index] == UInt8(ascii: ":") else {
            throw error(at: index, "expected ':' after object key")
        }
        index += 1
        return key
    }

    // MARK: - Tokens

    /// Skips JSON whitespace: space, tab, LF and CR only (RFC 8259 §2).
    @inline(__always)
    mutating func skipWhitespace() {
        while index < count {
            switch base[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Consumes `literal` (`true`, `false`, `null`) or throws at the first byte that differs.
    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let bytes = literal.utf8Start
        for k in 0..<literal.utf8CodeUnitCount {
            guard index < count, base[index] == bytes[k] else {
                throw error(at: index, "invalid literal, expected '\(literal)'")
            }
            index += 1
        }
    }

    /// An error at `offset`.
    func error(at offset: Int, _ reason: String) -> JSONParseError {
        JSONParseError(offset: offset, reason: reason)
    }
}
