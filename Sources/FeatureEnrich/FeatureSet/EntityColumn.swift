/// One entity (key) column of a feature set; several make a compound key.
public struct EntityColumn: Sendable, Hashable {
    /// How an entity value is typed.
    public enum ValueType: String, Sendable, Hashable, CaseIterable {
        /// Any string.
        case string
        /// A signed 64-bit integer, written in decimal.
        case int64
    }

    /// Column name in events and in output rows.
    public let name: String
    /// Type of the key value.
    public let type: ValueType

    /// An entity column named `name` of type `type`.
    public init(name: String, type: ValueType) {
        self.name = name
        self.type = type
    }
}
