public import ServingGraph
import Synchronization

/// The embedded online store: entity states in memory, sharded by key under one lock per shard, persisted to
/// SQLite by the one store-writer thread with group commit (DESIGN.md, "The write path").
///
/// An update of one entity is atomic under its shard lock: load the state (from a read-only connection when it
/// is not in memory), apply the event through the feature set's ``FeatureSetAggregator``, serialise, and submit
/// one writer item, still under the lock, so the writer's order is the memory order. The item appends the event
/// to `event_log` and folds the numeric values into `feature_stats` (once per writer batch,
/// ``DeferredStatistics``), in one commit; the caller's completion runs after that commit. The entity's state
/// is written behind the log (``PendingStates``): coalesced with later ones and flushed every
/// ``OnlineStoreConfiguration/stateFlushIntervalMilliseconds``, while a load from disk replays the key's logged
/// events past its row (a key's first state, and writes that skip the log, upsert their row at once). A failed
/// write evicts the entity once no other write of it is in flight, so it reloads what the disk holds (a later
/// write built on the failed one is refused).
/// Idle entities beyond ``OnlineStoreConfiguration/maxKeysInMemory`` are evicted least recently used first.
///
/// ```swift
/// let store = try SQLiteOnlineStore(path: "features.db", featureSets: [transactions])
/// _ = try store.ingestAndWait([["key": "a", "timestamp": "2026-01-01T00:00:00Z", "amount": 12.5]],
///                             into: "transactions")
/// let row = try store.read(featureSet: "transactions", key: EntityKey(parts: ["a"]), features: nil, at: nil)
/// ```
public final class SQLiteOnlineStore: OnlineStore {
    /// The database file.
    public let path: String
    /// The registered feature sets, in the order given at open.
    public let featureSets: [FeatureSetDefinition]
    let registered: [RegisteredFeatureSet]
    private let positions: [String: Int]
    let writer: StoreWriter
    let shards: [LockedStoreShard]
    let readers: StoreReaderPool
    let configuration: OnlineStoreConfiguration
    /// Entities with a failed write whose later writes must fail too, until they are evicted.
    private let poisoned = Mutex<Set<StoreShard.Key>>([])
    private let poisonedCount = Atomic<Int>(0)
    let processedEvents: ProcessedEvents
    /// The statistics of real-time writes, folded once per writer batch (the writer's batch observer).
    let deferredStatistics: DeferredStatistics
    /// The states written behind the log, on the writer thread.
    let pendingStates: PendingStates
    /// The event log's keys indexed behind it.
    let pendingLogIndex: PendingLogIndex
    let warningLog: ValidationWarningLog

