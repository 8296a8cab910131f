import ServingGraph
import Synchronization

/// Rate-limits the log lines of the `warn` policy: violations are accumulated per feature set and logged at most
/// once per ``interval`` (the first one at once), so a stream of bad events costs one line a minute, not one
/// line per event. Thread-safe.
final class ValidationWarningLog: Sendable {
    /// Shortest time between two lines of one feature set, in milliseconds.
    let interval: Int64
    private let state = Mutex(ValidationWarningSchedule())

    /// A log writing at most one line per feature set every `interval` milliseconds.
    init(interval: Int64) {
        self.interval = interval
    }

    /// Records `tally` (violations written under `warn`) and logs the accumulated counts when due.
    func record(_ tally: ValidationTally, featureSet: String, now: Int64) {
        guard !tally.isEmpty else { return }
        let due = state.withLock { $0.record(tally, featureSet: featureSet, now: now, interval: interval) }
        guard let due else { return }
        FeatureEnrich.logger.warning(
            "feature values failed validators and were written (policy warn)",
            [("feature_set", featureSet), ("violations", String(due.total)), ("by_feature", due.summary)])
    }
}
