/// When the `warn` policy writes a log line: violations accumulate per feature set and are due at most once per
/// interval (the first at once). A value type driven by the caller's clock, so it is tested without real time.
package struct ValidationWarningSchedule: Sendable {

    /// Epoch ms of the last line per feature set.
    package var lastLogged: [String: Int64] = [:]
    /// Violations not yet logged, per feature set.
    package var pending: [String: ValidationTally] = [:]

    /// Adds `tally` for `featureSet` at `now`; returns the tally to log when the interval has passed since the
    /// set's last line (then it is reset), nil otherwise.
    package mutating func record(
        _ tally: ValidationTally, featureSet: String, now: Int64, interval: Int64
    ) -> ValidationTally? {
        pending[featureSet, default: ValidationTally()].merge(tally)
        if let last = lastLogged[featureSet], now - last < interval { return nil }
        lastLogged[featureSet] = now
        return pending.removeValue(forKey: featureSet)
    }

    /// An empty schedule.
    package init() {}
}
