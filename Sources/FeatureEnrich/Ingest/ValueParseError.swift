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
