import FeatureEnrich
import Foundation
import ServingGraph
import Synchronization
import Testing

/// Entity states written behind the event log (schema migration 6): rows lag the log until a flush, and every
/// disk load, reopen, eviction, failed commit, batch ingest and rebuild still gives exactly the memory state.
struct SQLiteOnlineStoreWriteBehindTests {
    static let keys = (0..<6).map { "k\($0)" }
    static let readTime = StoreFixture.base + 600_000

    /// A store whose states are flushed only at close (or past a million of them), so the tests see rows behind.
    static func lagging(_ path: String, shardCount: Int = 64, maxKeysInMemory: Int = 1_000_000) throws
        -> SQLiteOnlineStore
    {
        try SQLiteOnlineStore(
            path: path, featureSets: [StoreFixture.transactions()],
            configuration: OnlineStoreConfiguration(
                shardCount: shardCount, maxKeysInMemory: maxKeysInMemory, stateFlushIntervalMilliseconds: 3_600_000,
                stateFlushMaxPending: 1_000_000))
    }

    static func events(count: Int, seed: UInt64, offset: Int64 = 0) -> [Value] {
        var random = SplitMix(seed: seed)
        return (0..<count).map { index in
            StoreFixture.event(
                keys[Int(random.next() % UInt64(keys.count))], offset + Int64(index) * 10, Int(random.next() % 90) + 1)
        }
    }

    /// Rows of a store fed the same events by ingest, with nothing behind (the full replay of the log).
    static func reference(_ directory: SQLiteTestDirectory, _ batches: [[Value]], name: String = "reference.db")
        throws -> [String: ValueObject]
    {
        let store = try SQLiteOnlineStore(path: directory.file(name), featureSets: [StoreFixture.transactions()])
        for events in batches { _ = try store.ingestAndWait(events, into: "transactions") }
        return try StoreFixture.rows(store, keys: keys, at: readTime)
    }

    /// A consistent copy of the committed database, as a `kill -9` would leave it (nothing flushed at close).
    static func crashImage(of store: SQLiteOnlineStore, _ directory: SQLiteTestDirectory) throws -> String {
        let copy = directory.file("crash-\(UUID().uuidString).db")
        try store.inspect().execute("VACUUM INTO '\(copy)'")
        return copy
    }

