import FeatureEnrich
import Foundation
import Testing

/// Decoding feature sets: durations, validation errors with JSON paths, the definition hash and differences.
struct FeatureSetDefinitionTests {
    static let valid = """
        {"name": "transactions", "entities": [{"name": "key", "type": "string"}], "timestamp_key": "timestamp",
         "features": [{"name": "amount", "type": "double"}],
         "aggregations": [{"name": "amount", "column": "amount", "operations": ["count","sum"],
                           "windows": ["1h","24h"], "period": "10m"}], "ttl": "1h"}
        """

    @Test(
        arguments: [
            ("30s", 30_000), ("10m", 600_000), ("1h", 3_600_000), ("24h", 86_400_000), ("1d", 86_400_000),
            ("7d", 604_800_000), ("90s", 90_000), ("010m", 600_000),
        ] as [(String, Int64)])
    func acceptsDurationsStoreyAccepts(text: String, milliseconds: Int64) {
        #expect(FeatureDuration(text)?.milliseconds == milliseconds)
        #expect(FeatureDuration(text)?.text == text)
    }

    @Test(arguments: [
        "", "h", "1", "0h", "1h30m", "1.5h", "1w", "1H", " 1h", "1h ", "-1h", "+1h", "1ms", "1y",
        "99999999999999999999d",
        "4000000d",
    ])
    func rejectsOtherDurations(text: String) {
        #expect(FeatureDuration(text) == nil)
    }

    @Test func decodesTheOracleFormat() throws {
        let definition = try FeatureSetDefinition(jsonText: Self.valid)
        #expect(definition.name == "transactions")
        #expect(definition.entities == [EntityColumn(name: "key", type: .string)])
        #expect(definition.timestampKey == "timestamp")
        #expect(definition.features == [FeatureColumn(name: "amount", type: .double)])
        #expect(definition.aggregations.first?.isSliding == true)
        #expect(definition.aggregations.first?.period?.milliseconds == 600_000)
        #expect(definition.ttl?.text == "1h")
        #expect(
            definition.sortedAggregationColumns == [
                "amount_count_1h", "amount_count_24h", "amount_sum_1h", "amount_sum_24h",
            ])
    }

    @Test func absentOrNullPeriodMeansFixedWindows() throws {
        let absent = try FeatureSetDefinition(
            jsonText: Self.valid.replacingOccurrences(of: ", \"period\": \"10m\"", with: ""))
        let null = try FeatureSetDefinition(jsonText: Self.valid.replacingOccurrences(of: "\"10m\"", with: "null"))
        #expect(absent.aggregations.first?.isSliding == false)
        #expect(null.aggregations.first?.isSliding == false)
    }

    @Test(arguments: [
        (
            "\"1h\",\"24h\"", "\"1h\",\"1h30m\"",
            "aggregations[0].windows[1]: bad duration '1h30m' (expected a positive integer and one unit of s, m, h, d)"
        ),
        ("\"count\",\"sum\"", "\"count\",\"median\"", "aggregations[0].operations[1]: unknown operation 'median'"),
        ("\"10m\"", "\"7m\"", "aggregations[0].period: period 7m does not divide window 1h"),
        (
            "\"1h\",\"24h\"", "\"5h\",\"24h\"",
            "aggregations[0].windows[0]: window 5h does not divide the largest window"
        ),
        ("[{\"name\": \"key\", \"type\": \"string\"}]", "[]", "entities: must not be empty"),
        (
            "\"type\": \"string\"", "\"type\": \"uuid\"",
            "entities[0].type: unknown type 'uuid' (expected one of string, int64)"
        ),
        ("\"timestamp_key\": \"timestamp\",", "", "timestamp_key: missing required field"),
        ("\"ttl\": \"1h\"", "\"ttl\": 3600", "ttl: expected a string, got integer"),
        ("\"windows\": [\"1h\",\"24h\"]", "\"windows\": []", "aggregations[0].windows: must not be empty"),
    ])
    func rejectsInvalidDefinitionsNamingThePath(original: String, replacement: String, message: String) {
        let text = Self.valid.replacingOccurrences(of: original, with: replacement)
        #expect(text != Self.valid)
        do {
            _ = try FeatureSetDefinition(jsonText: text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix(message), "got: \(error.description)")
        }
    }

    @Test func rejectsDuplicateOutputNames() {
        let text = Self.valid.replacingOccurrences(
            of: "\"period\": \"10m\"}]",
            with: "\"period\": \"10m\"}, {\"name\": \"amount\", \"operations\": [\"sum\"], \"windows\": [\"1h\"]}]")
        #expect(throws: FeatureSetError.duplicateName(path: "aggregations[1]", name: "amount_sum_1h")) {
            try FeatureSetDefinition(jsonText: text)
        }
    }

    @Test func rejectsTextThatIsNotJSON() {
        #expect(throws: FeatureSetError.self) { try FeatureSetDefinition(jsonText: "{\"name\": ") }
    }

    @Test func columnDefaultsToTheAggregationName() throws {
        let text = Self.valid.replacingOccurrences(of: "\"column\": \"amount\", ", with: "")
        #expect(try FeatureSetDefinition(jsonText: text).aggregations.first?.column == "amount")
    }

    @Test func hashIsStableAndChangesWithTheDefinition() throws {
        let first = try FeatureSetDefinition(jsonText: Self.valid)
        let second = try FeatureSetDefinition(jsonText: Self.valid.replacingOccurrences(of: "\n", with: " "))
        #expect(first.definitionHash == second.definitionHash)
        let changed = try FeatureSetDefinition(jsonText: Self.valid.replacingOccurrences(of: "\"24h\"", with: "\"1d\""))
        #expect(changed.definitionHash != first.definitionHash)
        // FNV-1a 64 of the canonical text, recomputed independently here.
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in first.canonicalEncoding.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        #expect(first.definitionHash == hash)
    }

    @Test func differencesNameWhatChanged() throws {
        let old = try FeatureSetDefinition(jsonText: Self.valid)
        let new = try FeatureSetDefinition(
            jsonText: Self.valid.replacingOccurrences(of: "\"24h\"", with: "\"2h\"")
                .replacingOccurrences(of: "\"10m\"", with: "null")
                .replacingOccurrences(
                    of: "{\"name\": \"amount\", \"type\": \"double\"}",
                    with: "{\"name\": \"fee\", \"type\": \"double\"}"))
        #expect(
            new.differences(from: old) == [
                "feature 'amount' removed", "feature 'fee' added",
                "aggregation 'amount': windows changed from [1h, 24h] to [1h, 2h]",
                "aggregation 'amount': period changed from 10m to none (fixed)",
            ])
        #expect(old.differences(from: old).isEmpty)
    }
}
