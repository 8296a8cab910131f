import Testing

@testable import FeatureEnrich

/// ``PendingStates`` driven batch by batch as ``StoreWriterLoop`` drives it (items, `beforeCommit`, COMMIT,
/// `batchEnded`), on a real SQLite file with the store's schema: which states wait, what a round writes, and
/// when an idle writer still has deferred work.
struct PendingStatesTests {
    /// A migrated store file and its writing connection.
    static func connection(_ directory: SQLiteTestDirectory) throws -> SQLiteConnection {
        let path = directory.file("store.db")
        try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()]).close()
        return try SQLiteConnection(path: path)
    }

    /// Gives every key the same committed state, including the log up to seq 7 (the store's own source reads
    /// memory, evictions and the disk: SQLiteOnlineStoreWriteBehindTests).
    struct FixedStateSource: CommittedStateSource {
        func committedState(
            of key: StoreShard.Key, connection: SQLiteConnection, rebuildsInFlight: Bool
        ) throws -> CommittedState {
            .state([1, 2, 3], throughSeq: 7)
        }
    }

    /// A ``PendingStates`` of "transactions" that flushes past `maxPending` states (not on time).
    static func pending(maxPending: Int) -> PendingStates {
        let pending = PendingStates(
            featureSets: ["transactions"], flushIntervalMilliseconds: 3_600_000, maxPending: maxPending)
        pending.source = FixedStateSource()
        return pending
    }

    static func key(_ index: Int) -> StoreShard.Key {
        StoreShard.Key(featureSet: 0, entity: "k\(index)")
    }

    /// One committed batch of `items`, each kept, as the writer loop runs it.
    static func commit(
        _ connection: SQLiteConnection, _ pending: PendingStates, _ items: [(SQLiteConnection) throws -> Void]
    ) throws {
        try connection.beginImmediateTransaction()
        for item in items {
            try item(connection)
            pending.itemEnded(kept: true)
        }
        try pending.beforeCommit(connection, closing: false)
        try connection.commitTransaction()
        pending.batchEnded(committed: true)
    }

    /// A batch of one item staging the states of keys `range`.
    static func stage(
        _ range: Range<Int>, _ connection: SQLiteConnection, _ pending: PendingStates, throughSeq: Int64
    ) throws {
        try commit(
            connection, pending,
            [
                { _ in
                    for index in range { pending.stage(key(index), throughSeq: throughSeq) }
                }
            ])
    }

    @Test func aRoundStartedPastTheMaximumWritesOneChunkPerCommit() throws {
        let directory = try SQLiteTestDirectory()
        let connection = try Self.connection(directory)
        let pending = Self.pending(maxPending: 2)
        try Self.stage(0..<100, connection, pending, throughSeq: 7)
        // The batch that went past the maximum started the round and wrote its first chunk (one item: 32).
        #expect(pending.count == 100 - pending.chunk(items: 1))
        #expect(try connection.count("SELECT COUNT(*) FROM entity_state WHERE through_seq = 7") == 32)
        #expect(pending.deferredWorkDelayMicroseconds == 0)
    }

    @Test func aRoundOfManyKeysSortsOneRunPerCommitBeforeItWritesAnyThenWritesThemAll() throws {
        let directory = try SQLiteTestDirectory()
        let connection = try Self.connection(directory)
        let pending = Self.pending(maxPending: 2)
        let count = 2 * PendingStates.sortRunLength + 10
        // The batch past the maximum starts the round and sorts its first run only: nothing is written yet.
        try Self.stage(0..<count, connection, pending, throughSeq: 7)
        #expect(pending.count == count)
        #expect(try connection.count("SELECT COUNT(*) FROM entity_state") == 0)
        #expect(pending.deferredWorkDelayMicroseconds == 0)
        // The next idle commit sorts the second run, the third sorts the last and writes a first chunk.
        try Self.commit(connection, pending, [])
        #expect(try connection.count("SELECT COUNT(*) FROM entity_state") == 0)
        try Self.commit(connection, pending, [])
        #expect(try connection.count("SELECT COUNT(*) FROM entity_state") == Int64(pending.chunk(items: 0)))
        var commits = 0
        while pending.count > 0 && commits < count {
            try Self.commit(connection, pending, [])
            commits += 1
        }
        #expect(pending.count == 0)
        #expect(try connection.count("SELECT COUNT(*) FROM entity_state WHERE through_seq = 7") == Int64(count))
        #expect(try connection.count("SELECT through_seq FROM state_flush_marks") == 0)
    }

    @Test func aFullFlushDuringARoundLeavesAnIdleWriterNothingToDo() throws {
        let directory = try SQLiteTestDirectory()
        let connection = try Self.connection(directory)
        let pending = Self.pending(maxPending: 2)
        try Self.stage(0..<100, connection, pending, throughSeq: 7)
        // Batch ingestion or warm-up flushes everything while the round still has keys to write.
        try Self.commit(connection, pending, [{ connection in try pending.flush(connection, now: 0) }])
        #expect(pending.count == 0)
        #expect(try connection.count("SELECT COUNT(*) FROM entity_state WHERE through_seq = 7") == 100)
        // Nothing waits: the idle writer must not commit empty batches back to back (it spun forever).
        #expect(pending.deferredWorkDelayMicroseconds == nil)
    }

    @Test func writesThroughOfEveryKeyOfARoundLeaveAnIdleWriterNothingToDo() throws {
        let directory = try SQLiteTestDirectory()
        let connection = try Self.connection(directory)
        let pending = Self.pending(maxPending: 2)
        try Self.stage(0..<100, connection, pending, throughSeq: 7)
        // Feast `to: online` pushes (or `to: offline` ones) write every remaining key's row themselves.
        try Self.commit(connection, pending, [{ _ in for index in 0..<100 { pending.markWritten(Self.key(index)) } }])
        #expect(pending.count == 0)
        #expect(pending.deferredWorkDelayMicroseconds == nil)
        // A later state starts the next round only after the interval (or past the maximum).
        try Self.stage(200..<201, connection, pending, throughSeq: 9)
        #expect(pending.count == 1)
        #expect(try connection.count("SELECT COUNT(*) FROM entity_state WHERE entity_key = 'k200'") == 0)
        #expect((pending.deferredWorkDelayMicroseconds ?? 0) > 1_000_000)
    }

    @Test func aRoundWhoseCommitFailsIsRetriedFromTheSameKeysAndMark() throws {
        let directory = try SQLiteTestDirectory()
        let connection = try Self.connection(directory)
        let pending = Self.pending(maxPending: 2)
        try Self.stage(0..<100, connection, pending, throughSeq: 7)
        try connection.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON entity_state BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        try connection.beginImmediateTransaction()
        #expect(throws: (any Error).self) { try pending.beforeCommit(connection, closing: false) }
        try connection.rollbackTransaction()
        pending.batchEnded(committed: false)
        #expect(pending.count == 68)
        #expect(pending.deferredWorkDelayMicroseconds == PendingStates.retryDelayMicroseconds)
        try connection.execute("DROP TRIGGER refuse")
        // Idle commits (64 states each) finish the round; its mark is the log's MAX(seq) when it started (0).
        try Self.commit(connection, pending, [])
        try Self.commit(connection, pending, [])
        #expect(pending.count == 0)
        #expect(pending.deferredWorkDelayMicroseconds == nil)
        #expect(try connection.count("SELECT COUNT(*) FROM entity_state WHERE through_seq = 7") == 100)
        #expect(try connection.count("SELECT through_seq FROM state_flush_marks") == 0)
    }

    @Test func mayBeBehindNamesExactlyTheKeysWhoseCommittedStateIsNotWritten() throws {
        let directory = try SQLiteTestDirectory()
        let connection = try Self.connection(directory)
        let pending = Self.pending(maxPending: 1_000)
        // Before this store staged anything, another process may have left any row behind the log.
        #expect(pending.mayBeBehind(Self.key(0)))
        try Self.stage(0..<3, connection, pending, throughSeq: 4)
        #expect((0..<3).allSatisfy { pending.mayBeBehind(Self.key($0)) })
        #expect(!pending.mayBeBehind(Self.key(3)))
        // A rolled-back batch changes nothing; a kept one that writes a key's row through takes it out.
        try connection.beginImmediateTransaction()
        pending.stage(Self.key(5), throughSeq: 6)
        pending.itemEnded(kept: true)
        try connection.rollbackTransaction()
        pending.batchEnded(committed: false)
        #expect(!pending.mayBeBehind(Self.key(5)))
        try Self.commit(connection, pending, [{ _ in pending.markWritten(Self.key(1)) }])
        #expect(pending.mayBeBehind(Self.key(0)) && !pending.mayBeBehind(Self.key(1)))
        // A failed item's stage is forgotten even when its batch commits.
        try connection.beginImmediateTransaction()
        pending.stage(Self.key(7), throughSeq: 8)
        pending.itemEnded(kept: false)
        try connection.commitTransaction()
        pending.batchEnded(committed: true)
        #expect(!pending.mayBeBehind(Self.key(7)))
        // A full flush writes the rest.
        try Self.commit(connection, pending, [{ connection in try pending.flush(connection, now: 0) }])
        #expect(!(0..<8).contains { pending.mayBeBehind(Self.key($0)) })
        #expect(pending.count == 0)
    }
}
