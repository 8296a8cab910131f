package import ServingGraph

/// A feature set's validators compiled once for the write paths: per validated feature its position among the
/// plain features, the aggregations that read the same column, and the checks. Built only when the set
/// declares validators (``RegisteredFeatureSet/validator`` is nil otherwise, so ingestion of such a set never
/// reaches this code).
package struct FeatureSetValidator: Sendable {
    /// One validated feature.
    struct Check: Sendable {
        let name: String
        let feature: Int
        /// Aggregations whose input column is this feature: dropped together with it.
        let aggregations: [Int]
        let validators: FeatureValidators
        let allowedStrings: Set<String>
        let allowedNumbers: Set<Double>
        let allowedBools: Set<Bool>
    }

    /// The set's policy.
    package let policy: ValidationPolicy
    let checks: [Check]

    /// The compiled validators of `definition`, or nil when it declares none.
    package init?(_ definition: FeatureSetDefinition) {
        var checks: [Check] = []
        for (index, feature) in definition.features.enumerated() where !feature.validators.isEmpty {
            let allowed = feature.validators.allowed ?? []
            checks.append(
                Check(
                    name: feature.name, feature: index,
                    aggregations: definition.aggregations.indices.filter {
                        definition.aggregations[$0].column == feature.name
                    },
                    validators: feature.validators,
                    allowedStrings: Set(allowed.compactMap(\.stringValue)),
                    allowedNumbers: Set(allowed.compactMap(\.doubleValue)),
                    allowedBools: Set(allowed.compactMap(\.boolValue))))
        }
        guard !checks.isEmpty else { return nil }
        self.checks = checks
        policy = definition.validationPolicy
    }

    /// What ``apply(time:featureValues:aggregationValues:receivedAt:tally:)`` decided for one event.
    package enum Outcome: Sendable, Equatable {
        /// Write the event; these features were set to null (`drop_feature`; empty otherwise).
        case write(dropped: [String])
        /// Refuse the event (`reject`): the first violation, in declaration order.
        case reject(ValidationViolation)
    }

    /// Applies the policy to one event received at `receivedAt` (epoch ms). Under `reject` the first violation
    /// refuses the event and nothing is changed; otherwise every violation is counted in `tally` and, under
    /// `drop_feature`, each violating feature (and the aggregation inputs reading it) is set to nil.
    package func apply(
        time: Int64, featureValues: inout [Value?], aggregationValues: inout [Double?], receivedAt: Int64,
        tally: inout ValidationTally
    ) -> Outcome {
        var dropped: [String] = []
        for check in checks {
            var failed = false
            for violation in violations(of: check, value: featureValues[check.feature], time: time, receivedAt) {
                if policy == .reject { return .reject(violation) }
                tally.add(feature: check.name, violation.validator, policy: policy)
                failed = true
            }
            guard failed, policy == .dropFeature else { continue }
            featureValues[check.feature] = nil
            for aggregation in check.aggregations { aggregationValues[aggregation] = nil }
            dropped.append(check.name)
        }
        return .write(dropped: dropped)
    }

    /// Every validator of `check` that `value` (of an event at `time`) fails.
    private func violations(of check: Check, value: Value?, time: Int64, _ receivedAt: Int64) -> [ValidationViolation] {
        let validators = check.validators
        guard let value, !value.isNull else {
            guard validators.notNull else { return [] }
            return [ValidationViolation(feature: check.name, validator: .notNull, detail: "no value")]
        }
        var found: [ValidationViolation] = []
        if let number = value.doubleValue {
            if let min = validators.min, number < min {
                found.append(
                    ValidationViolation(
                        feature: check.name, validator: .min, detail: "\(Self.text(value)) is below \(Self.text(min))"))
            }
            if let max = validators.max, number > max {
                found.append(
                    ValidationViolation(
                        feature: check.name, validator: .max, detail: "\(Self.text(value)) is above \(Self.text(max))"))
            }
        }
        if validators.allowed != nil, !isAllowed(value, check) {
            found.append(
                ValidationViolation(
                    feature: check.name, validator: .allowed, detail: "\(Self.text(value)) is not an allowed value"))
        }
        if let maxAge = validators.maxAge, receivedAt - time > maxAge.milliseconds {
            found.append(
                ValidationViolation(
                    feature: check.name, validator: .maxAge,
                    detail: "event time \(RFC3339.string(epochMilliseconds: time)) is older than \(maxAge.text) "
                        + "at receive time \(RFC3339.string(epochMilliseconds: receivedAt))"))
        }
        return found
    }

    private func isAllowed(_ value: Value, _ check: Check) -> Bool {
        switch value {
        case .string(let text): check.allowedStrings.contains(text)
        case .bool(let flag): check.allowedBools.contains(flag)
        case .int, .double: value.doubleValue.map { check.allowedNumbers.contains($0) } ?? false
        default: false
        }
    }

    /// A value as the messages show it: JSON, integers without a fraction.
    private static func text(_ value: Value) -> String {
        if case .double(let number) = value { return text(number) }
        return JSONWriter.string(value)
    }

    private static func text(_ number: Double) -> String {
        if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
        return JSONWriter.string(.double(number))
    }
}
