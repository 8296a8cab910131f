extension SQLiteOnlineStore {
    /// Preloads stored entity states into memory, so the first read of a key is served without SQLite: one
    /// key-ordered scan of `entity_state` per registered feature set (in registration order), decoded exactly
    /// as a lazy load decodes them. Memory stays bounded: a shard is filled up to its share of
    /// ``OnlineStoreConfiguration/maxKeysInMemory`` and never beyond, and the scan stops once every share could
    /// be full. A key already in memory is left as it is; a state that fails to decode is skipped (its first
    /// read reports it, as without warm-up). The states written behind the log are flushed first, so the rows
    /// scanned are complete. Meant for start-up, before requests are served.
    ///
    /// - Returns: the number of states loaded.
    public func warmCache() throws -> Int {
        try writer.submitAndWait { [pendingStates] connection in
            try pendingStates.flush(connection, now: StoreWriterLoop.nowMilliseconds())
        }
        let perShard = configuration.maxKeysPerShard
        let capacity = perShard * shards.count
        var loaded = 0
        for (position, set) in registered.enumerated() where loaded < capacity {
            let name = set.definition.name
            try readers.withConnection { connection in
                try StoreStatements.forEachState(connection, featureSet: name) { entity, bytes in
                    let key = StoreShard.Key(featureSet: position, entity: entity)
                    let inserted = shards[shardIndex(key)].withLock { shard -> Bool in
                        guard shard.entries.count < perShard, shard.entries[key] == nil,
                            let state = try? set.state(from: bytes, key: entity)
                        else { return false }
                        shard.set(StoreShard.Entry(state: state), for: key)
                        return true
                    }
                    if inserted { loaded += 1 }
                    return loaded < capacity
                }
            }
        }
        return loaded
    }
}
