import FeatureEnrich
import Testing

/// The rate limit of `warn`-policy log lines, on a manual clock.
struct ValidationWarningScheduleTests {
    private static func tally(_ count: Int) -> ValidationTally {
        var tally = ValidationTally()
        for _ in 0..<count { tally.add(feature: "amount", .min, policy: .warn) }
        return tally
    }

    @Test func logsTheFirstViolationAtOnceThenAtMostOncePerIntervalWithEverythingSince() {
        var schedule = ValidationWarningSchedule()
        #expect(schedule.record(Self.tally(1), featureSet: "s", now: 1_000, interval: 60_000)?.total == 1)
        #expect(schedule.record(Self.tally(2), featureSet: "s", now: 30_000, interval: 60_000) == nil)
        #expect(schedule.record(Self.tally(3), featureSet: "s", now: 60_999, interval: 60_000) == nil)
        let due = schedule.record(Self.tally(4), featureSet: "s", now: 61_000, interval: 60_000)
        #expect(due?.total == 9)
        #expect(due?.summary == "amount.min=9")
        #expect(schedule.record(Self.tally(1), featureSet: "s", now: 61_001, interval: 60_000) == nil)
    }

    @Test func eachFeatureSetHasItsOwnInterval() {
        var schedule = ValidationWarningSchedule()
        #expect(schedule.record(Self.tally(1), featureSet: "a", now: 0, interval: 60_000) != nil)
        #expect(schedule.record(Self.tally(1), featureSet: "b", now: 1, interval: 60_000) != nil)
        #expect(schedule.record(Self.tally(1), featureSet: "a", now: 2, interval: 60_000) == nil)
    }
}
