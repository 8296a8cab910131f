import FeatureEnrich
import Foundation
import ServingGraph
import Synchronization
import Testing

/// Loads from disk racing a writer that does not lock the key: a Feast `to: offline` push appends the key's event
/// and raises its row's `through_seq` in one commit, which must not land between a load's read of the row and its
/// read of the key's later log rows.
struct SQLiteOnlineStoreWriteBehindRaceTests {
    @Test func aLoadRacingOfflinePushesOfItsKeyNeverAppliesThem() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStoreWriteBehindTests.lagging(
            directory.file("store.db"), shardCount: 1, maxKeysInMemory: 1)
        _ = try store.ingestAndWait(
            [StoreFixture.event("x", 0, 5), StoreFixture.event("y", 0, 5)], into: "transactions")
        let time = StoreFixture.base + 600_000
        let expected = try store.read(featureSet: "transactions", key: EntityKey(parts: ["x"]), at: time)
        let stop = Atomic<Bool>(false)
        let pushed = Atomic<Int>(0)
        let finished = DispatchSemaphore(value: 0)
        let pusher = Thread {
            defer { finished.signal() }
            var index: Int64 = 1
            while !stop.load(ordering: .relaxed) {
                _ = try? store.ingestAndWait(
                    [StoreFixture.event("x", index, 1_000)], into: "transactions", target: .offline)
                pushed.add(1, ordering: .relaxed)
                index += 1
            }
        }
        pusher.start()
        // The store never stages a state here (no key is updated twice), so every load replays the log past the
        // row; before the fix dozens of the loads applied a push committed between their two reads.
        var wrong = 0
        while pushed.load(ordering: .relaxed) < 3_000 {
            // Reading y evicts x (one key in memory): the next read of x loads it from its row and the log.
            _ = try store.read(featureSet: "transactions", key: EntityKey(parts: ["y"]), at: time)
            if try store.read(featureSet: "transactions", key: EntityKey(parts: ["x"]), at: time) != expected {
                wrong += 1
            }
        }
        stop.store(true, ordering: .relaxed)
        finished.wait()
        #expect(wrong == 0)
    }
}
