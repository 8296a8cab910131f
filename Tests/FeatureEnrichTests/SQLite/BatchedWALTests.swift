import FeatureEnrich
import Foundation
import Testing

/// The `serving-batched-wal` VFS (``SQLiteConfiguration/batchesWALWrites``) of writing connections: the same
/// database as without it, fewer write calls.
struct BatchedWALTests {
    private let payload = [UInt8](repeating: 0xA5, count: 1_500)

    private func insertRows(_ connection: SQLiteConnection, from first: Int, count: Int) throws {
        let statement = try connection.cachedStatement(sql: "INSERT INTO t(id, payload) VALUES (?, ?)")
        for id in first..<(first + count) {
            try statement.execute([.integer(Int64(id)), .blob(payload + [UInt8(id % 251)])])
        }
    }

    /// A plain connection (no batching) over the file: what another process would read.
    private func plainCount(_ path: String) throws -> Int64? {
        let plain = try SQLiteConnection(path: path, configuration: SQLiteConfiguration(batchesWALWrites: false))
        #expect(try plain.query("PRAGMA integrity_check") == [[.text("ok")]])
        return try plain.query("SELECT COUNT(*) FROM t").first?.first?.integerValue
    }

    /// `write(2)` calls this thread made (the test's connection calls run on it), from `/proc/thread-self/io`.
    private func writeCallsOfThisThread() throws -> Int {
        let io = try String(contentsOfFile: "/proc/thread-self/io", encoding: .utf8)
        let line = io.split(separator: "\n").first { $0.hasPrefix("syscw:") }
        return Int(line?.split(separator: " ").last ?? "") ?? -1
    }

    @Test func commitsATransactionOfManyFramesLargerThanOneWriteCall() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let writer = try SQLiteConnection(path: path)
        try writer.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
        // ~3 MB in one commit: hundreds of frames, many buffer flushes of at most 124 KiB.
        try writer.inTransaction {
            try insertRows(writer, from: 0, count: 2_000)
            return .commit
        }
        let sample = try writer.query("SELECT payload FROM t WHERE id = 1234").first?.first?.blobValue
        #expect(sample == payload + [UInt8(1234 % 251)])
        #expect(try plainCount(path) == 2_000)
    }

    @Test func aReaderSeesEveryCommitAsItIsMade() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let writer = try SQLiteConnection(path: path)
        try writer.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
        let reader = try SQLiteConnection(path: path, configuration: .readOnly)
        for commit in 0..<20 {
            try writer.inTransaction {
                try insertRows(writer, from: commit * 37, count: 37)
                return .commit
            }
            let seen = try reader.query("SELECT COUNT(*), SUM(length(payload)) FROM t").first
            #expect(seen == [.integer(Int64((commit + 1) * 37)), .integer(Int64((commit + 1) * 37 * 1_501))])
        }
    }

    @Test func aRolledBackTransactionThatSpilledFramesLeavesTheDatabaseAsBefore() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let writer = try SQLiteConnection(path: path)
        try writer.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
        try insertRows(writer, from: 0, count: 10)
        // A tiny page cache makes the transaction write (spill) frames to the WAL before it ends.
        try writer.execute("PRAGMA cache_size = 10")
        try writer.inTransaction {
            try insertRows(writer, from: 10, count: 500)
            return .rollback
        }
        try insertRows(writer, from: 10, count: 3)
        #expect(try writer.query("SELECT COUNT(*) FROM t") == [[.integer(13)]])
        #expect(try plainCount(path) == 13)
    }

    @Test func survivesACheckpointAndRestartOfTheWAL() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let writer = try SQLiteConnection(path: path)
        try writer.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
        for round in 0..<5 {
            try insertRows(writer, from: round * 100, count: 100)
            // TRUNCATE empties the WAL: the next commit writes a new WAL header at offset 0.
            _ = try writer.query("PRAGMA wal_checkpoint(TRUNCATE)")
            #expect(directory.size(of: "store.db-wal") == 0)
        }
        #expect(try plainCount(path) == 500)
    }

    @Test func writesAManyFrameCommitWithFarFewerWriteCalls() throws {
        func writeCalls(batched: Bool) throws -> Int {
            let directory = try SQLiteTestDirectory()
            let writer = try SQLiteConnection(
                path: directory.file("store.db"), configuration: SQLiteConfiguration(batchesWALWrites: batched))
            try writer.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
            let before = try writeCallsOfThisThread()
            try writer.inTransaction {
                try insertRows(writer, from: 0, count: 200)  // ~80 pages
                return .commit
            }
            return try writeCallsOfThisThread() - before
        }
        let plain = try writeCalls(batched: false)
        let batched = try writeCalls(batched: true)
        // Two calls per frame without batching; one per 124 KiB with it.
        #expect(plain >= 160)
        #expect(batched <= plain / 10)
    }
}
