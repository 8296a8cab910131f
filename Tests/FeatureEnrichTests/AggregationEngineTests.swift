import FeatureEnrich
import ServingGraph
import Testing

/// The engine beyond the oracle files: reads as of a time, empty cells, plain features, numerics.
struct AggregationEngineTests {
    @Test func readAgesWindowsToTheReadTime() throws {
        var harness = try AggregationHarness.standard()
        _ = try harness.ingest([("a", "2026-01-01T00:05:00Z", 1), ("a", "2026-01-01T00:55:00Z", 2)])
        let state = try #require(harness.states["a"])
        let twoHoursLater = try TimestampParser.epochMilliseconds("2026-01-01T02:55:00Z")
        let row = harness.aggregator.read(state, at: twoHoursLater)
        #expect(cell(row, "amount_count_1h") == 0)
        #expect(cell(row, "amount_sum_1h") == 0)
        #expect(cell(row, "amount_avg_1h")?.isNaN == true)
        #expect(cell(row, "amount_count_24h") == 2)
        #expect(cell(row, "amount_last_24h") == 2)
        // The 24 h window of 01-02 00:45 is [01-01 00:50, 01-02 00:50): 00:55 is in, 00:05 out.
        let nextDay = try TimestampParser.epochMilliseconds("2026-01-02T00:45:00Z")
        #expect(cell(harness.aggregator.read(state, at: nextDay), "amount_count_24h") == 1)
    }

    @Test func readDoesNotChangeTheState() throws {
        var harness = try AggregationHarness.standard()
        _ = try harness.ingest([("a", "2026-01-01T00:05:00Z", 1)])
        let before = try #require(harness.states["a"])
        let far = try TimestampParser.epochMilliseconds("2026-03-01T00:00:00Z")
        _ = harness.aggregator.read(before, at: far)
        #expect(harness.states["a"] == before)
        let row = try harness.ingest("a", "2026-01-01T00:06:00Z", 2)
        #expect(cell(row, "amount_count_1h") == 2)
    }

    @Test func readBeforeTheRetentionHorizonIsNull() throws {
        var harness = try AggregationHarness.standard()
        _ = try harness.ingest([("a", "2026-01-02T00:05:00Z", 1)])
        let state = try #require(harness.states["a"])
        let row = harness.aggregator.read(state, at: try TimestampParser.epochMilliseconds("2026-01-01T00:00:00Z"))
        #expect(row.values.allSatisfy { $0 == nil })
    }

    @Test func emptyCellIsNotAggregatedButItsRowIsEmittedAsOfItsTime() throws {
        var harness = try AggregationHarness.standard()
        let rows = try harness.ingest([
            ("a", "2026-01-01T00:05:00Z", nil), ("a", "2026-01-01T00:10:00Z", 3), ("a", "2026-01-01T03:00:00Z", nil),
            ("a", "2026-01-01T00:20:00Z", 5),
        ])
        #expect(cell(rows[0], "amount_count_24h") == 0)
        #expect(cell(rows[0], "amount_min_24h")?.isNaN == true)
        #expect(cell(rows[2], "amount_count_1h") == 0)
        #expect(cell(rows[2], "amount_count_24h") == 1)
        // The empty 03:00 row did not move "newest": 00:20 is counted in its 1h window with 00:10.
        #expect(cell(rows[3], "amount_count_1h") == 2)
    }

    @Test func emptyCellTooLateIsNull() throws {
        var harness = try AggregationHarness.standard()
        let rows = try harness.ingest([("a", "2026-01-03T00:00:00Z", 1), ("a", "2026-01-01T00:00:00Z", nil)])
        #expect(rows[1].values.allSatisfy { $0 == nil })
    }

    @Test func keysAreIndependent() throws {
        var harness = try AggregationHarness.standard()
        let rows = try harness.ingest([("a", "2026-01-05T00:00:00Z", 1), ("b", "2026-01-01T00:00:00Z", 2)])
        #expect(cell(rows[1], "amount_count_24h") == 1)
    }

