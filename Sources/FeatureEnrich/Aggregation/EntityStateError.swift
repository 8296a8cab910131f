/// Why bytes are not a valid serialised ``EntityState`` (or not one for this feature set).
public enum EntityStateError: Error, Equatable, CustomStringConvertible {
    /// The bytes end before a field that needs `needed` more bytes at `offset`.
    case truncated(offset: Int, needed: Int)
    /// The bytes do not start with the state magic.
    case badMagic
    /// A format version this build cannot read.
    case unsupportedVersion(UInt8)
    /// A field holds an impossible value.
    case invalidField(offset: Int, reason: String)
    /// Bytes are left after the state.
    case trailingBytes(count: Int)
    /// The state was made for another feature-set definition.
    case definitionMismatch(expected: UInt64, found: UInt64)
    /// The state's shape does not fit the feature set (counts of features or aggregations, bucket times).
    case shapeMismatch(reason: String)

    /// A message naming the problem and where it is.
    public var description: String {
        switch self {
        case .truncated(let offset, let needed): "entity state truncated: \(needed) more bytes needed at byte \(offset)"
        case .badMagic: "not an entity state (bad magic bytes)"
        case .unsupportedVersion(let version): "entity state format version \(version) is not supported"
        case .invalidField(let offset, let reason): "entity state invalid at byte \(offset): \(reason)"
        case .trailingBytes(let count): "entity state followed by \(count) unexpected bytes"
        case .definitionMismatch(let expected, let found):
            "entity state made for feature-set definition \(Self.hex(found)), expected \(Self.hex(expected))"
        case .shapeMismatch(let reason): "entity state does not fit the feature set: \(reason)"
        }
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
