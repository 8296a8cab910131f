import ServingGraph

// MARK: - States from disk: the stored row plus the key's later event-log rows

extension SQLiteOnlineStore {
    /// The state of `key` as the disk gives it, or nil when it has none (through a read-only connection): its
    /// `entity_state` row brought forward by the key's logged events above the row's `through_seq` (and the set's
    /// flush mark), in `seq` order, through the set's aggregator, so a state written behind the log
    /// (``PendingStates``) is read exactly. Once this store has written real-time updates (it is the file's one
    /// real-time writer, the only process with states behind the log), a key it has no state of behind the log
    /// loads its row alone: that row includes every event of the key.
    func loadState(_ key: StoreShard.Key, _ set: RegisteredFeatureSet) throws -> EntityState? {
        guard pendingStates.mayBeBehind(key) else {
            return try readers.withConnection {
                try Self.diskState(of: key.entity, set, replaysLog: false, connection: $0)
            }
        }
        // The row and the log in one read transaction: a write that does not lock the key (a Feast `to: offline`
        // push appends its event and raises the row's `through_seq` in one commit) must not land between them,
        // or its event would be replayed into the online state.
        return try readers.withConnection { connection in
            var state: EntityState?
            try connection.inSavepoint {
                state = try Self.diskState(of: key.entity, set, replaysLog: true, connection: connection)
                return .commit
            }
            return state
        }
    }

    /// The state of `key` from its row and (with `replaysLog`) its logged events above the row's `through_seq`, on
    /// `connection`; nil without a row.
    static func diskState(
        of key: String, _ set: RegisteredFeatureSet, replaysLog: Bool, connection: SQLiteConnection
    ) throws -> EntityState? {
        let name = set.definition.name
        guard let stored = try StoreStatements.loadState(connection, featureSet: name, key: key) else { return nil }
        var state = try set.state(from: stored.bytes, key: key)
        guard replaysLog else { return state }
        let rows = try connection.cachedStatement(sql: StoreStatements.keyEventsAfterSQL)
        defer { rows.reset() }
        try rows.bind(name, at: 1)
        try rows.bind(key, at: 2)
        try rows.bind(stored.throughSeq, at: 3)
        // In index order (event time); applied in seq order, sorted here rather than by a sorter in SQLite.
        var events: [(seq: Int64, event: FeatureEvent)] = []
        while try rows.step() {
            let seq = rows.int64(at: 0)
            events.append((seq, try decode(rows, eventColumn: 1, seq: seq, set)))
        }
        if events.count > 1 { events.sort { $0.seq < $1.seq } }
        for (_, event) in events { apply(event, set, to: &state) }
        return state
    }

    /// The logged event in `eventColumn` of `statement`'s row (`seq` names it in the error).
    static func decode(
        _ statement: PreparedStatement, eventColumn: Int, seq: Int64, _ set: RegisteredFeatureSet
    ) throws -> FeatureEvent {
        do {
            return try set.decoder.decodeLogged(statement, at: eventColumn)
        } catch {
            throw OnlineStoreError.rebuildFailed(name: set.definition.name, seq: seq, reason: "\(error)")
        }
    }

    /// Applies a replayed event to `state` as real-time ingestion did, without computing the row nobody reads.
    static func apply(_ event: FeatureEvent, _ set: RegisteredFeatureSet, to state: inout EntityState) {
        set.aggregator.apply(
            at: event.time, aggregationValues: event.aggregationValues, featureValues: event.featureValues,
            into: &state)
    }

    /// At open, on the writer: brings every stored state of `set` forward by the set's logged events above its
    /// flush mark (skipping those a key's row already includes; keys without a row have no online state), writes
    /// them and sets the mark to the log's `MAX(seq)`. So a store killed with states not yet flushed reopens
    /// with rows equal to a replay of the log. Returns the events applied.
    @discardableResult
    static func replayUnflushed(_ set: RegisteredFeatureSet, connection: SQLiteConnection, now: Int64) throws -> Int {
        let name = set.definition.name
        let maxSeq = try StoreStatements.maxSeq(connection)
        let mark = try StoreStatements.flushMark(connection, featureSet: name) ?? 0
        guard mark < maxSeq else {
            if mark > maxSeq { try StoreStatements.setFlushMark(connection, featureSet: name, throughSeq: maxSeq) }
            return 0
        }
        var keys: [String: ReplayedKey] = [:]
        var applied = 0
        // A statement of its own: the loop reads rows with cached statements of the same connection.
        let rows = try connection.prepare(sql: StoreStatements.setEventsAfterSQL)
        try rows.bind(name, at: 1)
        try rows.bind(mark, at: 2)
        while try rows.step() {
            let seq = rows.int64(at: 0)
            let key = rows.text(at: 1)
            let known: ReplayedKey
            if let entry = keys[key] {
                known = entry
            } else {
                known =
                    try StoreStatements.loadState(connection, featureSet: name, key: key)
                    .map { .through($0.throughSeq) } ?? .noRow
            }
            var state: EntityState
            switch known {
            case .noRow:
                keys[key] = .noRow
                continue
            case .through(let throughSeq):
                guard seq > throughSeq else {
                    keys[key] = known
                    continue
                }
                // Decoded only now: most keys' rows include every event above the mark.
                guard let stored = try StoreStatements.loadState(connection, featureSet: name, key: key),
                    let decoded = try? set.state(from: stored.bytes, key: key)
                else {
                    keys[key] = .noRow  // unreadable: its reads report it
                    continue
                }
                state = decoded
            case .replaying(let replaying):
                state = replaying
                keys[key] = .noRow  // no second reference while it is mutated
            }
            apply(try decode(rows, eventColumn: 2, seq: seq, set), set, to: &state)
            keys[key] = .replaying(state)
            applied += 1
        }
        for (key, entry) in keys {
            guard case .replaying(let state) = entry else { continue }
            try StoreStatements.upsertState(
                connection, featureSet: name, key: key, state: state.serialized(), throughSeq: maxSeq, now: now)
        }
        try StoreStatements.setFlushMark(connection, featureSet: name, throughSeq: maxSeq)
        if applied > 0 {
            FeatureEnrich.logger.info(
                "replayed events not yet in stored states",
                [("feature_set", name), ("events", String(applied)), ("after_seq", String(mark))])
        }
        return applied
    }

    /// What ``replayUnflushed(_:connection:now:)`` knows of a key: no row (its events are offline-only), a row not
    /// decoded yet (with its `through_seq`), or the state being brought forward.
    private enum ReplayedKey {
        case noRow
        case through(Int64)
        case replaying(EntityState)
    }
}
