/// Why a byte sequence is not a valid JSON text (RFC 8259), and where it stopped making sense.
///
/// `offset` is the zero-based byte index of the first byte that could not be accepted (equal to the
/// input length when the input ended too early); `reason` says what was expected or what was wrong.
public struct JSONParseError: Error, Equatable, CustomStringConvertible {
    /// Zero-based byte offset of the offending byte (the input length for a premature end).
    public let offset: Int
    /// What was expected or found, e.g. "expected ',' or '}' after object member".
    public let reason: String

    /// An error at `offset` with a human-readable `reason`.
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// "invalid JSON at byte 17: expected ',' or '}' after object member".
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
