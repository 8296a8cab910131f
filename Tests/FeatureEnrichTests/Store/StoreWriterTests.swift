import CSQLite
import Dispatch
import FeatureEnrich
import Glibc
import Synchronization
import Testing

struct StoreWriterTests {
    struct ItemError: Error, Equatable {}

    /// Outcomes of completions by item id; completions also check they ran once.
    final class Outcomes: Sendable {
        private let results = Mutex<[String: [Bool]]>([:])

        func record(_ id: String, _ result: Result<Void, any Error>) {
            results.withLock { results in
                let succeeded = if case .success = result { true } else { false }
                results[id, default: []].append(succeeded)
            }
        }

        var snapshot: [String: [Bool]] { results.withLock { $0 } }
    }

    /// A read-only connection that only completions use. Completions all run on the writer thread
    /// one after another, so the connection is still used by one thread at a time.
    final class CompletionReader: @unchecked Sendable {
        let connection: SQLiteConnection
        init(path: String) throws { connection = try SQLiteConnection(path: path, configuration: .readOnly) }

        func isCommitted(_ id: String) -> Bool {
            (try? connection.query("SELECT count(*) FROM processed_events WHERE event_id = ?", [.text(id)]))
                == [[.integer(1)]]
        }
    }

    /// A work item that parks the writer thread until the test lets it go.
    final class Gate: Sendable {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        func park(_ connection: SQLiteConnection) {
            entered.signal()
            release.wait()
        }
    }

    private static func insert(_ id: String) -> @Sendable (SQLiteConnection) throws -> Void {
        { connection in
            try connection.cachedStatement(sql: "INSERT INTO processed_events (event_id, seen_at_ms) VALUES (?, ?)")
                .execute([.text(id), .integer(1)])
        }
    }

    private static let orphan: @Sendable (SQLiteConnection) throws -> Void = { connection in
        try connection.execute("INSERT INTO child VALUES (99)")
    }

    private func committedIDs(_ path: String) throws -> [String] {
        let connection = try SQLiteConnection(path: path, configuration: .readOnly)
        return try connection.query("SELECT event_id FROM processed_events ORDER BY event_id")
            .compactMap { $0.first?.textValue }
    }

    @Test func opensCreatesAndMigratesTheDatabase() throws {
        let directory = try SQLiteTestDirectory()
        let writer = try StoreWriter(path: directory.file("store.db"))
        writer.close()
        let connection = try SQLiteConnection(path: directory.file("store.db"), configuration: .readOnly)
        #expect(try SchemaMigrator.currentVersion(connection) == StoreSchema.migrator.latestVersion)
        #expect(try connection.journalMode() == "wal")
    }

