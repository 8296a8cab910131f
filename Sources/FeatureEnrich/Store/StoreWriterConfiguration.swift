/// Named limits of the ``StoreWriter``; every field has a documented default.
package struct StoreWriterConfiguration: Sendable {
    /// How the writer's connection opens the file (read-write-create, `synchronous=NORMAL`, 5 s busy
    /// timeout by default). Its `accessMode` is ignored: the writer always opens read-write-create.
    package var connection: SQLiteConfiguration
    /// The schema migrations applied at open; default ``StoreSchema/migrations``.
    package var migrations: [SchemaMigration]
    /// Most work items committed in one transaction; default 1024.
    package var maxBatchItems: Int
    /// When a drained batch is smaller than ``maxBatchItems``, how long the writer sleeps once to
    /// let more items arrive before it begins the transaction; 0 (the default) never waits.
    ///
    /// Measured with `StoreBench` (2 submitting threads, 100k rows): waiting only hurt. With 1 item
    /// in flight per thread, 100 µs took ~31k rows/s down to ~8k (p50 latency 30 -> 195 µs: the
    /// sleep overshoots); with 8 in flight, ~48k -> ~37k. Batches already grow on their own while
    /// the previous transaction runs (avg 330 items at 256 in flight per thread).
    package var maxBatchDelayMicroseconds: Int
    /// Most items waiting for the writer; past it `submit` fails at once with
    /// ``StoreWriterError/queueFull(limit:)`` (overload shows as errors, not as memory). Default 65,536.
    package var maxQueuedItems: Int
    /// A PASSIVE WAL checkpoint runs after this many commits (0: never by count); default 4,096. Without a
    /// background checkpointer it runs inline, with one it is a request to that thread (small batches under
    /// light load are many commits: every 256 checkpointed each few hundred requests; the page limits below
    /// bound the WAL).
    package var checkpointEveryCommits: Int
    /// WAL length, in pages, at which the WAL is copied back completely so it can restart from its beginning
    /// (<https://sqlite.org/wal.html>, "Avoiding Excessively Large WAL Files"). Default 8,192 (32 MiB of 4 KiB
    /// pages), not SQLite's 1,000: each checkpoint writes every page changed since the last one back and fsyncs, so
    /// a page changed by many commits (the event log's tail, the statistics, index interiors) is written back once
    /// per checkpoint. Without a background checkpointer this is SQLite's `wal_autocheckpoint`
    /// (<https://sqlite.org/pragma.html#pragma_wal_autocheckpoint>). With one, reaching it asks that thread for a
    /// run and, once that run is done, the writer checkpoints inline: only the frames committed during the run
    /// are left to copy and fsync, so the commits waiting behind it wait ~1 ms instead of the 10-20 ms a full
    /// write-back and fsync of the WAL took (the fraud graph's open-loop p99, docs/BENCHMARKS.md).
    package var walAutocheckpointPages: Int
    /// Every this many new WAL pages the writer asks a background checkpointer (its own thread and connection,
    /// ``StoreCheckpointer``) to copy them back, so the write-back and its fsync do not stall commits (open-loop
    /// p99 of the fraud graph, docs/BENCHMARKS.md). Default 2,048; 0 turns the background checkpointer off
    /// (SQLite's auto-checkpoint only).
    package var backgroundCheckpointPages: Int
    /// With a background checkpointer: the WAL length, in pages, at which the writer checkpoints inline at once,
    /// without waiting for the background run (a checkpointer that cannot keep up must not let the WAL grow
    /// without bound). Default 32,768 (128 MiB); at least ``walAutocheckpointPages``.
    package var walHardLimitPages: Int

    /// Run work the items of a batch defer to its end (``StoreWriterBatchObserver``), in this order; default none.
    /// The online store sets its ``DeferredStatistics`` and ``PendingStates`` here.
    package var batchObservers: [any StoreWriterBatchObserver]

    /// A configuration; every argument has the default documented on its property.
    package init(
        connection: SQLiteConfiguration = SQLiteConfiguration(),
        migrations: [SchemaMigration] = StoreSchema.migrations,
        maxBatchItems: Int = 1024,
        maxBatchDelayMicroseconds: Int = 0,
        maxQueuedItems: Int = 65_536,
        checkpointEveryCommits: Int = 4_096,
        walAutocheckpointPages: Int = 8_192,
        backgroundCheckpointPages: Int = 2_048,
        walHardLimitPages: Int = 32_768,
        batchObservers: [any StoreWriterBatchObserver] = []
    ) {
        self.connection = connection
        self.migrations = migrations
        self.maxBatchItems = max(1, maxBatchItems)
        self.maxBatchDelayMicroseconds = max(0, maxBatchDelayMicroseconds)
        self.maxQueuedItems = max(1, maxQueuedItems)
        self.checkpointEveryCommits = max(0, checkpointEveryCommits)
        self.walAutocheckpointPages = max(0, walAutocheckpointPages)
        self.backgroundCheckpointPages = max(0, backgroundCheckpointPages)
        self.walHardLimitPages = max(self.walAutocheckpointPages, walHardLimitPages)
        self.batchObservers = batchObservers
    }
}
