// MARK: - The order a request locks its shards in

extension SQLiteOnlineStore {
    /// The distinct shard indices of `keys`, ascending: the order one request locks them in, so two requests
    /// never deadlock. A one-key request (the common case) builds no set.
    func lockOrder(of keys: [StoreShard.Key]) -> [Int] {
        if keys.count == 1 { return [shardIndex(keys[0])] }
        return Set(keys.map(shardIndex)).sorted()
    }
}
