import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// Validator declarations in the feature-set file: decoding, errors naming the JSON path, identity.
struct FeatureValidatorsTests {
    @Test func decodesEveryValidatorAndThePolicy() throws {
        let definition = try ValidationFixture.definition(policy: "drop_feature")
        #expect(definition.validationPolicy == .dropFeature)
        #expect(
            definition.features[0].validators
                == FeatureValidators(min: 0, max: 1000, maxAge: FeatureDuration("7d")))
        #expect(definition.features[1].validators == FeatureValidators(allowed: ["US", "DE"], notNull: true))
        #expect(definition.features[2].validators.isEmpty)
    }

    @Test func policyDefaultsToRejectAndTheFileRoundTrips() throws {
        let text = ValidationFixture.json(policy: "reject").replacingOccurrences(
            of: #", "validation_policy": "reject""#, with: "")
        let definition = try FeatureSetDefinition(jsonText: text)
        #expect(definition.validationPolicy == .reject)
        let again = try FeatureSetDefinition(json: definition.jsonValue)
        #expect(again == definition)
        #expect(definition.jsonValue["validation_policy"] == "reject")
        #expect(
            definition.jsonValue["features"]?.arrayValue?[1]["validators"] == [
                "allowed": ["US", "DE"], "not_null": true,
            ])
    }

    @Test(arguments: [
        (#"{"minimum": 1}"#, "double", "features[0].validators.minimum: unknown validator 'minimum'"),
        (#"{"min": 1}"#, "string", "features[0].validators.min: validator min does not apply to a string feature"),
        (#"{"min": 5, "max": 1}"#, "double", "features[0].validators.min: min 5.0 is above max 1.0"),
        (#"{"min": "0"}"#, "double", "features[0].validators.min: expected a number, got string"),
        (
            #"{"allowed": ["US", 1]}"#, "string",
            "features[0].validators.allowed[1]: expected a value of type string, got int"
        ),
        (
            #"{"allowed": [1.5]}"#, "int64",
            "features[0].validators.allowed[0]: expected a value of type int64, got number"
        ),
        (#"{"allowed": []}"#, "string", "features[0].validators.allowed: an empty list allows no value"),
        (#"{"not_null": "yes"}"#, "double", "features[0].validators.not_null: expected true or false, got string"),
        (#"{"max_age": "1w"}"#, "double", "features[0].validators.max_age: bad duration '1w'"),
        (#"[1]"#, "double", "features[0].validators: expected an object, got array"),
    ])
    func badValidatorIsRefusedNamingItsJSONPath(validators: String, type: String, message: String) {
        let text = """
            {"name": "s", "entities": [{"name": "k"}], "timestamp_key": "t",
             "features": [{"name": "x", "type": "\(type)", "validators": \(validators)}]}
            """
        #expect {
            _ = try FeatureSetDefinition(jsonText: text)
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }

    @Test func unknownPolicyIsRefusedNamingItsPath() {
        #expect {
            _ = try ValidationFixture.definition(policy: "ignore")
        } throws: { error in
            "\(error)" == "validation_policy: unknown policy 'ignore' (expected one of reject, warn, drop_feature)"
        }
    }

    @Test func aChangedValidatorChangesTheIdentityButNotTheStateHash() throws {
        let first = try ValidationFixture.definition(policy: "reject")
        let second = try FeatureSetDefinition(
            jsonText: ValidationFixture.json(policy: "reject").replacingOccurrences(of: "1000", with: "2000"))
        let warn = try ValidationFixture.definition(policy: "warn")
        #expect(first.definitionHash == second.definitionHash)
        #expect(first.identityHash != second.identityHash)
        #expect(first.identityHash != warn.identityHash)
        #expect(
            second.differences(from: first) == [
                #"feature 'amount': validators changed from {"min":0.0,"max":1000.0,"max_age":"7d"} "#
                    + #"to {"min":0.0,"max":2000.0,"max_age":"7d"}"#
            ])
        #expect(warn.differences(from: first) == ["validation_policy changed from reject to warn"])
    }

    @Test func aSetWithoutValidatorsHasTheIdentityOfItsState() throws {
        let definition = try StoreFixture.transactions()
        #expect(!definition.hasValidators)
        #expect(definition.identityHash == definition.definitionHash)
    }
}
