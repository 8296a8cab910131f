/// The online store's ``CommittedStateSource``: a key in memory with no write in flight gives its memory state
/// (exactly the committed one), an evicted key the bytes its eviction kept, and any other key its row brought
/// forward by its logged events on the writer's connection (``SQLiteOnlineStore/diskState(of:_:replaysLog:connection:)``).
/// A key with writes in flight is asked to write its state through with its next write (``StoreShard/Entry``'s
/// `flushRequested`), so a hot key never waits for a quiet moment.
struct StoreStateSource: CommittedStateSource {
    let shards: [LockedStoreShard]
    let registered: [RegisteredFeatureSet]
    let evicted: EvictedStates

    func committedState(
        of key: StoreShard.Key, connection: SQLiteConnection, rebuildsInFlight: Bool
    ) throws -> CommittedState {
        guard key.featureSet < registered.count else { return .none }
        let shard = shards[SQLiteOnlineStore.shardIndex(key, shardCount: shards.count)]
        let fromMemory = shard.withLock { shard -> CommittedState? in
            if let entry = shard.peek(key) {
                if entry.pendingWrites == 0 { return .state(entry.state.serialized(), throughSeq: nil) }
                if rebuildsInFlight { return nil }
                shard.requestFlush(key)
                return .inFlight
            }
            return evicted.state(of: key).map { .state($0.bytes, throughSeq: $0.throughSeq) }
        }
        if let fromMemory { return fromMemory }
        let set = registered[key.featureSet]
        guard
            let state = try SQLiteOnlineStore.diskState(
                of: key.entity, set, replaysLog: true, connection: connection)
        else { return .none }
        return .state(state.serialized(), throughSeq: nil)
    }
}
