import FeatureEnrich
import ServingGraph
import Testing

/// Feature vector files: MLRun's `set.feature`, `set.*` and `as` aliases, resolved against feature sets.
struct FeatureVectorDefinitionTests {
    private func sets() throws -> [FeatureSetDefinition] {
        let transactions = try FeatureSetDefinition(
            jsonText: """
                {"name": "transactions", "entities": [{"name": "account_id", "type": "string"}],
                 "timestamp_key": "timestamp",
                 "features": [{"name": "amount", "type": "double"}, {"name": "is_fraud", "type": "int64"}],
                 "aggregations": [{"name": "amount", "column": "amount", "operations": ["avg", "count"],
                                   "windows": ["1h"], "period": "10m"}]}
                """)
        let accounts = try FeatureSetDefinition(
            jsonText: """
                {"name": "accounts", "entities": [{"name": "account_id", "type": "string"}],
                 "timestamp_key": "timestamp",
                 "features": [{"name": "age", "type": "int64"}, {"name": "country", "type": "string"}]}
                """)
        return [transactions, accounts]
    }

    private func vector(_ json: String) throws -> FeatureVectorDefinition {
        try FeatureVectorDefinition(json: try JSONParser.parse(json))
    }

    @Test func resolvesSingleFeaturesStarsAndAliasesInDeclaredOrder() throws {
        let definition = try vector(
            """
            {"name": "fraud", "features": ["transactions.amount_avg_1h", "accounts.*", "transactions.amount as amt"],
             "label_feature": "transactions.is_fraud"}
            """)
        let resolved = try definition.resolve(featureSets: try sets())
        #expect(resolved.columns.map(\.name) == ["amount_avg_1h", "age", "country", "amt"])
        #expect(resolved.columns.map(\.featureSet) == ["transactions", "accounts", "accounts", "transactions"])
        #expect(resolved.columns[0].source == .aggregation(column: "amount_avg_1h"))
        #expect(resolved.columns[3].source == .feature(index: 0))
        #expect(resolved.label?.name == "is_fraud")
        #expect(resolved.entityKeys == ["account_id"])
        #expect(resolved.featureSets.map(\.name) == ["transactions", "accounts"])
    }

    @Test func starTakesPlainFeaturesThenAggregationColumns() throws {
        let resolved = try vector(#"{"name": "v", "features": ["transactions.*"]}"#).resolve(featureSets: try sets())
        #expect(resolved.columns.map(\.name) == ["amount", "is_fraud", "amount_avg_1h", "amount_count_1h"])
    }

    @Test func keepsImputePolicyAndEntityKeys() throws {
        let definition = try vector(
            #"{"name": "v", "features": ["accounts.age"], "entity_keys": ["account_id"], "impute_policy": {"*": "$mean", "age": 0}}"#
        )
        #expect(definition.imputePolicy["*"] == "$mean")
        #expect(definition.imputePolicy["age"] == 0)
        #expect(definition.entityKeys == ["account_id"])
    }

    @Test(arguments: [
        (#"{"features": ["a.b"]}"#, "name: missing required field"),
        (#"{"name": "v", "features": []}"#, "features: expected a non-empty array of strings, got array"),
        (#"{"name": "v", "features": [3]}"#, "features[0]: expected a string, got integer"),
        (#"{"name": "v", "features": ["amount"]}"#, "features[0]: bad feature reference 'amount'"),
        (#"{"name": "v", "features": ["a.* as x"]}"#, "features[0]: bad feature reference 'a.* as x'"),
        (#"{"name": "v", "features": ["a.b as "]}"#, "features[0]: bad feature reference 'a.b as '"),
        (#"{"name": "v", "features": ["a.b"], "label_feature": "a.*"}"#, "label_feature: bad feature reference 'a.*'"),
        (#"{"name": "v", "features": ["a.b"], "impute_policy": {"x": [1]}}"#, "impute_policy.x: expected a constant"),
    ])
    func rejectsMalformedVectorsNamingTheField(json: String, message: String) throws {
        #expect {
            _ = try vector(json)
        } throws: { error in
            String(describing: error).contains(message)
        }
    }

    @Test(arguments: [
        (#"{"name": "v", "features": ["payments.amount"]}"#, "v.features[0]: unknown feature set 'payments'"),
        (
            #"{"name": "v", "features": ["accounts.income"]}"#,
            "v.features[0]: feature set 'accounts' has no feature 'income'"
        ),
        (
            #"{"name": "v", "features": ["accounts.age", "accounts.*"]}"#,
            "v.features[1]: output column 'age' appears twice"
        ),
        (
            #"{"name": "v", "features": ["accounts.age"], "entity_keys": ["user"]}"#,
            "v.entity_keys[0]: 'user' is not an entity column"
        ),
        (#"{"name": "v", "features": ["transactions.amount_sum_1h"]}"#, "has no feature 'amount_sum_1h'"),
    ])
    func rejectsUnknownSetsFeaturesAndDuplicatesAtLoad(json: String, message: String) throws {
        let definition = try vector(json)
        #expect {
            _ = try definition.resolve(featureSets: try sets())
        } throws: { error in
            String(describing: error).contains(message)
        }
    }
}
