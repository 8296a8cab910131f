import FeatureEnrich
import ServingGraph
import Testing

/// The compiled validators of one set applied to one event, for each validator kind and each policy.
struct FeatureSetValidatorTests {
    /// Received 2026-01-10T00:00:00Z.
    private static let receivedAt: Int64 = 1_768_003_200_000
    private static let day: Int64 = 86_400_000

    /// Applies the validators of the fixture under `policy` to one event; the values after, the outcome and the
    /// tally.
    private static func apply(
        policy: String, amount: Value?, country: Value? = "US", age: Int64 = 0
    ) throws -> (
        features: [Value?], aggregations: [Double?], outcome: FeatureSetValidator.Outcome, tally: ValidationTally
    ) {
        let validator = try #require(FeatureSetValidator(try ValidationFixture.definition(policy: policy)))
        var features: [Value?] = [amount, country, nil]
        var aggregations: [Double?] = [amount?.doubleValue]
        var tally = ValidationTally()
        let outcome = validator.apply(
            time: receivedAt - age, featureValues: &features, aggregationValues: &aggregations, receivedAt: receivedAt,
            tally: &tally)
        return (features, aggregations, outcome, tally)
    }

    @Test(arguments: [
        (Value.double(0), nil as ValidationViolation?),
        (.double(-0.5), ValidationViolation(feature: "amount", validator: .min, detail: "-0.5 is below 0")),
        (.double(1000), nil),
        (.int(1001), ValidationViolation(feature: "amount", validator: .max, detail: "1001 is above 1000")),
    ])
    func minAndMaxAreInclusiveBounds(amount: Value, expected: ValidationViolation?) throws {
        let outcome = try Self.apply(policy: "reject", amount: amount).outcome
        #expect(outcome == expected.map { .reject($0) } ?? .write(dropped: []))
    }

    @Test func allowedAcceptsOnlyTheListedValues() throws {
        #expect(try Self.apply(policy: "warn", amount: 1, country: "DE").tally.isEmpty)
        #expect(
            try Self.apply(policy: "reject", amount: 1, country: "FR").outcome
                == .reject(
                    ValidationViolation(
                        feature: "country", validator: .allowed, detail: #""FR" is not an allowed value"#)))
    }

    @Test func notNullRefusesAnAbsentValueAndOtherValidatorsPassIt() throws {
        #expect(
            try Self.apply(policy: "reject", amount: 1, country: nil).outcome
                == .reject(ValidationViolation(feature: "country", validator: .notNull, detail: "no value")))
        // amount has min, max and max_age but not not_null: an absent amount passes, even 30 days old.
        #expect(try Self.apply(policy: "warn", amount: nil, age: 30 * Self.day).tally.isEmpty)
    }

    @Test func maxAgeAcceptsExactlySevenDaysAndRefusesOneMillisecondMore() throws {
        #expect(try Self.apply(policy: "warn", amount: 1, age: 7 * Self.day).tally.isEmpty)
        #expect(
            try Self.apply(policy: "reject", amount: 1, age: 7 * Self.day + 1).outcome
                == .reject(
                    ValidationViolation(
                        feature: "amount", validator: .maxAge,
                        detail:
                            "event time 2026-01-02T23:59:59.999Z is older than 7d at receive time 2026-01-10T00:00:00Z")
                ))
    }

    @Test func warnKeepsTheValuesAndCountsEveryFailedValidator() throws {
        let result = try Self.apply(policy: "warn", amount: -3, country: "FR", age: 8 * Self.day)
        #expect(result.features == [.int(-3), "FR", nil])
        #expect(result.aggregations == [-3])
        #expect(result.outcome == .write(dropped: []))
        #expect(result.tally.total == 3)
        #expect(result.tally.counts(feature: "amount", .min).warned == 1)
        #expect(result.tally.counts(feature: "amount", .maxAge).warned == 1)
        #expect(result.tally.counts(feature: "country", .allowed).warned == 1)
    }

    @Test func dropFeatureNullsTheFeatureAndTheAggregationInputReadingIt() throws {
        let result = try Self.apply(policy: "drop_feature", amount: 2000)
        #expect(result.features == [nil, "US", nil])
        #expect(result.aggregations == [nil])
        #expect(result.outcome == .write(dropped: ["amount"]))
        #expect(result.tally.counts(feature: "amount", .max).dropped == 1)
        #expect(result.tally.total == 1)
    }

    @Test func rejectRefusesWithTheFirstViolationInDeclarationOrder() throws {
        #expect(
            try Self.apply(policy: "reject", amount: -1, country: nil).outcome
                == .reject(ValidationViolation(feature: "amount", validator: .min, detail: "-1 is below 0")))
    }

    @Test func aSetWithoutValidatorsCompilesToNothing() throws {
        #expect(FeatureSetValidator(try StoreFixture.transactions()) == nil)
    }
}
