/// Which stores an ingest writes: Feast's push modes (`"to"` of `POST /push`, reference/feast.md §4), spelled
/// as Feast's feature server accepts them.
///
/// Every write path but Feast's push writes both. An online-only write is missing from `event_log`, so a
/// training set (and a `--rebuild`) does not see it; an offline-only write is in `event_log` only, so the online
/// state and statistics ignore it until a `--rebuild` replays the log.
public enum IngestTarget: String, Sendable, CaseIterable {
    /// Online state, aggregates and statistics; the offline event log is not appended.
    case online
    /// The offline event log only; online state, aggregates and statistics are untouched.
    case offline
    /// Both, in one commit.
    case onlineAndOffline = "online_and_offline"
}