    @Test func timestampsBeforeNineteenSeventyUseFloorBuckets() throws {
        var harness = try AggregationHarness.standard(period: nil)
        let rows = try harness.ingest([
            ("a", "1969-12-31T23:10:00Z", 1), ("a", "1969-12-31T23:50:00Z", 2), ("a", "1970-01-01T00:00:00Z", 4),
        ])
        #expect(cell(rows[1], "amount_count_1h") == 2)
        #expect(cell(rows[2], "amount_count_1h") == 1)  // a new hour and a new day begin at the epoch
        #expect(cell(rows[2], "amount_count_24h") == 1)
    }

    @Test func varianceStaysExactForLargeOffsetsAcrossManyBuckets() throws {
        var harness = try AggregationHarness.standard(windows: ["1h", "24h"], period: "10m")
        var row: [String: Double?] = [:]
        // 1e9 + {1, 2, 3, …}: naive Σx² − (Σx)²/n loses every digit; Welford + Chan keeps them.
        for minute in 0..<600 {
            let time = "2026-01-01T\(pad(minute / 60)):\(pad(minute % 60)):00Z"
            row = try harness.ingest("a", time, 1e9 + Double(minute % 3 + 1))
        }
        // The last 24 h window holds 200 each of 1, 2, 3: sample variance 400/599·... = (n/(n−1))·(2/3).
        let expected = (600.0 / 599.0) * (2.0 / 3.0)
        #expect(abs((cell(row, "amount_stdvar_24h") ?? 0) - expected) < 1e-6)
        #expect(abs((cell(row, "amount_avg_24h") ?? 0) - (1e9 + 2)) < 1e-6)
    }

    @Test func plainFeatureKeepsTheLatestValueByEventTime() throws {
        let definition = try FeatureSetDefinition(
            jsonText: """
                {"name": "p", "entities": [{"name": "key"}], "timestamp_key": "ts",
                 "features": [{"name": "score", "type": "double"}, {"name": "label", "type": "string"}]}
                """)
        let aggregator = FeatureSetAggregator(definition)
        var state = aggregator.makeState()
        var output: [Double?] = []
        func ingest(_ time: Int64, _ score: Value?, _ label: Value?) {
            aggregator.ingest(
                at: time, aggregationValues: [], featureValues: [score, label], into: &state, output: &output)
        }
        ingest(100, .double(1), .string("first"))
        ingest(50, .double(2), .string("older"))  // an older event never overwrites
        #expect(state.latestFeatures[0]?.value == .double(1))
        ingest(100, .double(3), nil)  // equal time: the later arrival wins; nil leaves the value alone
        #expect(state.latestFeatures[0] == LatestFeatureValue(value: .double(3), timestampMilliseconds: 100))
        #expect(state.latestFeatures[1]?.value == .string("first"))
        ingest(200, nil, .string("newest"))
        #expect(state.latestFeatures[1] == LatestFeatureValue(value: .string("newest"), timestampMilliseconds: 200))
        #expect(output.isEmpty)
    }

    @Test func outputColumnsAreSortedByName() throws {
        let harness = try AggregationHarness.standard()
        #expect(harness.aggregator.outputColumns == harness.aggregator.outputColumns.sorted())
        #expect(harness.aggregator.outputColumns.count == 20)
        #expect(harness.aggregator.outputColumns.first == "amount_avg_1h")
    }

    private func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

extension AggregationEngineTests {
    @Test func nonFiniteValuesAreTreatedAsEmptyCells() throws {
        var harness = try AggregationHarness.standard()
        let rows = try harness.ingest([
            ("a", "2026-01-01T00:05:00Z", 1), ("a", "2026-01-01T00:06:00Z", .nan),
            ("a", "2026-01-01T00:07:00Z", .infinity),
        ])
        #expect(cell(rows[2], "amount_count_1h") == 1)
        #expect(cell(rows[2], "amount_sum_1h") == 1)
        let state = try #require(harness.states["a"])
        #expect(try EntityState(serialized: state.serialized()) == state)
    }
}
