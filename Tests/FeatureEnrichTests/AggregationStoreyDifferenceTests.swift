import FeatureEnrich
import Testing

/// The eight documented, deliberate differences from storey 1.14.1 (`shared/oracle/README.md`, "Where this
/// differs from storey"), each with the README's hand-checkable numbers.
struct AggregationStoreyDifferenceTests {
    @Test func firstIsTheEarliestEventOfTheWindowNotTheFirstOfTheNewestBucket() throws {
        var harness = try AggregationHarness.standard()
        let rows = try harness.ingest(Array(AggregationHarness.quirkEvents.prefix(3)))
        // Row 3 (01:00): 1@00:05 is outside the 1h window [00:10, 01:10), 2@00:55 is inside; storey says 4 and 4.
        #expect(cell(rows[2], "amount_first_24h") == 1)
        #expect(cell(rows[2], "amount_first_1h") == 2)
    }

    @Test func lastKeepsTheFirstArrivalOnEqualTimestamps() throws {
        var harness = try AggregationHarness.standard()
        let rows = try harness.ingest([
            ("a", "2026-01-01T00:05:00Z", 1), ("a", "2026-01-01T01:05:00Z", 2), ("a", "2026-01-01T01:05:00Z", 3),
            ("b", "2026-01-01T00:05:00Z", 1), ("b", "2026-01-01T00:25:00Z", 2), ("b", "2026-01-01T00:25:00Z", 3),
        ])
        #expect(cell(rows[2], "amount_last_1h") == 2)  // storey: 3 after its recomputation
        #expect(cell(rows[5], "amount_last_1h") == 2)
        #expect(cell(rows[2], "amount_first_1h") == 2)
    }

    @Test func lateEventIsCountedInItsOwnAndLaterRows() throws {
        var harness = try AggregationHarness.standard()
        let rows = try harness.ingest(Array(AggregationHarness.quirkEvents.prefix(5)))
        // Row 5 (01:01): 2 + 4 + 8 + 16 = 30 over 4 events (storey: 3 and 22, then drifting totals).
        #expect(cell(rows[4], "amount_count_1h") == 4)
        #expect(cell(rows[4], "amount_sum_1h") == 30)
    }

    @Test func stddevNeverFailsWhereStoreyCrashesOnNegativeVariance() throws {
        var harness = try AggregationHarness.standard()
        let rows = try harness.ingest([
            ("c0008", "2026-01-01T00:46:06.148+00:00", 10.88), ("c0008", "2026-01-01T02:09:10.233+00:00", 70.07),
            ("c0008", "2026-01-01T01:24:09.761+00:00", 7.53), ("c0008", "2026-01-01T02:14:28.803+00:00", 99.77),
            ("c0008", "2026-01-01T02:24:11.242+00:00", 41.16),
        ])
        // 70.07, 99.77, 41.16: mean 70.3333…, Σ(x − mean)² = 1717.670066…, / 2 = 858.835033…
        let stdvar = try #require(cell(rows[4], "amount_stdvar_1h"))
        #expect(cell(rows[4], "amount_count_1h") == 3)
        #expect(abs((cell(rows[4], "amount_sum_1h") ?? 0) - 211) < 1e-9)
        #expect(abs(stdvar - 858.8350333333333) < 1e-9)
        #expect(abs((cell(rows[4], "amount_stddev_1h") ?? 0) - stdvar.squareRoot()) < 1e-12)
    }

    @Test func lateRowTakesEveryOperationFromTheSameWindowState() throws {
        var harness = try AggregationHarness.standard()
        let rows = try harness.ingest(Array(AggregationHarness.quirkEvents.prefix(4)))
        // Row 4 (8@00:30): the 1h window [23:40, 00:40) holds 1 and 8: avg 4.5 (storey mixes states: 3.0).
        #expect(cell(rows[3], "amount_count_1h") == 2)
        #expect(cell(rows[3], "amount_sum_1h") == 9)
        #expect(cell(rows[3], "amount_avg_1h") == 4.5)
        #expect(cell(rows[3], "amount_stdvar_1h") == 24.5)
    }

    @Test func tooLateRowHasNullInEveryColumnOfTheAggregation() throws {
        var harness = try AggregationHarness.standard()
        let rows = try harness.ingest(AggregationHarness.quirkEvents)
        // Row 7 (64@2025-12-30) is more than 24 h behind the newest bucket: null everywhere, not aggregated.
        #expect(rows[6].count == 20)
        #expect(rows[6].values.allSatisfy { $0 == nil })
        #expect(cell(rows[7], "amount_count_24h") == 7)
        #expect(cell(rows[7], "amount_sum_24h") == 191)  // 1 + 2 + 4 + 8 + 16 + 32 + 128
    }

    @Test func slidingWindowsKeepEventsOlderThanTheKeysFirstEvent() throws {
        var harness = try AggregationHarness.standard()
        let rows = try harness.ingest([
            ("c", "2026-01-01T01:00:00Z", 1), ("c", "2026-01-01T00:50:00Z", 2), ("c", "2026-01-01T01:05:00Z", 4),
            ("c", "2025-12-31T23:30:00Z", 8),
        ])
        // storey drops 2 and 8 as too late; they are 10 min and 1 h 35 min behind, well inside 24 h.
        #expect(cell(rows[1], "amount_count_1h") == 1)
        #expect(cell(rows[2], "amount_count_1h") == 3)
        #expect(cell(rows[2], "amount_sum_1h") == 7)
        #expect(cell(rows[3], "amount_count_24h") == 1)
        #expect(cell(rows[3], "amount_sum_24h") == 8)
    }

    @Test func fixedLateRowCountsTheWholeCalendarWindow() throws {
        var harness = try AggregationHarness.standard(period: nil)
        let rows = try harness.ingest(Array(AggregationHarness.quirkEvents.prefix(4)))
        // Row 4 (8@00:30): the day holds 1, 2, 4 (01:00 arrived earlier) and 8; the 00:00 hour holds 1, 2, 8.
        #expect(cell(rows[3], "amount_count_24h") == 4)
        #expect(cell(rows[3], "amount_sum_24h") == 15)
        #expect(cell(rows[3], "amount_count_1h") == 3)
        #expect(cell(rows[3], "amount_sum_1h") == 11)
    }

    @Test func fixedWindowsOfSeveralUnitsAreCalendarWindows() throws {
        var harness = try AggregationHarness.standard(windows: ["30m", "2h"], period: nil)
        let rows = try harness.ingest([
            ("a", "2026-01-01T00:10:00Z", 1), ("a", "2026-01-01T00:29:59.999Z", 2), ("a", "2026-01-01T00:30:00Z", 4),
            ("a", "2026-01-01T01:05:00Z", 8), ("a", "2026-01-01T02:00:00Z", 16),
        ])
        #expect(cell(rows[1], "amount_count_30m") == 2)
        #expect(cell(rows[2], "amount_count_30m") == 1)  // 00:30:00.000 opens a new half hour
        #expect(cell(rows[2], "amount_count_2h") == 3)
        #expect(cell(rows[3], "amount_sum_30m") == 8)
        #expect(cell(rows[3], "amount_sum_2h") == 15)
        #expect(cell(rows[4], "amount_count_2h") == 1)  // 02:00 opens a new 2 h window
        #expect(cell(rows[4], "amount_first_2h") == 16)
    }
}
