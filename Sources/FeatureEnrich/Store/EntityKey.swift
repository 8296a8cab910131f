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
        for part in parts { encoded += "\(part.utf8.count):\(part)" }
        self.encoded = encoded
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
