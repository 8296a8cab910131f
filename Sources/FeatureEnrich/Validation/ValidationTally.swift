/// Validator violations counted per feature, validator kind and policy outcome; folded into the
/// `feature_violations` table in the same commit as the events that caused them.
package struct ValidationTally: Sendable, Equatable {
    /// One counted row of `feature_violations`.
    package struct Key: Sendable, Hashable {
        /// The feature that failed.
        package let feature: String
        /// The validator it failed.
        package let validator: ValidatorKind
    }

    /// Per-outcome counts of one key.
    package struct Counts: Sendable, Equatable {
        /// Events refused (`reject`).
        package var rejected: Int64 = 0
        /// Events written unchanged (`warn`).
        package var warned: Int64 = 0
        /// Events written with the feature nulled (`drop_feature`).
        package var dropped: Int64 = 0

        /// All of them.
        package var total: Int64 { rejected + warned + dropped }
    }

    /// The counts per feature and validator.
    package private(set) var counts: [Key: Counts] = [:]

    /// An empty tally.
    package init() {}

    /// True when nothing was counted.
    package var isEmpty: Bool { counts.isEmpty }

    /// Every violation counted.
    package var total: Int64 { counts.values.reduce(0) { $0 + $1.total } }

    /// Counts one violation of `validator` on `feature`, handled by `policy`.
    package mutating func add(feature: String, _ validator: ValidatorKind, policy: ValidationPolicy) {
        let key = Key(feature: feature, validator: validator)
        switch policy {
        case .reject: counts[key, default: Counts()].rejected += 1
        case .warn: counts[key, default: Counts()].warned += 1
        case .dropFeature: counts[key, default: Counts()].dropped += 1
        }
    }

    /// The counts of `validator` on `feature` (zero when none).
    package func counts(feature: String, _ validator: ValidatorKind) -> Counts {
        counts[Key(feature: feature, validator: validator)] ?? Counts()
    }

    /// Adds every count of `other`.
    package mutating func merge(_ other: ValidationTally) {
        for (key, value) in other.counts {
            counts[key, default: Counts()].rejected += value.rejected
            counts[key, default: Counts()].warned += value.warned
            counts[key, default: Counts()].dropped += value.dropped
        }
    }

    /// `amount.min=3 country.allowed=1`, sorted, for log lines.
    package var summary: String {
        counts.sorted { ($0.key.feature, $0.key.validator) < ($1.key.feature, $1.key.validator) }
            .map { "\($0.key.feature).\($0.key.validator.rawValue)=\($0.value.total)" }
            .joined(separator: " ")
    }
}
