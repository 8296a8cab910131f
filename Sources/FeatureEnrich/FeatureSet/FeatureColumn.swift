/// One plain (non-aggregated) feature of a feature set: its latest value per entity is kept.
public struct FeatureColumn: Sendable, Hashable {
    /// How a feature value is typed.
    public enum ValueType: String, Sendable, Hashable, CaseIterable {
        /// A finite double.
        case double
        /// A signed 64-bit integer.
        case int64
        /// Any string.
        case string
        /// `true` or `false`.
        case bool
    }

    /// Column name in events and feature vectors.
    public let name: String
    /// Type of the value.
    public let type: ValueType

    /// A feature named `name` of type `type`.
    public init(name: String, type: ValueType) {
        self.name = name
        self.type = type
    }
}
