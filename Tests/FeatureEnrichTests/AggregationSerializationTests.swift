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
        let state = try twoEventsInOneBucket()
        var bytes = state.serialized()
        // Header 5 + hash 8 + feature count 4 + one absent feature per feature (4 bytes: nothing ingested with
        // features) + aggregation count 4 + bucket count 4 + tag 1 (0: the long form) + bucket index 8 → the
        // first bucket's count.
        let countOffset = 5 + 8 + 4 + 4 + 4 + 4 + 1 + 8
        #expect(bytes[countOffset - 9] == 0)
        for index in 0..<8 { bytes[countOffset + index] = 0 }
        #expect(throws: EntityStateError.self) { try EntityState(serialized: bytes) }
    }

    @Test func unknownBucketTagIsRejected() throws {
        var bytes = try twoEventsInOneBucket().serialized()
        bytes[5 + 8 + 4 + 4 + 4 + 4] = 7
        #expect(throws: EntityStateError.invalidField(offset: 29, reason: "unknown bucket tag 7")) {
            try EntityState(serialized: bytes)
        }
    }

    @Test func bucketsOfOneEventTakeSixteenBytesAfterTheirIndex() throws {
        let definition = try FeatureSetDefinition(jsonText: Self.definitionText)
        let aggregator = FeatureSetAggregator(definition)
        var state = aggregator.makeState()
        var output: [Double?] = []
        // Three events in three 10-minute buckets (one 30-minute bucket of the fixed aggregation).
        for (offset, value) in [(0, 1.5), (700_000, -2.25), (1_400_000, 1e10)] {
            aggregator.ingest(
                at: 1_767_225_600_000 + Int64(offset), aggregationValues: [value, value], into: &state,
                output: &output)
        }
        let bytes = state.serialized()
        // Header 5 + hash 8 + features 4 + 4 + aggregations 4; then 3 short buckets and 1 long bucket.
        #expect(bytes.count == 25 + (4 + 3 * (1 + 8 + 16)) + (4 + 1 + 8 + 80))
        #expect(try EntityState(serialized: bytes, featureSet: definition) == state)
    }

    @Test func versionOneStatesAreStillRead() throws {
        let definition = try FeatureSetDefinition(jsonText: Self.definitionText)
        let state = try sampleState()
        let decoded = try EntityState(serialized: Self.versionOne(state), featureSet: definition)
        #expect(decoded == state)
        #expect(decoded.serialized() == state.serialized())
    }

    /// The version-1 bytes of a state with no plain feature values: every bucket in the 88-byte form.
    private static func versionOne(_ state: EntityState) -> [UInt8] {
        var bytes = Array("FEAS".utf8) + [1]
        func append(_ value: UInt64, width: Int) {
            for shift in stride(from: 0, to: width * 8, by: 8) {
                bytes.append(UInt8(truncatingIfNeeded: value >> shift))
            }
        }
        append(state.definitionHash, width: 8)
        append(UInt64(state.latestFeatures.count), width: 4)
        bytes += Array(repeating: 0, count: state.latestFeatures.count)
        append(UInt64(state.aggregations.count), width: 4)
        for aggregation in state.aggregations {
            append(UInt64(aggregation.buckets.count), width: 4)
            for bucket in aggregation.buckets {
                let statistics = bucket.statistics
                append(UInt64(bitPattern: bucket.index), width: 8)
                append(UInt64(bitPattern: statistics.count), width: 8)
                for value in [
                    statistics.sum, statistics.sumOfSquares, statistics.squaredDeviations, statistics.minimum,
                    statistics.maximum, statistics.firstValue,
                ] {
                    append(value.bitPattern, width: 8)
                }
                append(UInt64(bitPattern: statistics.firstTime), width: 8)
                append(statistics.lastValue.bitPattern, width: 8)
                append(UInt64(bitPattern: statistics.lastTime), width: 8)
            }
        }
        return bytes
    }

    /// A state whose first bucket (of each aggregation) holds two events: the long form.
    private func twoEventsInOneBucket() throws -> EntityState {
        let definition = try FeatureSetDefinition(jsonText: Self.definitionText)
        let aggregator = FeatureSetAggregator(definition)
        var state = aggregator.makeState()
        var output: [Double?] = []
        for (offset, value) in [(0, 4.0), (1_000, 6.0)] {
            aggregator.ingest(
                at: 1_767_225_600_000 + Int64(offset), aggregationValues: [value, value], into: &state,
                output: &output)
        }
        return state
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