    /// Opens (creating) the store at `path` and registers `featureSets` in `feature_sets`. A stored definition
    /// whose hash differs is refused with ``OnlineStoreError/definitionChanged(name:differences:)`` naming what
    /// changed, unless `rebuild` is true: then every entity state of that set is recomputed from `event_log`
    /// (in ingestion order, through the same aggregator) and the new definition is registered.
    public init(
        path: String, featureSets: [FeatureSetDefinition], rebuild: Bool = false,
        configuration: OnlineStoreConfiguration = OnlineStoreConfiguration()
    ) throws {
        var positions: [String: Int] = [:]
        for (index, definition) in featureSets.enumerated() {
            guard positions.updateValue(index, forKey: definition.name) == nil else {
                throw OnlineStoreError.duplicateFeatureSet(name: definition.name)
            }
        }
        let deferredStatistics = DeferredStatistics()
        let pendingStates = PendingStates(
            featureSets: featureSets.map(\.name),
            flushIntervalMilliseconds: configuration.stateFlushIntervalMilliseconds,
            maxPending: configuration.stateFlushMaxPending)
        let pendingLogIndex = PendingLogIndex(
            featureSets: featureSets.map(\.name),
            flushIntervalMilliseconds: configuration.logIndexIntervalMilliseconds,
            maxPending: configuration.logIndexMaxPending, mergeRows: configuration.logIndexMergeRows)
        var writerConfiguration = configuration.writer
        writerConfiguration.batchObservers = [deferredStatistics, pendingStates, pendingLogIndex]
        let writer = try StoreWriter(path: path, configuration: writerConfiguration)
        let horizon = configuration.eventIDHorizonMilliseconds
        try writer.submitAndWait { connection in
            let now = StoreWriterLoop.nowMilliseconds()
            // The key index complete first (recent runs moved, a crash's tail keyed): a rebuild re-keys and
            // retention prunes `event_log_keys` alone, and nothing below logs an event.
            try StoreStatements.indexLogTail(connection)
            try StoreStatements.pruneProcessedEvents(connection, before: now - horizon)
            for definition in featureSets {
                // A rebuilt set's rows and mark are complete; any other's are brought forward before the prune.
                try Self.register(definition, rebuild: rebuild, connection: connection)
                try Self.replayUnflushed(RegisteredFeatureSet(definition), connection: connection, now: now)
            }
            let maxSeq = try StoreStatements.maxSeq(connection)
            for definition in featureSets {
                try OfflineLogRetention.prune(definition, connection: connection, now: now)
            }
            let remaining = try StoreStatements.maxSeq(connection)
            // The newest rows pruned: their seqs will be taken again by new events, which no state includes yet.
            if remaining < maxSeq { try StoreStatements.clampThroughSeq(connection, to: remaining) }
        }
        self.path = path
        self.featureSets = featureSets
        self.registered = featureSets.map(RegisteredFeatureSet.init)
        self.positions = positions
        self.writer = writer
        self.shards = (0..<configuration.shardCount).map { _ in LockedStoreShard() }
        self.readers = StoreReaderPool(path: path, maxIdle: configuration.maxIdleReaders)
        self.configuration = configuration
        self.processedEvents = ProcessedEvents(horizonMilliseconds: horizon)
        self.deferredStatistics = deferredStatistics
        self.pendingStates = pendingStates
        self.pendingLogIndex = pendingLogIndex
        self.warningLog = ValidationWarningLog(interval: configuration.validationWarningIntervalMilliseconds)
        pendingStates.source = StoreStateSource(
            shards: shards, registered: registered, evicted: pendingStates.evicted)
    }

    /// Commits what is queued, writes every state still behind the event log, checkpoints the WAL and stops the
    /// writer; later ingests fail with ``StoreWriterError/closed``. Also done on release.
    public func close() {
        writer.close()
    }

    /// The definition named `name`, if registered.
    public func featureSet(named name: String) -> FeatureSetDefinition? {
        positions[name].map { featureSets[$0] }
    }

    /// Entity states currently held in memory (all feature sets).
    public var keysInMemory: Int {
        shards.reduce(0) { total, shard in total + shard.withLock { $0.entries.count } }
    }

    // MARK: - Ingest

    public func ingest(
        _ events: [Value], into featureSet: String, eventID: String?,
        completion: @escaping @Sendable (Result<Int, any Error>) -> Void
    ) throws(OnlineStoreError) {
        let position = try self.position(of: featureSet)
        let (decoded, violations) = try decodeAndValidate(events, position: position)
        guard let eventID else {
            return ingest(decoded, position: position, eventID: nil, violations: violations, completion: completion)
        }
        let outcome: ProcessedEvents.Outcome
        do {
            outcome = try processedEvents.begin(eventID, readers: readers)
        } catch {
            return completion(.failure(error))
        }
        switch outcome {
        case .new:
            ingest(decoded, position: position, eventID: eventID, violations: violations) { [processedEvents] result in
                processedEvents.end(eventID)
                completion(result)
            }
        case .seen(let count):
            completion(.success(count))
        }
    }