    @Test func concurrentSubmittersGetEveryItemCommittedOnceAndCompletedAfterCommit() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let writer = try StoreWriter(path: path)
        let reader = try CompletionReader(path: path)
        let outcomes = Outcomes()
        let threads = 4
        let perThread = 500
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for item in 0..<perThread {
                let id = "t\(thread)-\(item)"
                writer.submit(Self.insert(id)) { result in
                    outcomes.record(id, result)
                    // Another connection sees the row: the completion ran after COMMIT.
                    outcomes.record("visible:\(id)", reader.isCommitted(id) ? .success(()) : .failure(ItemError()))
                }
            }
        }
        writer.close()
        let snapshot = outcomes.snapshot
        #expect(snapshot.count == 2 * threads * perThread)
        #expect(snapshot.values.allSatisfy { $0 == [true] })
        let ids = try committedIDs(path)
        #expect(ids.count == threads * perThread)
        #expect(Set(ids).count == threads * perThread)
        let statistics = writer.statistics
        #expect(statistics.committedItems == threads * perThread)
        #expect(statistics.failedItems == 0)
        #expect(statistics.commits >= 1)
        #expect(statistics.commits <= threads * perThread)
    }

    @Test func aFailingItemFailsOnlyItselfAndItsPartialWritesAreUndone() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let writer = try StoreWriter(path: path)
        let gate = Gate()
        let outcomes = Outcomes()
        writer.submit(gate.park) { outcomes.record("gate", $0) }
        gate.entered.wait()
        // The writer is parked in the first batch, so these three queue up for the same next batch.
        writer.submit(Self.insert("a")) { outcomes.record("a", $0) }
        writer.submit({ connection in
            try Self.insert("b")(connection)
            throw ItemError()
        }) { outcomes.record("b", $0) }
        writer.submit(Self.insert("c")) { outcomes.record("c", $0) }
        gate.release.signal()
        writer.close()
        #expect(outcomes.snapshot == ["gate": [true], "a": [true], "b": [false], "c": [true]])
        #expect(try committedIDs(path) == ["a", "c"])
        #expect(writer.statistics.commits == 2)
        #expect(writer.statistics.largestBatch == 3)
        #expect(writer.statistics.failedItems == 1)
    }

    @Test func aFailedCommitFailsEveryItemOfTheBatchAndTheWriterGoesOn() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        // A deferred foreign key is checked at COMMIT, so an orphan row makes the COMMIT itself fail.
        let orphans = SchemaMigration(
            version: StoreSchema.migrations.count + 1, name: "deferred foreign key",
            sql: """
                CREATE TABLE parent (id INTEGER PRIMARY KEY);
                CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)
                """)
        let writer = try StoreWriter(
            path: path, configuration: StoreWriterConfiguration(migrations: StoreSchema.migrations + [orphans]))
        let gate = Gate()
        let outcomes = Outcomes()
        writer.submit(gate.park) { outcomes.record("gate", $0) }
        gate.entered.wait()
        let batchDone = DispatchGroup()
        for id in ["a", "orphan", "c"] {
            batchDone.enter()
            let work = id == "orphan" ? Self.orphan : Self.insert(id)
            writer.submit(work) { result in
                outcomes.record(id, result)
                batchDone.leave()
            }
        }
        gate.release.signal()
        batchDone.wait()
        #expect(outcomes.snapshot == ["gate": [true], "a": [false], "orphan": [false], "c": [false]])
        try writer.submitAndWait(Self.insert("after"))
        let error = try #require(throws: StoreWriterError.self) {
            try writer.submitAndWait { connection in try connection.execute("INSERT INTO child VALUES (7)") }
        }
        guard case .transactionFailed(let cause as SQLiteError, let batchSize) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(cause.extendedCode == SQLITE_CONSTRAINT | (3 << 8))  // SQLITE_CONSTRAINT_FOREIGNKEY
        #expect(batchSize == 1)
        writer.close()
        #expect(try committedIDs(path) == ["after"])
        #expect(writer.statistics.failedTransactions == 2)
    }

    @Test func anItemThatEndsTheTransactionFailsTheWholeBatchInsteadOfRunningTheRestUnprotected() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let writer = try StoreWriter(path: path)
        let gate = Gate()
        let outcomes = Outcomes()
        writer.submit(gate.park) { outcomes.record("gate", $0) }
        gate.entered.wait()
        writer.submit(Self.insert("a")) { outcomes.record("a", $0) }
        // Stands for the errors after which SQLite rolls back the whole transaction on its own.
        writer.submit({ connection in try connection.execute("ROLLBACK") }) { outcomes.record("rogue", $0) }
        writer.submit(Self.insert("c")) { outcomes.record("c", $0) }
        gate.release.signal()
        writer.close()
        #expect(outcomes.snapshot == ["gate": [true], "a": [false], "rogue": [false], "c": [false]])
        #expect(try committedIDs(path) == [])
        #expect(writer.statistics.failedTransactions == 1)
    }

    @Test func closeDrainsWorkQueuedBeforeIt() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let writer = try StoreWriter(path: path)
        let gate = Gate()
        let outcomes = Outcomes()
        writer.submit(gate.park) { outcomes.record("gate", $0) }
        gate.entered.wait()
        for item in 0..<100 {
            writer.submit(Self.insert("q\(item)")) { outcomes.record("q\(item)", $0) }
        }
        let closer = DispatchGroup()
        DispatchQueue.global().async(group: closer) { writer.close() }
        // Wait until close() has begun: from then on, submissions are refused at once.
        var closedProbe = false
        var probes = 0
        while !closedProbe {
            let refused = Outcomes()
            writer.submit(Self.insert("probe\(probes)")) { refused.record("probe", $0) }
            closedProbe = refused.snapshot["probe"] == [false]
            probes += 1
            sched_yield()
        }
        gate.release.signal()
        closer.wait()
        let snapshot = outcomes.snapshot
        #expect(snapshot.count == 101)
        #expect(snapshot.values.allSatisfy { $0 == [true] })
        #expect(try committedIDs(path).filter { $0.hasPrefix("q") }.count == 100)
    }

    @Test func submitAfterCloseFailsAtOnceWithClosed() throws {
        let directory = try SQLiteTestDirectory()
        let writer = try StoreWriter(path: directory.file("store.db"))
        writer.close()
        writer.close()
        let error = try #require(throws: StoreWriterError.self) {
            try writer.submitAndWait(Self.insert("late"))
        }
        #expect(error.description == "the store writer is closed")
    }

    @Test func committedWritesSurviveReopeningFromScratchWithAnEmptyWAL() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        do {
            let writer = try StoreWriter(path: path)
            for item in 0..<20 {
                try writer.submitAndWait(Self.insert("durable\(item)"))
            }
            writer.close()
            #expect(writer.statistics.checkpoints >= 1)
        }
        #expect(directory.size(of: "store.db-wal") ?? 0 == 0)
        let reopened = try StoreWriter(path: path)
        try reopened.submitAndWait(Self.insert("durable20"))
        reopened.close()
        #expect(try committedIDs(path).count == 21)
    }

    @Test func submitAndWaitRethrowsTheItemsOwnError() throws {
        let directory = try SQLiteTestDirectory()
        let writer = try StoreWriter(path: directory.file("store.db"))
        try writer.submitAndWait(Self.insert("dup"))
        let error = try #require(throws: SQLiteError.self) {
            try writer.submitAndWait(Self.insert("dup"))
        }
        #expect(error.extendedCode == SQLITE_CONSTRAINT | (6 << 8))  // SQLITE_CONSTRAINT_PRIMARYKEY
        #expect(writer.statistics.committedItems == 1)
    }

    @Test func submitAndWaitFromTheWriterThreadThrowsInsteadOfDeadlocking() throws {
        let directory = try SQLiteTestDirectory()
        let writer = try StoreWriter(path: directory.file("store.db"))
        let error = try #require(throws: StoreWriterError.self) {
            try writer.submitAndWait { _ in try writer.submitAndWait(Self.insert("inner")) }
        }
        #expect(error.description.contains("deadlock"))
    }

    @Test func aFullQueueRefusesSubmissionsAtOnce() throws {
        let directory = try SQLiteTestDirectory()
        let writer = try StoreWriter(
            path: directory.file("store.db"), configuration: StoreWriterConfiguration(maxQueuedItems: 2))
        let gate = Gate()
        let outcomes = Outcomes()
        writer.submit(gate.park) { outcomes.record("gate", $0) }
        gate.entered.wait()
        writer.submit(Self.insert("1")) { outcomes.record("1", $0) }
        writer.submit(Self.insert("2")) { outcomes.record("2", $0) }
        let refused = Mutex<String?>(nil)
        writer.submit(Self.insert("3")) { result in
            if case .failure(let error) = result { refused.withLock { $0 = "\(error)" } }
        }
        #expect(refused.withLock { $0 } == "the store writer queue is full (2 items waiting)")
        gate.release.signal()
        writer.close()
        #expect(outcomes.snapshot == ["gate": [true], "1": [true], "2": [true]])
    }

    @Test func reservedRoomCountsAgainstTheBoundAndItsItemIsNeverRefused() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let writer = try StoreWriter(path: path, configuration: StoreWriterConfiguration(maxQueuedItems: 2))
        let gate = Gate()
        let outcomes = Outcomes()
        writer.submit(gate.park) { outcomes.record("gate", $0) }
        gate.entered.wait()
        #expect(writer.reserve() == nil)
        writer.submit(Self.insert("1")) { outcomes.record("1", $0) }
        // The reserved room and one queued item fill the queue: a third is refused, reserved or not.
        #expect(writer.reserve()?.description == "the store writer queue is full (2 items waiting)")
        writer.submit(Self.insert("2")) { outcomes.record("2", $0) }
        writer.enqueue(reserved: Self.insert("reserved")) { outcomes.record("reserved", $0) }
        gate.release.signal()
        writer.close()
        #expect(outcomes.snapshot == ["gate": [true], "1": [true], "2": [false], "reserved": [true]])
        #expect(try committedIDs(path) == ["1", "reserved"])
        #expect(writer.reserve()?.description == "the store writer is closed")
    }

    @Test func aClosingWriterWaitsForTheItemOfRoomReservedBeforeTheClose() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let writer = try StoreWriter(path: path)
        #expect(writer.reserve() == nil)
        let closer = DispatchGroup()
        DispatchQueue.global().async(group: closer) { writer.close() }
        // Close has begun (new room is refused) but cannot finish before the reserved item is in.
        while writer.reserve() == nil {
            writer.enqueue(reserved: Self.insert("early")) { _ in }
            sched_yield()
        }
        #expect(closer.wait(timeout: .now() + .milliseconds(200)) == .timedOut)
        let outcomes = Outcomes()
        writer.enqueue(reserved: Self.insert("promised")) { outcomes.record("promised", $0) }
        closer.wait()
        #expect(outcomes.snapshot == ["promised": [true]])
        #expect(try committedIDs(path).contains("promised"))
    }

    @Test func batchesNeverExceedMaxBatchItems() throws {
        let directory = try SQLiteTestDirectory()
        let writer = try StoreWriter(
            path: directory.file("store.db"), configuration: StoreWriterConfiguration(maxBatchItems: 8))
        let gate = Gate()
        writer.submit(gate.park) { _ in }
        gate.entered.wait()
        for item in 0..<50 {
            writer.submit(Self.insert("b\(item)")) { _ in }
        }
        gate.release.signal()
        writer.close()
        #expect(writer.statistics.largestBatch == 8)
        #expect(writer.statistics.committedItems == 51)
        #expect(writer.statistics.commits == 1 + 7)
    }

    @Test func withoutABackgroundCheckpointerRunsAPassiveCheckpointEveryConfiguredNumberOfCommitsAndATruncateAtClose()
        throws
    {
        let directory = try SQLiteTestDirectory()
        let writer = try StoreWriter(
            path: directory.file("store.db"),
            configuration: StoreWriterConfiguration(checkpointEveryCommits: 2, backgroundCheckpointPages: 0))
        for item in 0..<6 {
            try writer.submitAndWait(Self.insert("c\(item)"))
        }
        writer.close()
        #expect(writer.statistics.commits == 6)
        #expect(writer.statistics.checkpoints == 4)
    }

    @Test func withoutABackgroundCheckpointerSQLiteAutoCheckpointsAtTheConfiguredWALLength() throws {
        let directory = try SQLiteTestDirectory()
        for pages in [StoreWriterConfiguration().walAutocheckpointPages, 16] {
            let configuration = StoreWriterConfiguration(walAutocheckpointPages: pages, backgroundCheckpointPages: 0)
            let writer = try StoreWriter(path: directory.file("store.db"), configuration: configuration)
            let applied = Mutex<Int64?>(nil)
            try writer.submitAndWait { connection in
                let value = try connection.query("PRAGMA wal_autocheckpoint").first?.first?.integerValue
                applied.withLock { $0 = value }
            }
            writer.close()
            #expect(applied.withLock { $0 } == Int64(pages))
        }
    }

    @Test func backgroundCheckpointerCopiesTheWALBackWhileTheWriterKeepsCommitting() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let configuration = StoreWriterConfiguration(
            checkpointEveryCommits: 0, walAutocheckpointPages: 1_000_000, backgroundCheckpointPages: 2)
        let writer = try StoreWriter(path: path, configuration: configuration)
        for item in 0..<40 {
            try writer.submitAndWait(Self.insert("bg\(item)"))
        }
        // The runs are asynchronous: wait (bounded) for the first one to be counted.
        for _ in 0..<500 where writer.statistics.checkpoints == 0 { usleep(10_000) }
        #expect(writer.statistics.checkpoints >= 1)
        let background = writer.statistics.checkpoints
        writer.close()
        #expect(writer.statistics.checkpoints >= background + 1)
        #expect(directory.size(of: "store.db-wal") ?? 0 == 0)
        let reopened = try StoreWriter(path: path)
        defer { reopened.close() }
        let count = Mutex<Int64?>(nil)
        try reopened.submitAndWait { connection in
            let value = try connection.query("SELECT count(*) FROM processed_events").first?.first?.integerValue
            count.withLock { $0 = value }
        }
        #expect(count.withLock { $0 } == 40)
    }

    @Test func refusesToOpenADatabaseNewerThanTheCode() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let future = SchemaMigration(version: StoreSchema.migrations.count + 1, name: "future", sql: "SELECT 1")
        let configuration = StoreWriterConfiguration(migrations: StoreSchema.migrations + [future])
        try StoreWriter(path: path, configuration: configuration).close()
        let error = try #require(throws: SchemaMigrationError.self) {
            _ = try StoreWriter(path: path)
        }
        #expect(error == .databaseNewerThanCode(path: path, found: future.version, supported: future.version - 1))
    }
}
