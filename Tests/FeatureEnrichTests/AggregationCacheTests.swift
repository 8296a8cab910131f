import FeatureEnrich
import Testing

/// The block cache of the largest window (sliding and fixed) against a plain walk over the buckets.
struct AggregationCacheTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func cachedRowsEqualRowsReadFromAFreshlyDecodedState(seed: UInt64) throws {
        let definition = try FeatureSetDefinition(jsonText: AggregationSerializationTests.definitionText)
        let aggregator = FeatureSetAggregator(definition)
        var state = aggregator.makeState()
        var row: [Double?] = []
        var reread: [Double?] = []
        var generator = SplitMix(seed: seed)
        var now: Int64 = 1_767_225_600_000
        for index in 0..<3_000 {
            now += Int64(generator.next() % 900_000)
            let late = generator.next() % 10 == 0 ? Int64(generator.next() % 7_200_000) : 0
            let value = Double(Int(generator.next() % 2_000)) / 10 - 100
            aggregator.ingest(at: now - late, aggregationValues: [value, value], into: &state, output: &row)
            // A decoded state has no cache: its read walks the buckets.
            let decoded = try EntityState(serialized: state.serialized(), featureSet: definition)
            aggregator.read(decoded, at: now - late, output: &reread)
            for (column, (cached, walked)) in zip(aggregator.outputColumns, zip(row, reread)) {
                let same =
                    switch (cached, walked) {
                    case (nil, nil): true
                    case (let a?, let b?): (a.isNaN && b.isNaN) || abs(a - b) <= 1e-9 * max(1, abs(b))
                    default: false
                    }
                #expect(
                    same,
                    "event \(index), \(column): cached \(String(describing: cached)) walked \(String(describing: walked))"
                )
            }
        }
    }
}