    /// Applies the decoded events of one request to the feature set at `position` as ONE writer item, so the
    /// request commits or fails as a whole. Every entity's shard is locked (ascending shard order: no
    /// deadlock) while the events are applied in request order and the item is submitted, so the writer's
    /// order is the memory order. With `eventID`, the same commit records it in `processed_events`; without
    /// `appendsToLog` the events are not appended to `event_log` (Feast's `to: online`).
    /// `violations` (of `warn` and `drop_feature`) commit with the events.
    /// With `snapshot`, `underLock` gets every touched entity's state (by encoded key; `.none`: it had none) as of
    /// that moment, before or after the request's events, while the shards are still locked: a read there is
    /// atomic with the update.
    func ingest(
        _ events: [FeatureEvent], position: Int, eventID: String?, appendsToLog: Bool = true,
        violations: ValidationTally = ValidationTally(),
        snapshot: EntityStateSnapshot.Moment? = nil,
        underLock: (SmallOrderedMap<String, EntityState?>) -> Void = { _ in },
        completion: @escaping @Sendable (Result<Int, any Error>) -> Void
    ) {
        guard !events.isEmpty else { return completion(.success(0)) }
        let set = registered[position]
        let name = set.definition.name
        let now = StoreWriterLoop.nowMilliseconds()
        let keys = events.map { StoreShard.Key(featureSet: position, entity: $0.key.encoded) }
        let shardIndices = lockOrder(of: keys)
        for index in shardIndices { shards[index].lock() }
        // Every key's state in memory first (a load may fail, and nothing changes before the writer's room is
        // reserved), then the events applied in place: the memory state is never copied to be changed.
        // A key's value: whether it has no stored state (its first state is written with the request: rows exist
        // for every key with online state, so a disk load tells "no state" from "state behind the log").
        var touched = SmallOrderedMap<StoreShard.Key, Bool>()
        var loaded = SmallOrderedMap<StoreShard.Key, EntityState>()
        var previous = SmallOrderedMap<String, EntityState?>()
        let capturesPrevious = snapshot == .beforeUpdate
        var refusal: (any Error)?
        for key in keys where touched[key] == nil {
            let inMemory = shards[shardIndex(key)].withLockHeld { shard -> Bool in
                // A lookup, not a copy of the entry (which retains every array of its state).
                guard capturesPrevious else { return shard.contains(key) }
                guard let entry = shard.peek(key) else { return false }
                previous[key.entity] = .some(entry.state)
                return true
            }
            if inMemory {
                touched[key] = false
                continue
            }
            do {
                let state = try loadState(key, set)
                if capturesPrevious { previous[key.entity] = .some(state) }
                touched[key] = state == nil
                if let state { loaded[key] = state }
            } catch {
                refusal = error
                break
            }
        }
        if refusal == nil { refusal = writer.reserve() }
        if refusal == nil {
            var statistics = emptyStatistics(count: set.statisticsColumns.count)
            for (key, isNew) in touched where isNew || loaded[key] != nil {
                let entry = StoreShard.Entry(state: loaded[key] ?? set.aggregator.makeState())
                shards[shardIndex(key)].withLockHeld { $0.set(entry, for: key) }
            }
            for (event, key) in zip(events, keys) {
                shards[shardIndex(key)].withLockHeld { shard in
                    shard.modify(key) { entry in
                        set.aggregator.apply(
                            at: event.time, aggregationValues: event.aggregationValues,
                            featureValues: event.featureValues, into: &entry.state)
                    }
                }
                for (index, column) in set.statisticsColumns.enumerated() {
                    RegisteredFeatureSet.observe(
                        column.source, in: event.aggregationValues, event.featureValues, into: &statistics[index])
                }
            }
            // A key's first state, an online-only write and a key a flush asked for upsert their row now;
            // every other state stays behind the log, serialised only when a flush writes it.
            var states: [(key: StoreShard.Key, state: [UInt8]?)] = []
            states.reserveCapacity(touched.count)
            var after = SmallOrderedMap<String, EntityState?>()
            for (key, isNew) in touched {
                shards[shardIndex(key)].withLockHeld { shard in
                    shard.modify(key) { entry in
                        let writesThrough = !appendsToLog || isNew || entry.flushRequested
                        states.append((key, writesThrough ? entry.state.serialized() : nil))
                        entry.pendingWrites += 1
                        entry.flushRequested = false
                        if snapshot == .afterUpdate { after[key.entity] = .some(entry.state) }
                    }
                }
            }
            // Once every touched key has its write in flight (so none of them is evicted).
            for (key, _) in touched {
                shards[shardIndex(key)].withLockHeld { shard in
                    keepStatesBehind(shard.evictIdle(over: configuration.maxKeysPerShard))
                }
            }
            let statisticsRows = zip(set.statisticsColumns, statistics).map { (feature: $0.name, $1) }
            let rows = states
            let touchedKeys = touched.keys
            let count = events.count
            writer.enqueue(
                reserved: { [self] connection in
                    try write(
                        appendsToLog ? events : [], states: rows, statistics: statisticsRows, violations: violations,
                        featureSet: name, position: position, now: now, eventID: eventID, count: count,
                        connection: connection)
                },
                completion: { [self] result in
                    finishWrite(touchedKeys, result: result)
                    completion(result.map { count })
                })
            switch snapshot {
            case .beforeUpdate?:
                underLock(previous)
            case .afterUpdate?:
                underLock(after)
            case nil:
                break
            }
        }
        for index in shardIndices.reversed() { shards[index].unlock() }
        if let refusal { completion(.failure(refusal)) }
    }

