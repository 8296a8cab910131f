import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// Entity states written behind the log across the end of a process: `kill -9` images taken in the middle of
/// flush rounds (rows partly written, marks not moved), a close during a round, and a reopen whose retention
/// prunes the log's newest rows (their `seq`s are handed out again).
struct SQLiteOnlineStoreWriteBehindRecoveryTests {
    /// A store with `maxKeysInMemory` keys in memory over one shard, a round once more than `maxPending` wait.
    static func open(
        _ path: String, _ definition: FeatureSetDefinition, maxKeysInMemory: Int = 3, maxPending: Int = 20
    ) throws -> SQLiteOnlineStore {
        try SQLiteOnlineStore(
            path: path, featureSets: [definition],
            configuration: OnlineStoreConfiguration(
                shardCount: 1, maxKeysInMemory: maxKeysInMemory, stateFlushIntervalMilliseconds: 3_600_000,
                stateFlushMaxPending: maxPending))
    }

    static func crashImage(_ store: SQLiteOnlineStore, _ directory: SQLiteTestDirectory) throws -> String {
        try SQLiteOnlineStoreWriteBehindTests.crashImage(of: store, directory)
    }

    @Test func aKillImageInTheMiddleOfAFlushRoundReopensEqualToAReplayOfTheLog() throws {
        let directory = try SQLiteTestDirectory()
        let keys = (0..<200).map { "r\($0)" }
        let store = try Self.open(directory.file("store.db"), StoreFixture.transactions(), maxPending: 100)
        let reference = try SQLiteOnlineStore(
            path: directory.file("reference.db"), featureSets: [StoreFixture.transactions()])
        let created = keys.enumerated().map { StoreFixture.event($1, Int64($0), 1) }
        _ = try store.ingestAndWait(created, into: "transactions")
        _ = try reference.ingestAndWait(created, into: "transactions")
        // The round's last chunk (keys in encoded order, `3:r99` last) cannot be written: the round stays in progress.
        try store.inspect().execute(
            "CREATE TRIGGER hold BEFORE UPDATE ON entity_state WHEN OLD.entity_key = '3:r99' BEGIN SELECT RAISE(ABORT, 'held'); END"
        )
        // 101 keys pending: the 101st request's commit starts a round and writes its first 32 states.
        for index in 0...100 {
            let event = StoreFixture.event(keys[index], 1_000 + Int64(index) * 1_000, index % 40)
            _ = try store.ingestAndWait([event], into: "transactions")
            _ = try reference.ingestAndWait([event], into: "transactions")
        }
        let image = try Self.crashImage(store, directory)
        let disk = try SQLiteConnection(path: image)
        // No round ended: the mark never moved (the created keys wrote their rows through, up to 200).
        #expect(try disk.count("SELECT COALESCE(MAX(through_seq), 0) FROM state_flush_marks") == 0)
        #expect(try disk.count("SELECT COUNT(*) FROM entity_state WHERE through_seq > 200") >= 32)
        #expect(try disk.count("SELECT through_seq FROM entity_state WHERE entity_key = '3:r99'") == 200)
        try disk.execute("DROP TRIGGER hold")  // copied into the image
        let readTime = StoreFixture.base + 900_000
        let expected = try StoreFixture.rows(reference, keys: keys, at: readTime)
        expectRowsMatch(
            try StoreFixture.rows(
                SQLiteOnlineStore(path: image, featureSets: [StoreFixture.transactions()]), keys: keys, at: readTime),
            expected)
        // The live store, three keys in memory, loads every other key from its row and the log meanwhile.
        expectRowsMatch(try StoreFixture.rows(store, keys: keys, at: readTime), expected)
        try store.inspect().execute("DROP TRIGGER hold")
        store.close()
        let disk2 = try SQLiteConnection(path: directory.file("store.db"))
        #expect(try disk2.count("SELECT through_seq FROM state_flush_marks") == 301)
        expectRowsMatch(
            try StoreFixture.rows(
                SQLiteOnlineStore(path: directory.file("store.db"), featureSets: [StoreFixture.transactions()]),
                keys: keys, at: readTime),
            expected)
    }

