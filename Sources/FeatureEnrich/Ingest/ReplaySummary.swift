/// What ``AggregationReplay/run(featureSet:csvPath:skipBadRows:emit:)`` did.
public struct ReplaySummary: Sendable, Equatable {
    /// Data rows read (header excluded).
    public var rowsRead = 0
    /// Lines emitted (one per good row).
    public var rowsEmitted = 0
    /// Bad rows skipped (only with `skipBadRows`).
    public var rowsSkipped = 0
    /// Rows too late for at least one aggregation (emitted with `null` columns).
    public var tooLateRows = 0
    /// Distinct entity keys seen.
    public var keys = 0
    /// The errors of the first skipped rows (at most ``maximumRecordedErrors``).
    public var skippedErrors: [IngestError] = []

    /// How many skipped-row errors are kept in ``skippedErrors``.
    public static let maximumRecordedErrors = 20

    /// An empty summary.
    public init() {}
}