    /// The writer-thread body of one request: event-log rows (`events`; none for an online-only write), states,
    /// statistics, violations and the event id, in one savepoint of the group commit. A failure poisons every
    /// touched key. A key's row is left behind the log (``PendingStates``), including the item's events; a
    /// state given with it (a key's first, an item logging nothing, a key a flush asked for) is upserted at once,
    /// including every event logged so far (the key's online state includes all of its logged ones).
    private func write(
        _ events: [FeatureEvent], states: [(key: StoreShard.Key, state: [UInt8]?)],
        statistics: [(feature: String, FeatureStatistics)], violations: ValidationTally, featureSet: String,
        position: Int, now: Int64, eventID: String?, count: Int, connection: SQLiteConnection
    ) throws {
        for (key, _) in states { try checkNotPoisoned(key, featureSet: featureSet) }
        do {
            for event in events {
                try StoreStatements.appendEvent(
                    connection, featureSet: featureSet, key: event.key.encoded, time: event.time, now: now,
                    logged: event.logged)
                pendingLogIndex.stage(
                    featureSet: position, key: event.key.encoded, time: event.time, seq: connection.lastInsertRowID)
            }
            let throughSeq = events.isEmpty ? try StoreStatements.maxSeq(connection) : connection.lastInsertRowID
            for (key, state) in states {
                if let state {
                    try StoreStatements.upsertState(
                        connection, featureSet: featureSet, key: key.entity, state: state, throughSeq: throughSeq,
                        now: now)
                    pendingStates.markWritten(key)
                } else {
                    pendingStates.stage(key, throughSeq: throughSeq)
                }
            }
            if !violations.isEmpty {
                try StoreStatements.mergeViolations(connection, featureSet: featureSet, violations)
            }
            if let eventID {
                try StoreStatements.recordProcessedEvent(connection, eventID: eventID, now: now, count: count)
            }
            // Last, after every statement that could fail: kept only if this item's savepoint is released.
            for (feature, value) in statistics {
                deferredStatistics.stage(featureSet: featureSet, feature: feature, value)
            }
        } catch {
            for (key, _) in states { markPoisoned(key) }
            throw error
        }
    }

