/// Named limits of a ``SQLiteOnlineStore``; every field has a documented default.
public struct OnlineStoreConfiguration: Sendable {
    /// Lock shards of the in-memory state (entities hash to one); default 64.
    public var shardCount: Int
    /// Entity states kept in memory over all feature sets; past it idle keys (no write in flight) are
    /// evicted, least recently used first, and reloaded from SQLite on demand. Default 1,000,000.
    public var maxKeysInMemory: Int
    /// Idle read-only connections kept for loading evicted states (more are opened while busy); default 8.
    public var maxIdleReaders: Int
    /// How long an event id is remembered for exactly-once ingestion; default 24 h.
    public var eventIDHorizonMilliseconds: Int64
    /// Shortest time between two log lines about `warn`-policy validator violations of one feature set;
    /// default 60 s.
    public var validationWarningIntervalMilliseconds: Int64
    /// Entity states are written behind the event log (``PendingStates``): the latest committed state of each
    /// updated entity waits in the writer and all are written, coalesced, at most this long after the previous
    /// flush (also when the writer is idle, and at close). Until then the `entity_state` row plus the key's later
    /// `event_log` rows give the state (every disk read replays them). Default 10,000 ms: a flush costs an upsert
    /// per distinct key, so a longer interval coalesces more updates of a key into one write; a store opened
    /// after a crash replays at most about this much of the log.
    public var stateFlushIntervalMilliseconds: Int
    /// More states than this waiting flush them at the next commit, whatever the interval; default 200,000.
    public var stateFlushMaxPending: Int
    /// The event log's key index is written behind the log (``PendingLogIndex``), in rounds at most this long
    /// apart (also when the writer is idle, and at close); until then readers scan the log's rows above the
    /// index's mark, so this bounds that scan. Default 1,000 ms.
    public var logIndexIntervalMilliseconds: Int
    /// More unindexed events than this start a round at the next commit, whatever the interval; default 20,000.
    public var logIndexMaxPending: Int
    /// Each round of the key index is a run appended to `event_log_keys_recent`; once the runs hold more rows than
    /// this (or number more than 64), a merge moves them into `event_log_keys` over the following commits. Larger
    /// merges write each leaf of the main index more rarely; every run costs a per-key read one more seek.
    /// Default 1,000,000.
    public var logIndexMergeRows: Int
    /// Limits of the store-writer thread (batch size, queue bound, checkpoint cadence).
    package var writer: StoreWriterConfiguration

    /// A configuration; every argument has the default documented on its property.
    public init(
        shardCount: Int = 64, maxKeysInMemory: Int = 1_000_000, maxIdleReaders: Int = 8,
        eventIDHorizonMilliseconds: Int64 = 86_400_000, validationWarningIntervalMilliseconds: Int64 = 60_000,
        stateFlushIntervalMilliseconds: Int = 10_000, stateFlushMaxPending: Int = 200_000,
        logIndexIntervalMilliseconds: Int = 1_000, logIndexMaxPending: Int = 20_000,
        logIndexMergeRows: Int = 1_000_000
    ) {
        self.logIndexMergeRows = max(0, logIndexMergeRows)
        self.stateFlushIntervalMilliseconds = max(0, stateFlushIntervalMilliseconds)
        self.stateFlushMaxPending = max(0, stateFlushMaxPending)
        self.logIndexIntervalMilliseconds = max(0, logIndexIntervalMilliseconds)
        self.logIndexMaxPending = max(0, logIndexMaxPending)
        self.validationWarningIntervalMilliseconds = max(0, validationWarningIntervalMilliseconds)
        self.eventIDHorizonMilliseconds = max(0, eventIDHorizonMilliseconds)
        self.shardCount = max(1, shardCount)
        self.maxKeysInMemory = max(1, maxKeysInMemory)
        self.maxIdleReaders = max(0, maxIdleReaders)
        self.writer = StoreWriterConfiguration()
    }

    /// Keys one shard may hold before it evicts.
    var maxKeysPerShard: Int { max(1, maxKeysInMemory / shardCount) }
}
