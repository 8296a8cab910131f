import Testing

@testable import ServingGraph

struct ComputeTests {
    @Test func addsFeaturesInOrderSoLaterOnesSeeEarlierResults() throws {
        let step = try ComputeStep(
            name: "features",
            expressions: [("ratio", "amount / amount_avg_1h"), ("flag", "ratio > 1.5 and country == 'US'")])
        let out = try step.run(Event(body: ["amount": 50, "amount_avg_1h": 25, "country": "US"]))
        #expect(out.body == ["amount": 50, "amount_avg_1h": 25, "country": "US", "ratio": 2.0, "flag": true])
    }

    @Test func writesNullWhenAnInputIsMissingOrADivisorIsZero() throws {
        let step = try ComputeStep(name: "f", expressions: [("ratio", "amount / amount_avg_1h")])
        #expect(try step.run(Event(body: ["amount": 5])).body == ["amount": 5, "ratio": nil])
        #expect(
            try step.run(Event(body: ["amount": 5, "amount_avg_1h": 0])).body == [
                "amount": 5, "amount_avg_1h": 0, "ratio": nil,
            ])
    }

    @Test func rejectsABadExpressionAtConstructionNamingStepFieldAndPosition() {
        #expect(
            throws: GraphError.invalidArgument(
                path: "f.expressions.ratio", reason: #"at character 10: expected an operand, got '*' in "amount * * 2""#
            )
        ) { try ComputeStep(name: "f", expressions: [("ratio", "amount * * 2")]) }
    }

    @Test func reportsATypeErrorPerEventNamingStepAndFeature() throws {
        let step = try ComputeStep(name: "f", expressions: [("double", "amount * 2")])
        #expect(
            throws: ServingError.invalidInput("step 'f', feature 'double': '*' needs numbers, got string and integer")
        ) {
            try step.run(Event(body: ["amount": "12"]))
        }
        #expect(throws: ServingError.invalidInput("step 'f' expects an object body, got string")) {
            try step.run(Event(body: "x"))
        }
    }
}
