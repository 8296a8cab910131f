/// The canonical, unambiguous text of an entity key: every entity column's value (int64 in decimal)
/// length-prefixed and concatenated in definition order (`3:abc`, `1:a2:bc` for a compound key).
///
/// The same encoding as the replay engine's per-key dictionary, so a compound key `("a", "bc")`
/// never collides with `("ab", "c")`. Stored as `entity_state.entity_key` and `event_log.entity_key`.
public struct EntityKey: Sendable, Hashable, CustomStringConvertible {
    /// The encoded key.
    public let encoded: String

    /// The key of entity column values `parts` (already canonical: int64 columns in decimal).
    public init(parts: [String]) {
        var encoded = ""
        for part in parts { Self.append(part, to: &encoded) }
        self.encoded = encoded
    }

    /// The key of a single entity column's value `part` (already canonical), as ``init(parts:)`` with one part.
    public init(part: String) {
        var text = part
        let count = text.utf8.count
        var digitCount = 1
        var bound = 10
        while count >= bound {
            digitCount += 1
            bound = bound &* 10
        }
        // Written straight into the key's storage (an update's key is built per request): `count:part`.
        encoded = text.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: digitCount + 1 + count) { buffer in
                var rest = count
                for position in stride(from: digitCount - 1, through: 0, by: -1) {
                    buffer[position] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                    rest /= 10
                }
                buffer[digitCount] = UInt8(ascii: ":")
                _ = UnsafeMutableBufferPointer(rebasing: buffer[(digitCount + 1)...]).initialize(from: bytes)
                return digitCount + 1 + count
            }
        }
    }

    /// The key of a single int64 entity column holding `value`: ``init(part:)`` with its decimal text, written
    /// straight into the key's storage (a lookup's key is built per request).
    public init(int64 value: Int64) {
        var magnitude = value.magnitude
        var digitCount = 1
        var bound: UInt64 = 10
        while digitCount < 20, magnitude >= bound {
            digitCount += 1
            bound = bound &* 10
        }
        let length = digitCount + (value < 0 ? 1 : 0)
        // The exact size: up to 15 bytes the text is a small string, built without a heap allocation.
        let total = (length >= 10 ? 2 : 1) + 1 + length
        encoded = String(unsafeUninitializedCapacity: total) { buffer in
            var index = 0
            if length >= 10 {
                buffer[index] = UInt8(ascii: "0") + UInt8(length / 10)
                index += 1
            }
            buffer[index] = UInt8(ascii: "0") + UInt8(length % 10)
            buffer[index + 1] = UInt8(ascii: ":")
            index += 2
            if value < 0 {
                buffer[index] = UInt8(ascii: "-")
                index += 1
            }
            let end = index + digitCount
            for position in stride(from: end - 1, through: index, by: -1) {
                buffer[position] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            }
            return end
        }
    }

    /// Appends `length:part` (plain appends: interpolation costs several times more on a lookup's path).
    private static func append(_ part: String, to encoded: inout String) {
        encoded.append(String(part.utf8.count))
        encoded.append(":")
        encoded.append(part)
    }

    /// A key from its stored encoding.
    package init(encoded: String) {
        self.encoded = encoded
    }

    /// The key of the text a client wrote for `featureSet` (the entity read endpoint): the value itself for a
    /// single entity column, the values separated by `,` for a compound key. int64 columns must hold a decimal
    /// integer. Throws ``FeatureEventError`` naming the column.
    public init(text: String, featureSet: FeatureSetDefinition) throws(FeatureEventError) {
        let pieces: [String] =
            featureSet.entities.count == 1
            ? [text] : text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard pieces.count == featureSet.entities.count else {
            throw .badEntityKey(
                field: featureSet.entities.map(\.name).joined(separator: ","),
                reason: "expected \(featureSet.entities.count) comma-separated values, got \(pieces.count)")
        }
        var parts: [String] = []
        for (entity, piece) in zip(featureSet.entities, pieces) {
            switch entity.type {
            case .string:
                parts.append(piece)
            case .int64:
                guard let number = Int64(piece) else {
                    throw .badEntityKey(field: entity.name, reason: "'\(piece)' is not a 64-bit integer")
                }
                parts.append(String(number))
            }
        }
        self.init(parts: parts)
    }

    /// The encoded key.
    public var description: String { encoded }
}
