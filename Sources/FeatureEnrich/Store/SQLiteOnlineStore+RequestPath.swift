// MARK: - Helpers of ingest's loop-side part (run on an event loop, per request)

extension SQLiteOnlineStore {
    /// The distinct shard indices of `keys`, ascending: the order one request locks them in, so two requests
    /// never deadlock. A one-key request (the common case) builds no set.
    func lockOrder(of keys: [StoreShard.Key]) -> [Int] {
        if keys.count == 1 { return [shardIndex(keys[0])] }
        return Set(keys.map(shardIndex)).sorted()
    }

    /// `count` empty accumulators. Not `Array(repeating:count:)`: that goes through the standard library's
    /// unspecialised buffer allocation, which looks the storage type up at run time (≈ 0.5k instructions).
    func emptyStatistics(count: Int) -> [FeatureStatistics] {
        var statistics: [FeatureStatistics] = []
        statistics.reserveCapacity(count)
        for _ in 0..<count { statistics.append(FeatureStatistics()) }
        return statistics
    }
}
