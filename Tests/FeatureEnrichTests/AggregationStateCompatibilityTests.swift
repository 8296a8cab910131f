import FeatureEnrich
import Testing

/// States that do not belong to the aggregator's feature set never trap.
struct AggregationStateCompatibilityTests {
    @Test func stateOfAnotherFeatureSetIsReadAsNullAndReplacedOnIngest() throws {
        let oneHour = try AggregationHarness.standard(windows: ["1h"])
        let twoWindows = try AggregationHarness.standard()
        var foreign = oneHour.aggregator.makeState()
        var output: [Double?] = []
        oneHour.aggregator.ingest(at: 0, aggregationValues: [1], into: &foreign, output: &output)
        #expect(!twoWindows.aggregator.isCompatible(foreign))
        let decoded = try EntityState(serialized: foreign.serialized())
        twoWindows.aggregator.read(decoded, at: 0, output: &output)
        #expect(output.count == 20 && output.allSatisfy { $0 == nil })
        var replaced = decoded
        twoWindows.aggregator.ingest(at: 0, aggregationValues: [5], into: &replaced, output: &output)
        #expect(twoWindows.aggregator.isCompatible(replaced))
        #expect(output[twoWindows.aggregator.outputColumns.firstIndex(of: "amount_count_24h") ?? 0] == 1)
    }
}