    /// `events` (key, timestamp, amount) written as a CSV file for `ingestCSV`; its path.
    static func csv(of events: [Value], in directory: SQLiteTestDirectory) throws -> String {
        let path = directory.file("events.csv")
        let lines = events.map { event in
            "\(event["key"]?.stringValue ?? ""),\(event["timestamp"]?.stringValue ?? ""),\(event["amount"]?.intValue ?? 0)"
        }
        try (["key,timestamp,amount"] + lines).joined(separator: "\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Rows of `entity_state` whose `through_seq` is below the log's `MAX(seq)`.
    static func rowsBehind(_ connection: SQLiteConnection) throws -> Int64 {
        try connection.count(
            "SELECT COUNT(*) FROM entity_state WHERE through_seq < (SELECT MAX(seq) FROM event_log)")
    }

    @Test func realTimeWritesLeaveRowsBehindTheLogUntilClose() throws {
        let directory = try SQLiteTestDirectory()
        let store = try Self.lagging(directory.file("store.db"))
        let events = Self.events(count: 300, seed: 1)
        for chunk in stride(from: 0, to: events.count, by: 10) {
            _ = try store.ingestAndWait(Array(events[chunk..<chunk + 10]), into: "transactions")
        }
        #expect(try Self.rowsBehind(store.inspect()) > 0)
        // Every key got a row with its first write: counts on disk are exact before any flush.
        #expect(try store.inspect().count("SELECT COUNT(*) FROM entity_state") == Int64(Self.keys.count))
        store.close()
        let connection = try SQLiteConnection(path: directory.file("store.db"))
        #expect(try connection.count("SELECT MIN(through_seq) FROM state_flush_marks") == 300)
        let reopened = try SQLiteOnlineStore(
            path: directory.file("store.db"), featureSets: [StoreFixture.transactions()])
        #expect(
            try StoreFixture.rows(reopened, keys: Self.keys, at: Self.readTime) == Self.reference(directory, [events]))
    }

    @Test func anEvictedUnflushedKeyReloadsItsMemoryState() throws {
        let directory = try SQLiteTestDirectory()
        let tight = try Self.lagging(directory.file("tight.db"), shardCount: 1, maxKeysInMemory: 2)
        let events = Self.events(count: 400, seed: 2)
        for chunk in stride(from: 0, to: events.count, by: 5) {
            _ = try tight.ingestAndWait(Array(events[chunk..<chunk + 5]), into: "transactions")
        }
        #expect(tight.keysInMemory <= 2)
        #expect(try Self.rowsBehind(tight.inspect()) > 0)
        expectRowsMatch(
            try StoreFixture.rows(tight, keys: Self.keys, at: Self.readTime), try Self.reference(directory, [events]))
    }

    @Test func aStoreKilledWithUnflushedStatesReopensEqualToAReplayOfTheLog() throws {
        let directory = try SQLiteTestDirectory()
        let store = try Self.lagging(directory.file("store.db"))
        let first = Self.events(count: 200, seed: 3)
        _ = try store.ingestAndWait(first, into: "transactions")
        store.close()
        let running = try Self.lagging(directory.file("store.db"))
        let second = Self.events(count: 250, seed: 4, offset: 5_000)
        for chunk in stride(from: 0, to: second.count, by: 25) {
            _ = try running.ingestAndWait(Array(second[chunk..<chunk + 25]), into: "transactions")
        }
        let image = try Self.crashImage(of: running, directory)
        let crashed = try SQLiteConnection(path: image)
        #expect(try Self.rowsBehind(crashed) > 0)
        #expect(try crashed.count("SELECT through_seq FROM state_flush_marks") == 200)
        let reopened = try SQLiteOnlineStore(path: image, featureSets: [StoreFixture.transactions()])
        #expect(try reopened.inspect().count("SELECT through_seq FROM state_flush_marks") == 450)
        let expected = try Self.reference(directory, [first, second])
        expectRowsMatch(try StoreFixture.rows(reopened, keys: Self.keys, at: Self.readTime), expected)
        // Opening brought the rows themselves forward: a reader of the file alone sees the same states.
        #expect(try reopened.inspect().count("SELECT COUNT(*) FROM entity_state WHERE through_seq < 450") == 0)
    }

    @Test func migrationSixMarksExistingStatesCompleteIncludingOfflineOnlyEvents() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let events = Self.events(count: 120, seed: 5)
        do {
            let store = try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()])
            _ = try store.ingestAndWait(events, into: "transactions")
            // Logged but not in the online state (Feast `to: offline`).
            _ = try store.ingestAndWait(
                [StoreFixture.event("k0", 90_000, 1_000)], into: "transactions", target: .offline)
            store.close()
        }
        // Back to a version-5 file: no through_seq, no marks, the event log's index.
        let connection = try SQLiteConnection(path: path)
        try connection.dropKeyIndexTables()
        try connection.execute(
            """
            ALTER TABLE entity_state DROP COLUMN through_seq; DROP TABLE state_flush_marks;
            DELETE FROM schema_version WHERE version >= 6;
            """)
        let migrated = try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()])
        let disk = try migrated.inspect()
        #expect(try disk.count("SELECT MAX(version) FROM schema_version") == Int64(StoreSchema.migrations.count))
        #expect(try disk.count("SELECT COUNT(*) FROM entity_state WHERE through_seq = 121") == Int64(Self.keys.count))
        #expect(try disk.count("SELECT through_seq FROM state_flush_marks WHERE feature_set = 'transactions'") == 121)
        expectRowsMatch(
            try StoreFixture.rows(migrated, keys: Self.keys, at: Self.readTime), try Self.reference(directory, [events])
        )
    }

    @Test func offlineOnlyEventsAreNeverReplayedIntoTheOnlineState() throws {
        let directory = try SQLiteTestDirectory()
        let store = try Self.lagging(directory.file("store.db"), shardCount: 1, maxKeysInMemory: 1)
        let before = Self.events(count: 60, seed: 6)
        let after = Self.events(count: 60, seed: 7, offset: 2_000)
        _ = try store.ingestAndWait(before, into: "transactions")
        _ = try store.ingestAndWait(
            Self.keys.map { StoreFixture.event($0, 1_500, 5_000) }, into: "transactions", target: .offline)
        _ = try store.ingestAndWait(after, into: "transactions")
        let expected = try Self.reference(directory, [before, after])
        // Through eviction (one key in memory) and through a reopen of the crash image.
        expectRowsMatch(try StoreFixture.rows(store, keys: Self.keys, at: Self.readTime), expected)
        let reopened = try SQLiteOnlineStore(
            path: try Self.crashImage(of: store, directory), featureSets: [StoreFixture.transactions()])
        expectRowsMatch(try StoreFixture.rows(reopened, keys: Self.keys, at: Self.readTime), expected)
    }

    @Test func anOnlineOnlyWriteSupersedesTheStateWaitingBehindTheLog() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let store = try Self.lagging(path, shardCount: 1, maxKeysInMemory: 1)
        let logged = Self.events(count: 60, seed: 8)
        let online = Self.keys.map { StoreFixture.event($0, 1_000, 7) }
        let later = Self.events(count: 60, seed: 9, offset: 2_000)
        _ = try store.ingestAndWait(logged, into: "transactions")
        _ = try store.ingestAndWait(online, into: "transactions", target: .online)
        let afterOnline = try Self.crashImage(of: store, directory)
        _ = try store.ingestAndWait(later, into: "transactions")
        let expected = try Self.reference(directory, [logged, online, later])
        expectRowsMatch(try StoreFixture.rows(store, keys: Self.keys, at: Self.readTime), expected)
        let image = try Self.crashImage(of: store, directory)
        store.close()
        expectRowsMatch(
            try StoreFixture.rows(
                SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()]), keys: Self.keys,
                at: Self.readTime), expected)
        expectRowsMatch(
            try StoreFixture.rows(
                SQLiteOnlineStore(path: image, featureSets: [StoreFixture.transactions()]), keys: Self.keys,
                at: Self.readTime), expected)
        expectRowsMatch(
            try StoreFixture.rows(
                SQLiteOnlineStore(path: afterOnline, featureSets: [StoreFixture.transactions()]), keys: Self.keys,
                at: Self.readTime), try Self.reference(directory, [logged, online], name: "online.db"))
    }

    @Test func aFailedCommitReloadsTheCommittedStateFromRowAndLog() throws {
        let directory = try SQLiteTestDirectory()
        let store = try Self.lagging(directory.file("store.db"))
        let events = Self.events(count: 90, seed: 10)
        _ = try store.ingestAndWait(Array(events[..<30]), into: "transactions")
        _ = try store.ingestAndWait(Array(events[30...]), into: "transactions")
        try store.inspect().execute(
            """
            CREATE TRIGGER refuse_boom BEFORE INSERT ON event_log WHEN instr(NEW.event, CAST('boom' AS BLOB)) > 0
            BEGIN SELECT RAISE(ABORT, 'boom refused'); END
            """)
        var failing = try #require(StoreFixture.event("k0", 5_000, 100).objectValue)
        failing["note"] = "boom"
        #expect(throws: (any Error).self) { try store.ingestAndWait([.object(failing)], into: "transactions") }
        #expect(try Self.rowsBehind(store.inspect()) > 0)
        expectRowsMatch(
            try StoreFixture.rows(store, keys: Self.keys, at: Self.readTime), try Self.reference(directory, [events]))
    }

    @Test func batchIngestAfterUnflushedRealTimeWritesContinuesTheirStates() throws {
        let directory = try SQLiteTestDirectory()
        let store = try Self.lagging(directory.file("store.db"))
        let realTime = Self.events(count: 120, seed: 11)
        _ = try store.ingestAndWait(realTime, into: "transactions")
        let batch = Self.events(count: 80, seed: 12, offset: 10_000)
        let csv = try Self.csv(of: batch, in: directory)
        _ = try store.ingestCSV(path: csv, into: "transactions", skipBadRows: false)
        // The file's states include everything logged: nothing is behind the log, the mark is at its last row.
        #expect(try store.inspect().count("SELECT through_seq FROM state_flush_marks") == 200)
        #expect(try Self.rowsBehind(store.inspect()) == 0)
        let more = Self.events(count: 40, seed: 13, offset: 20_000)
        _ = try store.ingestAndWait(more, into: "transactions")
        let expected = try Self.reference(directory, [realTime, batch, more])
        expectRowsMatch(try StoreFixture.rows(store, keys: Self.keys, at: Self.readTime), expected)
        let reopened = try SQLiteOnlineStore(
            path: try Self.crashImage(of: store, directory), featureSets: [StoreFixture.transactions()])
        expectRowsMatch(try StoreFixture.rows(reopened, keys: Self.keys, at: Self.readTime), expected)
    }

    @Test func rebuildAfterUnflushedRealTimeWritesRecomputesFromTheWholeLog() throws {
        let directory = try SQLiteTestDirectory()
        let store = try Self.lagging(directory.file("store.db"))
        let events = Self.events(count: 150, seed: 14)
        for chunk in stride(from: 0, to: events.count, by: 15) {
            _ = try store.ingestAndWait(Array(events[chunk..<chunk + 15]), into: "transactions")
        }
        let image = try Self.crashImage(of: store, directory)
        let rebuilt = try SQLiteOnlineStore(
            path: image, featureSets: [StoreFixture.changedTransactions()], rebuild: true)
        let fresh = try SQLiteOnlineStore(
            path: directory.file("fresh.db"), featureSets: [StoreFixture.changedTransactions()])
        _ = try fresh.ingestAndWait(events, into: "transactions")
        let rows = try StoreFixture.rows(rebuilt, keys: Self.keys, at: Self.readTime)
        #expect(rows["k0"]?["amount_count_2h"] != nil)
        expectRowsMatch(rows, try StoreFixture.rows(fresh, keys: Self.keys, at: Self.readTime))
        #expect(try rebuilt.inspect().count("SELECT through_seq FROM state_flush_marks") == 150)
    }

    @Test func anIdleWriterFlushesAfterTheInterval() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(
            path: directory.file("store.db"), featureSets: [StoreFixture.transactions()],
            configuration: OnlineStoreConfiguration(stateFlushIntervalMilliseconds: 20))
        _ = try store.ingestAndWait(Self.events(count: 50, seed: 15), into: "transactions")
        _ = try store.ingestAndWait(Self.events(count: 50, seed: 16, offset: 1_000), into: "transactions")
        // No further request: the writer's idle wait ends with a flush (polled with a blocking wait).
        let disk = try store.inspect()
        var behind = try Self.rowsBehind(disk)
        for _ in 0..<500 where behind > 0 {
            usleep(10_000)
            behind = try Self.rowsBehind(disk)
        }
        #expect(behind == 0)
        #expect(try disk.count("SELECT through_seq FROM state_flush_marks") == 100)
    }

    @Test func pastTheMaximumPendingStatesTheNextCommitFlushes() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(
            path: directory.file("store.db"), featureSets: [StoreFixture.transactions()],
            configuration: OnlineStoreConfiguration(
                stateFlushIntervalMilliseconds: 3_600_000, stateFlushMaxPending: 3))
        let events = Self.events(count: 60, seed: 17)
        _ = try store.ingestAndWait(Array(events[..<30]), into: "transactions")
        for event in events[30...] { _ = try store.ingestAndWait([event], into: "transactions") }
        #expect(try store.inspect().count("SELECT through_seq FROM state_flush_marks") > 30)
        expectRowsMatch(
            try StoreFixture.rows(store, keys: Self.keys, at: Self.readTime), try Self.reference(directory, [events]))
    }

    @Test func aFlushRoundSpreadOverManyCommitsKeepsEveryLoadExact() throws {
        let directory = try SQLiteTestDirectory()
        let keys = (0..<400).map { "m\($0)" }
        let store = try SQLiteOnlineStore(
            path: directory.file("store.db"), featureSets: [StoreFixture.transactions()],
            configuration: OnlineStoreConfiguration(
                shardCount: 4, maxKeysInMemory: 40, stateFlushIntervalMilliseconds: 3_600_000,
                stateFlushMaxPending: 100))
        let created = keys.enumerated().map { StoreFixture.event($1, Int64($0), 1) }
        _ = try store.ingestAndWait(created, into: "transactions")
        // One event per request: each commit writes at most 64 states of a round while new ones are staged.
        var random = SplitMix(seed: 18)
        let updates = (0..<1_200).map { index in
            StoreFixture.event(keys[Int(random.next() % 400)], 1_000 + Int64(index), Int(random.next() % 50))
        }
        for event in updates { _ = try store.ingestAndWait([event], into: "transactions") }
        #expect(try store.inspect().count("SELECT through_seq FROM state_flush_marks") > 400)
        let reference = try SQLiteOnlineStore(
            path: directory.file("reference.db"), featureSets: [StoreFixture.transactions()])
        _ = try reference.ingestAndWait(created + updates, into: "transactions")
        let expected = try StoreFixture.rows(reference, keys: keys, at: Self.readTime)
        expectRowsMatch(try StoreFixture.rows(store, keys: keys, at: Self.readTime), expected)
        let reopened = try SQLiteOnlineStore(
            path: try Self.crashImage(of: store, directory), featureSets: [StoreFixture.transactions()])
        expectRowsMatch(try StoreFixture.rows(reopened, keys: keys, at: Self.readTime), expected)
    }

    @Test func aFailedFlushFailsItsBatchAndKeepsTheStatesBehindTheLog() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(
            path: directory.file("store.db"), featureSets: [StoreFixture.transactions()],
            configuration: OnlineStoreConfiguration(
                shardCount: 1, maxKeysInMemory: 3, stateFlushIntervalMilliseconds: 3_600_000, stateFlushMaxPending: 3))
        let created = Self.keys.enumerated().map { StoreFixture.event($1, Int64($0), 1) }
        _ = try store.ingestAndWait(created, into: "transactions")
        // Updates of entity_state fail from here: the commit whose round writes states fails as a whole.
        try store.inspect().execute(
            "CREATE TRIGGER refuse_flush BEFORE UPDATE ON entity_state BEGIN SELECT RAISE(ABORT, 'full'); END")
        var committed = created
        var failures = 0
        let events = Self.events(count: 60, seed: 19, offset: 1_000)
        for (index, event) in events.enumerated() {
            if index == 30 { try store.inspect().execute("DROP TRIGGER refuse_flush") }
            do {
                _ = try store.ingestAndWait([event], into: "transactions")
                committed.append(event)
            } catch {
                failures += 1
            }
        }
        #expect(failures > 0)
        #expect(committed.count > created.count + 30)
        let expected = try Self.reference(directory, [committed])
        expectRowsMatch(try StoreFixture.rows(store, keys: Self.keys, at: Self.readTime), expected)
        let reopened = try SQLiteOnlineStore(
            path: try Self.crashImage(of: store, directory), featureSets: [StoreFixture.transactions()])
        expectRowsMatch(try StoreFixture.rows(reopened, keys: Self.keys, at: Self.readTime), expected)
    }
}

extension SQLiteOnlineStore {
    /// ``ingest(_:into:target:completion:)`` that blocks until the commit.
    func ingestAndWait(_ events: [Value], into featureSet: String, target: IngestTarget) throws -> Int {
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<Int, any Error>?>(nil)
        try ingest(events, into: featureSet, target: target) { result in
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return try outcome.withLock { $0 }?.get() ?? 0
    }
}
