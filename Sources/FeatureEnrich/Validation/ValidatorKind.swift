/// One kind of feature validator; the raw value is its key in the feature-set file and in the catalog.
public enum ValidatorKind: String, Sendable, Hashable, CaseIterable, Comparable {
    /// The value is below `min`.
    case min
    /// The value is above `max`.
    case max
    /// The value is not one of `allowed`.
    case allowed
    /// The value is absent or null.
    case notNull = "not_null"
    /// The event timestamp is older than `max_age` at receive time.
    case maxAge = "max_age"

    /// Declaration order (`min`, `max`, `allowed`, `not_null`, `max_age`).
    public static func < (lhs: ValidatorKind, rhs: ValidatorKind) -> Bool {
        let order = allCases
        return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
    }
}
