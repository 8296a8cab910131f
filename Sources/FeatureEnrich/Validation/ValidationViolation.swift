/// One failed validator: the feature, the kind of check, and what was wrong (`-5 is below min 0`).
public struct ValidationViolation: Sendable, Hashable, CustomStringConvertible {
    /// The feature (column) that failed.
    public let feature: String
    /// The validator that failed.
    public let validator: ValidatorKind
    /// The offending value or age and the limit.
    public let detail: String

    /// A violation from its parts.
    public init(feature: String, validator: ValidatorKind, detail: String) {
        self.feature = feature
        self.validator = validator
        self.detail = detail
    }

    /// `field 'amount' fails validator min: -5 is below 0`.
    public var description: String {
        "field '\(feature)' fails validator \(validator.rawValue): \(detail)"
    }
}
