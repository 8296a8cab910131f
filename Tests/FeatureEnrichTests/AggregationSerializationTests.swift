import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// `EntityState.serialized()` / `init(serialized:)`: round trips, continuing after a round trip, corrupt bytes.
struct AggregationSerializationTests {
    static let definitionText = """
        {"name": "s", "entities": [{"name": "key"}], "timestamp_key": "ts",
         "features": [{"name": "amount", "type": "double"}, {"name": "tag", "type": "string"},
                      {"name": "n", "type": "int64"}, {"name": "flag", "type": "bool"}],
         "aggregations": [
           {"name": "amount", "column": "amount", "operations": ["count","sum","sqr","min","max","first","last","avg","stdvar","stddev"], "windows": ["1h","24h"], "period": "10m"},
           {"name": "fixed", "column": "amount", "operations": ["count","sum","first","last","stddev"], "windows": ["30m","2h"]}]}
        """

    /// Deterministic events for one key: in order, late and too late, with equal timestamps.
    static func events(count: Int) -> [(time: Int64, value: Double?)] {
        var generator = SplitMix(seed: 42)
        var now: Int64 = 1_767_225_600_000
        var events: [(Int64, Double?)] = []
        for index in 0..<count {
            now += Int64(generator.next() % 600_000)
            var time = now
            switch generator.next() % 20 {
            case 0: time -= Int64(generator.next() % 5_400_000)  // late
            case 1: time -= 86_400_000 + Int64(generator.next() % 21_600_000)  // too late
            case 2: time = events.last?.0 ?? now  // same timestamp
            default: break
            }
            let value: Double? = index % 17 == 0 ? nil : Double(Int(generator.next() % 20_000)) / 100 - 50
            events.append((time, value))
        }
        return events
    }

    @Test func roundTripGivesAnEqualState() throws {
        let definition = try FeatureSetDefinition(jsonText: Self.definitionText)
        let aggregator = FeatureSetAggregator(definition)
        var state = aggregator.makeState()
        var output: [Double?] = []
        for event in Self.events(count: 300) {
            aggregator.ingest(
                at: event.time, aggregationValues: [event.value, event.value],
                featureValues: [
                    event.value.map(Value.double), .string("t\(event.time % 7)"), .int(event.time), .bool(true),
                ],
                into: &state, output: &output)
        }
        let bytes = state.serialized()
        #expect(try EntityState(serialized: bytes) == state)
        #expect(try EntityState(serialized: bytes, featureSet: definition) == state)
        #expect(state.bucketCount > 0)
    }

    @Test func continuingAfterARoundTripMatchesNeverSerialising() throws {
        let definition = try FeatureSetDefinition(jsonText: Self.definitionText)
        let aggregator = FeatureSetAggregator(definition)
        let events = Self.events(count: 2_000)
        var plain = aggregator.makeState()
        var roundTripped = aggregator.makeState()
        var plainRow: [Double?] = []
        var roundTrippedRow: [Double?] = []
        for (index, event) in events.enumerated() {
            aggregator.ingest(
                at: event.time, aggregationValues: [event.value, event.value], into: &plain, output: &plainRow)
            aggregator.ingest(
                at: event.time, aggregationValues: [event.value, event.value], into: &roundTripped,
                output: &roundTrippedRow)
            if index % 97 == 0 {
                roundTripped = try EntityState(serialized: roundTripped.serialized(), featureSet: definition)
            }
            #expect(plainRow.map(bitPattern) == roundTrippedRow.map(bitPattern), "row \(index)")
        }
    }

    @Test func everyTruncationIsRejected() throws {
        let bytes = try sampleState().serialized()
        for length in 0..<bytes.count {
            #expect(throws: EntityStateError.self, "length \(length)") {
                try EntityState(serialized: Array(bytes[0..<length]))
            }
        }
    }

    @Test func trailingBytesBadMagicAndUnknownVersionAreRejected() throws {
        let bytes = try sampleState().serialized()
        #expect(throws: EntityStateError.trailingBytes(count: 1)) { try EntityState(serialized: bytes + [0]) }
        var magic = bytes
        magic[0] = UInt8(ascii: "X")
        #expect(throws: EntityStateError.badMagic) { try EntityState(serialized: magic) }
        var version = bytes
        version[4] = 9
        #expect(throws: EntityStateError.unsupportedVersion(9)) { try EntityState(serialized: version) }
    }

    @Test func stateOfAnotherDefinitionIsRejected() throws {
        let bytes = try sampleState().serialized()
        let other = try FeatureSetDefinition(
            jsonText: Self.definitionText.replacingOccurrences(of: "\"2h\"", with: "\"1h\""))
        #expect(throws: EntityStateError.self) { try EntityState(serialized: bytes, featureSet: other) }
    }

    @Test func randomCorruptionNeverCrashes() throws {
        let definition = try FeatureSetDefinition(jsonText: Self.definitionText)
        let bytes = try sampleState().serialized()
        var generator = SplitMix(seed: 7)
        var rejected = 0
        for _ in 0..<3_000 {
            var corrupt = bytes
            for _ in 0..<(1 + Int(generator.next() % 3)) {
                let position = Int(generator.next() % UInt64(corrupt.count))
                corrupt[position] ^= UInt8(truncatingIfNeeded: generator.next() | 1)
            }
            do {
                let state = try EntityState(serialized: corrupt, featureSet: definition)
                // Whatever decodes must still be usable by the engine.
                _ = FeatureSetAggregator(definition).read(state, at: 1_767_225_600_000)
            } catch {
                rejected += 1
            }
        }
        #expect(rejected > 1_000)
    }

    @Test func zeroCountBucketIsRejected() throws {
        let state = try sampleState()
        var bytes = state.serialized()
        // Header 5 + hash 8 + feature count 4 + one absent feature per feature (4 bytes: nothing ingested with
        // features) + aggregation count 4 + bucket count 4 + bucket index 8 → the first bucket's count.
        let countOffset = 5 + 8 + 4 + 4 + 4 + 4 + 8
        for index in 0..<8 { bytes[countOffset + index] = 0 }
        #expect(throws: EntityStateError.self) { try EntityState(serialized: bytes) }
    }

    private func sampleState() throws -> EntityState {
        let definition = try FeatureSetDefinition(jsonText: Self.definitionText)
        let aggregator = FeatureSetAggregator(definition)
        var state = aggregator.makeState()
        var output: [Double?] = []
        for event in Self.events(count: 40) {
            aggregator.ingest(
                at: event.time, aggregationValues: [event.value, event.value], into: &state, output: &output)
        }
        return state
    }

    private func bitPattern(_ value: Double?) -> UInt64? { value?.bitPattern }
}
