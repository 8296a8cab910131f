import CSQLite
import FeatureEnrich
import Testing

struct SQLiteConnectionTests {
    struct BodyError: Error, Equatable {}

    private func makeTable(_ connection: SQLiteConnection) throws {
        try connection.execute("CREATE TABLE t (v INTEGER PRIMARY KEY)")
    }

    private func values(_ connection: SQLiteConnection) throws -> [Int64] {
        try connection.query("SELECT v FROM t ORDER BY v").compactMap { $0.first?.integerValue }
    }

    @Test func writingConnectionUsesWALNormalSyncForeignKeysAndBusyTimeout() throws {
        let directory = try SQLiteTestDirectory()
        let connection = try SQLiteConnection(path: directory.file("store.db"))
        #expect(try connection.journalMode() == "wal")
        #expect(try connection.query("PRAGMA synchronous") == [[.integer(1)]])
        #expect(try connection.query("PRAGMA foreign_keys") == [[.integer(1)]])
        #expect(try connection.query("PRAGMA busy_timeout") == [[.integer(5000)]])
    }

    @Test func synchronousFullAndBusyTimeoutAreConfigurable() throws {
        let directory = try SQLiteTestDirectory()
        let configuration = SQLiteConfiguration(synchronous: .full, busyTimeoutMilliseconds: 250)
        let connection = try SQLiteConnection(path: directory.file("store.db"), configuration: configuration)
        #expect(try connection.query("PRAGMA synchronous") == [[.integer(2)]])
        #expect(try connection.query("PRAGMA busy_timeout") == [[.integer(250)]])
    }

    @Test func readOnlyConnectionSeesCommittedWritesAndRefusesToWrite() throws {
        let directory = try SQLiteTestDirectory()
        let writer = try SQLiteConnection(path: directory.file("store.db"))
        try makeTable(writer)
        let reader = try SQLiteConnection(path: directory.file("store.db"), configuration: .readOnly)
        try writer.execute("INSERT INTO t VALUES (1)")
        #expect(try values(reader) == [1])
        let error = try #require(throws: SQLiteError.self) {
            try reader.execute("INSERT INTO t VALUES (2)")
        }
        #expect(error.code == SQLITE_READONLY)
        #expect(try reader.journalMode() == "wal")
    }

    @Test func transactionCommitsWhenBodyAsksForCommit() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try makeTable(connection)
        try connection.inTransaction {
            #expect(connection.isInTransaction)
            try connection.execute("INSERT INTO t VALUES (1)")
            return .commit
        }
        #expect(!connection.isInTransaction)
        #expect(try values(connection) == [1])
    }

    @Test func transactionRollsBackWhenBodyAsksForRollback() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try makeTable(connection)
        try connection.inTransaction {
            try connection.execute("INSERT INTO t VALUES (1)")
            return .rollback
        }
        #expect(!connection.isInTransaction)
        #expect(try values(connection) == [])
    }

    @Test func transactionRollsBackOnThrowAndRethrowsTheBodyError() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try makeTable(connection)
        #expect(throws: BodyError()) {
            try connection.inTransaction {
                try connection.execute("INSERT INTO t VALUES (1)")
                throw BodyError()
            }
        }
        #expect(!connection.isInTransaction)
        #expect(try values(connection) == [])
    }

    @Test func statementErrorInBodyRollsBackAndIsRethrownUnchanged() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try makeTable(connection)
        let error = try #require(throws: SQLiteError.self) {
            try connection.inTransaction {
                try connection.execute("INSERT INTO t VALUES (1)")
                try connection.execute("INSERT INTO t VALUES (1)")  // UNIQUE violation
                return .commit
            }
        }
        #expect(error.extendedCode == SQLITE_CONSTRAINT | (6 << 8))  // SQLITE_CONSTRAINT_PRIMARYKEY
        #expect(!connection.isInTransaction)
        #expect(try values(connection) == [])
    }

    @Test func transactionsDoNotNestAndSayWhy() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        let error = try #require(throws: SQLiteError.self) {
            try connection.inTransaction {
                try connection.inTransaction { .commit }
                return .commit
            }
        }
        #expect(error.message.contains("cannot start a transaction within a transaction"))
        #expect(!connection.isInTransaction)
    }

    @Test func savepointsNestAndRollBackOnlyTheInnerWork() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try makeTable(connection)
        try connection.inTransaction {
            try connection.execute("INSERT INTO t VALUES (1)")
            try connection.inSavepoint {
                try connection.execute("INSERT INTO t VALUES (2)")
                #expect(throws: BodyError()) {
                    try connection.inSavepoint {
                        try connection.execute("INSERT INTO t VALUES (3)")
                        throw BodyError()
                    }
                }
                try connection.inSavepoint {
                    try connection.execute("INSERT INTO t VALUES (4)")
                    return .rollback
                }
                try connection.inSavepoint {
                    try connection.execute("INSERT INTO t VALUES (5)")
                    return .commit
                }
                return .commit
            }
            return .commit
        }
        #expect(try values(connection) == [1, 2, 5])
    }

    @Test func savepointOutsideATransactionCommitsOnRelease() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try makeTable(connection)
        try connection.inSavepoint {
            try connection.execute("INSERT INTO t VALUES (9)")
            return .commit
        }
        #expect(!connection.isInTransaction)
        #expect(try values(connection) == [9])
    }

    @Test func reportsLastInsertRowIDAndChanges() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE n (id INTEGER PRIMARY KEY, v INTEGER)")
        try connection.execute("INSERT INTO n (v) VALUES (10), (20), (30)")
        #expect(connection.lastInsertRowID == 3)
        #expect(connection.changes == 3)
        try connection.execute("UPDATE n SET v = v + 1 WHERE v > 15")
        #expect(connection.changes == 2)
    }

    @Test func cachedStatementIsCompiledOnceAndHandedOutReset() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        let first = try connection.cachedStatement(sql: "SELECT ?")
        try first.bind(Int64(1), at: 1)
        #expect(try first.step())
        let second = try connection.cachedStatement(sql: "SELECT ?")
        #expect(first === second)
        #expect(try second.step())
        #expect(second.value(at: 0) == .null)
        #expect(connection.cachedStatementCount == 1)
    }

    @Test func statementCacheStaysWithinItsLimit() throws {
        let connection = try SQLiteConnection(
            path: ":memory:", configuration: SQLiteConfiguration(maxCachedStatements: 4))
        for value in 0..<10 {
            #expect(try connection.query("SELECT \(value)") == [[.integer(Int64(value))]])
            #expect(connection.cachedStatementCount <= 4)
        }
    }

    @Test func truncateCheckpointEmptiesTheWAL() throws {
        let directory = try SQLiteTestDirectory()
        let connection = try SQLiteConnection(path: directory.file("store.db"))
        try makeTable(connection)
        for value in 1...50 {
            try connection.execute("INSERT INTO t VALUES (\(value))")
        }
        #expect((directory.size(of: "store.db-wal") ?? 0) > 0)
        let passive = try connection.checkpoint(mode: .passive)
        #expect(passive.isComplete)
        #expect(passive.checkpointedFrames == passive.walFrames)
        let truncate = try connection.checkpoint(mode: .truncate)
        #expect(truncate.isComplete)
        #expect(truncate.walFrames == 0)
        #expect(directory.size(of: "store.db-wal") == 0)
        #expect(try values(connection).count == 50)
    }

    @Test func checkpointOnInMemoryDatabaseReportsNoWAL() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        let result = try connection.checkpoint(mode: .passive)
        #expect(result.walFrames == -1)
    }
}
