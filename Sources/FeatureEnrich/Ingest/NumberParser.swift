/// Parses event values as `shared/oracle/README.md` defines them: decimal numbers (`12.5`, `-3`, `1e3`),
/// an empty (or blank) cell is "no value", and anything else (`12.5x`, `nan`, `inf`, hex) is an error.
public enum NumberParser {
    /// The finite number in `text`, or `nil` for an empty or blank cell.
    public static func double(_ text: String) throws(ValueParseError) -> Double? {
        let trimmed = trimmedASCII(text)
        if trimmed.isEmpty { return nil }
        guard isDecimal(trimmed.utf8) else { throw .unparsableNumber(text: text) }
        guard let value = Double(trimmed) else { throw .unparsableNumber(text: text) }
        guard value.isFinite else { throw .nonFiniteNumber(text: text) }
        return value
    }

    /// The integer in `text`, or `nil` for an empty or blank cell.
    public static func int64(_ text: String) throws(ValueParseError) -> Int64? {
        let trimmed = trimmedASCII(text)
        if trimmed.isEmpty { return nil }
        guard let value = Int64(trimmed) else { throw .unparsableInteger(text: text) }
        return value
    }

    /// The boolean in `text` (`true`/`false`, any case, or `1`/`0`), or `nil` for an empty or blank cell.
    public static func bool(_ text: String) throws(ValueParseError) -> Bool? {
        let trimmed = trimmedASCII(text)
        if trimmed.isEmpty { return nil }
        switch trimmed.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw .unparsableBool(text: text)
        }
    }

    /// `text` without leading and trailing spaces, tabs, CR and LF.
    static func trimmedASCII(_ text: String) -> Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = text.firstIndex(where: { !isBlank($0) }), let end = text.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return text[start...end]
    }

    /// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`: what Python's `float` accepts minus the
    /// words (`nan`, `inf`, `infinity`) and underscores.
    static func isDecimal(_ bytes: Substring.UTF8View) -> Bool {
        var index = bytes.startIndex
        func peek() -> UInt8? { index < bytes.endIndex ? bytes[index] : nil }
        func digits() -> Int {
            var count = 0
            while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                count += 1
                index = bytes.index(after: index)
            }
            return count
        }
        if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            index = bytes.index(after: index)
        }
        var mantissaDigits = digits()
        if peek() == UInt8(ascii: ".") {
            index = bytes.index(after: index)
            mantissaDigits += digits()
        }
        guard mantissaDigits > 0 else { return false }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            index = bytes.index(after: index)
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                index = bytes.index(after: index)
            }
            guard digits() > 0 else { return false }
        }
        return index == bytes.endIndex
    }
}

/// Why one cell of an event is not a valid value (the caller adds file, line and column).
public enum ValueParseError: Error, Equatable, CustomStringConvertible {
    /// Not an ISO 8601 timestamp of the accepted forms, nor epoch seconds.
    case unparsableTimestamp(text: String, reason: String)
    /// Not a decimal number (`12.5x`, `nan`, `inf`, `0x10`).
    case unparsableNumber(text: String)
    /// A decimal number too large to be finite (`1e999`).
    case nonFiniteNumber(text: String)
    /// Not a decimal 64-bit integer.
    case unparsableInteger(text: String)
    /// Not `true`, `false`, `1` or `0`.
    case unparsableBool(text: String)

    /// A message naming the value and the problem.
    public var description: String {
        switch self {
        case .unparsableTimestamp(let text, let reason): "unparsable timestamp '\(text)' (\(reason))"
        case .unparsableNumber(let text): "unparsable number '\(text)'"
        case .nonFiniteNumber(let text): "non-finite number '\(text)'"
        case .unparsableInteger(let text): "unparsable integer '\(text)'"
        case .unparsableBool(let text): "unparsable boolean '\(text)' (expected true, false, 1 or 0)"
        }
    }
}
