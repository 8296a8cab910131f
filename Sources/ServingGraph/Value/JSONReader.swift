/// The cursor behind ``JSONParser``: an index into borrowed bytes, plus the iterative value builder.
///
/// Reads through an `UnsafePointer` with explicit `index < count` checks, so hot loops carry no
/// Array bounds checks. Nesting is handled on an explicit stack (``JSONPendingValues``) instead of
/// by recursion, so a deep document cannot overflow a small thread stack. Valid only while the
/// bytes it was made from are alive.
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
    ///
    /// The innermost open container lives in locals (`start`, `inObject`); opening another pushes a
    /// link to the enclosing one onto the pending stack, and closing pops it back (see
    /// ``JSONPendingValues/pushLink(start:isObject:)``), so deep nesting needs no second stack.
    mutating func readValue() throws(JSONParseError) -> Value {
        // A guess that spares big arrays most regrowth: every value plus its separator takes at
        // least two bytes, numbers in a tensor about eight to twelve. Capped at 32K slots (1 MiB).
        var pending = JSONPendingValues(capacity: min(max(count / 8, 16), 1 << 15))
        var depth = 0
        var start = 0
        var inObject = false
        var value: Value
        readNext: while true {
            skipWhitespace()
            guard index < count else { throw error(at: index, "unexpected end of input, expected a value") }
            switch base[index] {
            case UInt8(ascii: "{"):
                guard depth < maxDepth else { throw error(at: index, "nesting deeper than \(maxDepth) levels") }
                index &+= 1
                skipWhitespace()
                if index < count, base[index] == UInt8(ascii: "}") {
                    index &+= 1
                    value = .object(ValueObject())
                } else {
                    pending.pushLink(start: start, isObject: inObject)
                    depth &+= 1
                    start = pending.count
                    inObject = true
                    pending.append(.string(try readMemberKey(first: true)))
                    continue readNext
                }
            case UInt8(ascii: "["):
                guard depth < maxDepth else { throw error(at: index, "nesting deeper than \(maxDepth) levels") }
                index &+= 1
                skipWhitespace()
                if index < count, base[index] == UInt8(ascii: "]") {
                    index &+= 1
                    value = .array([])
                } else {
                    pending.pushLink(start: start, isObject: inObject)
                    depth &+= 1
                    start = pending.count
                    inObject = false
                    continue readNext
                }
            case UInt8(ascii: "\""):
                index &+= 1
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
            while depth > 0 {
                pending.append(takingFrom: &value)
                skipWhitespace()
                let next: UInt8 = index < count ? base[index] : 0
                if next == UInt8(ascii: ",") {
                    index &+= 1
                    if inObject { pending.append(.string(try readMemberKey(first: false))) }
                    continue readNext
                }
                if inObject {
                    guard next == UInt8(ascii: "}") else {
                        throw error(at: index, "expected ',' or '}' after object member")
                    }
                    value = .object(pending.popObject(from: start))
                } else {
                    guard next == UInt8(ascii: "]") else {
                        throw error(at: index, "expected ',' or ']' after array element")
                    }
                    value = .array(pending.popArray(from: start))
                }
                index &+= 1
                depth &-= 1
                (start, inObject) = pending.popLink()
            }
            return value
        }
    }

    /// Reads `"key"` and the `:` after it; the cursor is just past `{` (first) or `,` (later members).
    private mutating func readMemberKey(first: Bool) throws(JSONParseError) -> String {
        skipWhitespace()
        guard index < count, base[index] == UInt8(ascii: "\"") else {
            throw error(
                at: index,
                first ? "expected '\"' to start an object key or '}'" : "expected '\"' to start an object key")
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
