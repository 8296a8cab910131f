import FeatureEnrich
import ServingGraph
import Testing

/// ``SQLiteOnlineStore/warmCache()``: stored states preloaded at open, bounded by the in-memory capacity.
struct SQLiteOnlineStoreWarmupTests {
    static let keys = (0..<12).map { "k\($0)" }

    /// A store at `path` holding two events of each of ``keys``, closed again.
    static func seed(_ path: String) throws {
        let store = try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()])
        let events = keys.enumerated().flatMap { index, key in
            [StoreFixture.event(key, Int64(index) * 1_000, index + 1), StoreFixture.event(key, 60_000, 2 * index)]
        }
        _ = try store.ingestAndWait(events, into: "transactions")
        store.close()
    }

    @Test func loadsEveryStoredStateWhenTheyFit() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        try Self.seed(path)
        let store = try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()])
        #expect(store.keysInMemory == 0)
        #expect(try store.warmCache() == Self.keys.count)
        #expect(store.keysInMemory == Self.keys.count)
    }

    @Test func servesAPreloadedKeyFromMemoryAfterItsRowIsGoneFromDisk() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        try Self.seed(path)
        let store = try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()])
        _ = try store.warmCache()
        let disk = try store.inspect()
        try disk.execute("DELETE FROM entity_state")
        #expect(try disk.count("SELECT COUNT(*) FROM entity_state") == 0)
        let row = try store.read(featureSet: "transactions", key: EntityKey(parts: ["k3"]), at: StoreFixture.base)
        #expect(row?["amount_count_1h"] != nil)
        #expect(row?["amount_count_1h"] != .null)
    }

    @Test func preloadedStatesReadExactlyAsLazilyLoadedOnes() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        try Self.seed(path)
        let time = StoreFixture.base + 120_000
        let lazy = try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()])
        let lazyRows = try StoreFixture.rows(lazy, keys: Self.keys, at: time)
        lazy.close()
        let warmed = try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()])
        _ = try warmed.warmCache()
        #expect(try StoreFixture.rows(warmed, keys: Self.keys, at: time) == lazyRows)
        #expect(lazyRows.count == Self.keys.count)
    }

    @Test func loadsNoMoreThanTheInMemoryCapacity() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        try Self.seed(path)
        let store = try SQLiteOnlineStore(
            path: path, featureSets: [StoreFixture.transactions()],
            configuration: OnlineStoreConfiguration(shardCount: 1, maxKeysInMemory: 5))
        #expect(try store.warmCache() == 5)
        #expect(store.keysInMemory == 5)
    }

    @Test func neverFillsAShardBeyondItsShare() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        try Self.seed(path)
        let store = try SQLiteOnlineStore(
            path: path, featureSets: [StoreFixture.transactions()],
            configuration: OnlineStoreConfiguration(shardCount: 4, maxKeysInMemory: 8))
        let loaded = try store.warmCache()
        #expect(loaded <= 8)
        #expect(loaded > 0)
        #expect(store.keysInMemory == loaded)
    }
}