    @Test func closeDuringAFlushRoundLeavesRowsThatNeedNoReplay() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let keys = (0..<300).map { "c\($0)" }
        let store = try Self.open(path, StoreFixture.transactions(), maxKeysInMemory: 1_000, maxPending: 50)
        let created = keys.enumerated().map { StoreFixture.event($1, Int64($0), 1) }
        _ = try store.ingestAndWait(created, into: "transactions")
        var random = SplitMix(seed: 52)
        var updates: [Value] = []
        for index in 0..<120 {
            let event = StoreFixture.event(keys[Int(random.next() % 300)], 1_000 + Int64(index), 2)
            updates.append(event)
            _ = try store.ingestAndWait([event], into: "transactions")
        }
        store.close()
        let disk = try SQLiteConnection(path: path)
        #expect(try disk.count("SELECT through_seq FROM state_flush_marks") == 420)
        // Each key's row includes its last event by its own through_seq too (not only through the mark).
        #expect(
            try disk.count(
                """
                SELECT COUNT(*) FROM entity_state s
                WHERE s.through_seq < (SELECT MAX(seq) FROM event_log e WHERE e.entity_key = s.entity_key)
                """) == 0)
        let reference = try SQLiteOnlineStore(
            path: directory.file("reference.db"), featureSets: [StoreFixture.transactions()])
        _ = try reference.ingestAndWait(created + updates, into: "transactions")
        let readTime = StoreFixture.base + 600_000
        expectRowsMatch(
            try StoreFixture.rows(
                SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()]), keys: keys, at: readTime),
            try StoreFixture.rows(reference, keys: keys, at: readTime))
    }

    @Test func aReopenWhoseRetentionPrunesTheNewestRowsKeepsStatesAndReplaysReusedSeqs() throws {
        let directory = try SQLiteTestDirectory()
        let keys = SQLiteOnlineStoreWriteBehindTests.keys
        // 400 days before 2026-01-01: older than a 30-day retention on any clock this runs on.
        let past: Int64 = -400 * 86_400_000
        let old = SQLiteOnlineStoreWriteBehindTests.events(count: 120, seed: 53, offset: past)
        let more = SQLiteOnlineStoreWriteBehindTests.events(count: 90, seed: 54, offset: past + 5_000)
        let store = try Self.open(directory.file("store.db"), StoreFixture.transactions(), maxKeysInMemory: 2)
        for chunk in stride(from: 0, to: old.count, by: 10) {
            _ = try store.ingestAndWait(Array(old[chunk..<chunk + 10]), into: "transactions")
        }
        let image = try Self.crashImage(store, directory)
        // The open replays the unflushed events into the rows, then the retention deletes every logged event.
        let retained = try FeatureSetDefinition(
            jsonText: StoreFixture.transactionsJSON.replacingOccurrences(
                of: "\"timestamp_key\"", with: "\"offline_retention\": \"30d\", \"timestamp_key\""))
        let reopened = try Self.open(image, retained, maxKeysInMemory: 2)
        #expect(try reopened.inspect().count("SELECT COUNT(*) FROM event_log") == 0)
        #expect(try reopened.inspect().count("SELECT MAX(through_seq) FROM entity_state") == 0)
        // New events take seqs 1, 2, ... again: loads (one key in memory at a time) must replay them.
        for chunk in stride(from: 0, to: more.count, by: 10) {
            _ = try reopened.ingestAndWait(Array(more[chunk..<chunk + 10]), into: "transactions")
        }
        let reference = try SQLiteOnlineStore(
            path: directory.file("reference.db"), featureSets: [StoreFixture.transactions()])
        _ = try reference.ingestAndWait(old + more, into: "transactions")
        let readTime = StoreFixture.base + past + 900_000
        let expected = try StoreFixture.rows(reference, keys: keys, at: readTime)
        #expect(expected["k0"]?["amount_count_24h"] != nil)
        expectRowsMatch(try StoreFixture.rows(reopened, keys: keys, at: readTime), expected)
        // Killed again: that open replays the new events, then prunes them as well.
        let second = try Self.open(Self.crashImage(reopened, directory), retained)
        expectRowsMatch(try StoreFixture.rows(second, keys: keys, at: readTime), expected)
    }
}
