import FeatureEnrich
import ServingGraph
import Testing

/// Plain-feature reads with a TTL.
struct AggregationFeatureReadTests {
    @Test func featuresOlderThanTheTTLAreLeftOut() throws {
        let definition = try FeatureSetDefinition(
            jsonText: """
                {"name": "p", "entities": [{"name": "key"}], "timestamp_key": "ts", "ttl": "1h",
                 "features": [{"name": "score", "type": "double"}, {"name": "label", "type": "string"}]}
                """)
        let aggregator = FeatureSetAggregator(definition)
        var state = aggregator.makeState()
        var output: [Double?] = []
        aggregator.ingest(
            at: 0, aggregationValues: [], featureValues: [.double(1), nil], into: &state, output: &output)
        aggregator.ingest(
            at: 1_800_000, aggregationValues: [], featureValues: [nil, .string("x")], into: &state, output: &output)
        #expect(aggregator.features(state, at: 3_600_000) == ["score": .double(1), "label": .string("x")])
        #expect(aggregator.features(state, at: 3_600_001) == ["label": .string("x")])
        #expect(aggregator.features(state, at: 5_400_001).isEmpty)
    }
}
