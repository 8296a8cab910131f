import Testing

@testable import OpenLoop

struct LatencyHistogramTests {
    @Test(arguments: [UInt64(0), 1, 127, 128, 129, 255, 256, 1000, 65_432, 1_000_000, 123_456_789, 1 << 39])
    func bucketOfAValueCoversItWithinOneSixtyFourthOfItsSize(value: UInt64) {
        let index = LatencyHistogram.bucketIndex(of: value)
        let highest = LatencyHistogram.highestValue(inBucket: index)
        #expect(highest >= value)
        #expect(Double(highest - value) <= Double(value) / 64)
        if index > 0 { #expect(LatencyHistogram.highestValue(inBucket: index - 1) < value) }
    }

    @Test func percentilesOfUniformValuesStayWithinTwoPercent() {
        var histogram = LatencyHistogram()
        for microseconds in UInt64(1)...100_000 { histogram.record(microseconds * 1000) }
        for percentile in [50.0, 90, 99, 99.9] {
            let expected = percentile / 100 * 100_000 * 1000
            let measured = Double(histogram.value(atPercentile: percentile))
            #expect(abs(measured - expected) / expected < 0.02, "p\(percentile): \(measured) vs \(expected)")
        }
        #expect(histogram.totalCount == 100_000)
    }

    @Test func keepsExactMinimumMaximumAndMean() {
        var histogram = LatencyHistogram()
        for value: UInt64 in [1_000, 3_000, 123_457] { histogram.record(value) }
        #expect(histogram.minimum == 1_000)
        #expect(histogram.maximum == 123_457)
        #expect(histogram.value(atPercentile: 100) == 123_457)
        #expect(histogram.mean == Double(1_000 + 3_000 + 123_457) / 3)
    }

    @Test func reportsOneOutlierOnlyAboveItsRank() {
        var histogram = LatencyHistogram()
        for _ in 0..<999 { histogram.record(50_000) }
        histogram.record(9_000_000)
        #expect(histogram.value(atPercentile: 99.9) <= 50_000 + 50_000 / 64)
        #expect(histogram.value(atPercentile: 99.95) == 9_000_000)
    }

    @Test func emptyHistogramReportsZero() {
        let histogram = LatencyHistogram()
        #expect(histogram.value(atPercentile: 99) == 0)
        #expect(histogram.mean == 0)
    }

    @Test func mergeAddsTheOtherHistogramsValues() {
        var first = LatencyHistogram()
        var second = LatencyHistogram()
        first.record(10)
        second.record(5_000)
        second.record(7_000)
        first.merge(second)
        #expect(first.totalCount == 3)
        #expect(first.minimum == 10)
        #expect(first.maximum == 7_000)
    }

    @Test func clampsValuesBeyondTheTrackableRangeIntoTheTopBucket() {
        var histogram = LatencyHistogram()
        histogram.record(UInt64.max / 2)
        #expect(histogram.totalCount == 1)
        #expect(histogram.value(atPercentile: 50) >= LatencyHistogram.highestTrackableValue)
    }
}