    private func finishWrite(_ keys: [StoreShard.Key], result: Result<Void, any Error>) {
        for key in keys {
            shards[shardIndex(key)].withLock { shard in
                if case .failure = result { markPoisoned(key) }
                let inFlight = shard.completeWrite(key)
                keepStatesBehind(shard.evictIdle(over: configuration.maxKeysPerShard))
                guard inFlight == 0, poisonedCount.load(ordering: .acquiring) > 0 else { return }
                let wasPoisoned = poisoned.withLock { $0.remove(key) != nil }
                if wasPoisoned {
                    poisonedCount.subtract(1, ordering: .releasing)
                    shard.evict(key)
                }
            }
        }
    }

    private func markPoisoned(_ key: StoreShard.Key) {
        if poisoned.withLock({ $0.insert(key).inserted }) { poisonedCount.add(1, ordering: .releasing) }
    }

    private func checkNotPoisoned(_ key: StoreShard.Key, featureSet: String) throws {
        guard poisonedCount.load(ordering: .acquiring) > 0, poisoned.withLock({ $0.contains(key) }) else { return }
        throw OnlineStoreError.precedingWriteFailed(featureSet: featureSet, key: key.entity)
    }

    // MARK: - Read

    public func read(
        featureSet: String, key: EntityKey, features: [String]? = nil, at time: Int64? = nil
    ) throws -> ValueObject? {
        let position = try self.position(of: featureSet)
        let set = registered[position]
        if let features {
            for name in features where !set.hasColumn(name) {
                throw OnlineStoreError.unknownFeature(featureSet: featureSet, name: name)
            }
        }
        guard let state = try entityState(position: position, key: key) else { return nil }
        return set.row(state, at: time ?? StoreWriterLoop.nowMilliseconds(), features: features)
    }

    /// The entity's state under its shard lock (loaded from disk and cached when not in memory); nil when never
    /// ingested.
    func entityState(position: Int, key: EntityKey) throws -> EntityState? {
        let storeKey = StoreShard.Key(featureSet: position, entity: key.encoded)
        return try shards[shardIndex(storeKey)].withLock { shard throws -> EntityState? in
            if let entry = shard.entry(storeKey) { return entry.state }
            // The set only on a miss: copying it (retaining each of its fields) costs more than a cached read.
            guard let loaded = try loadState(storeKey, registered[position]) else { return nil }
            shard.set(StoreShard.Entry(state: loaded), for: storeKey)
            keepStatesBehind(shard.evictIdle(over: configuration.maxKeysPerShard))
            return loaded
        }
    }

    // MARK: - Helpers

    func position(of featureSet: String) throws(OnlineStoreError) -> Int {
        guard let position = positions[featureSet] else { throw .unknownFeatureSet(name: featureSet) }
        return position
    }

    func shardIndex(_ key: StoreShard.Key) -> Int {
        Self.shardIndex(key, shardCount: shards.count)
    }

    /// The shard of `key` among `shardCount`.
    static func shardIndex(_ key: StoreShard.Key, shardCount: Int) -> Int {
        Int(UInt(bitPattern: key.hashValue) % UInt(shardCount))
    }

    /// Keeps the serialised states of `evicted` entries whose rows are behind the log, for the flush that writes
    /// them (under their shard's lock). An evicted entry has no write in flight, so every committed event of its
    /// key is at or below the highest seq committed so far.
    func keepStatesBehind(_ evicted: [(key: StoreShard.Key, value: StoreShard.Entry)]) {
        guard !evicted.isEmpty else { return }
        let throughSeq = pendingStates.committedSeq.load(ordering: .acquiring)
        for (key, entry) in evicted where pendingStates.isBehind(key) {
            pendingStates.evicted.keep(key, bytes: entry.state.serialized(), throughSeq: throughSeq)
        }
    }

    /// Drops `keys` of the feature set at `position` from memory (they reload from disk), except those with
    /// writes in flight.
    func evict(_ keys: some Sequence<String>, position: Int) {
        for entity in keys {
            let key = StoreShard.Key(featureSet: position, entity: entity)
            shards[shardIndex(key)].withLock { _ = $0.evict(key) }
        }
    }
}
