import CSQLite
import Testing

struct CSQLiteTests {
    @Test func opensInMemoryDatabaseAndSelectsSQLiteVersion() throws {
        var database: OpaquePointer?
        #expect(sqlite3_open(":memory:", &database) == SQLITE_OK)
        defer { sqlite3_close_v2(database) }
        var statement: OpaquePointer?
        #expect(sqlite3_prepare_v2(database, "select sqlite_version()", -1, &statement, nil) == SQLITE_OK)
        defer { sqlite3_finalize(statement) }
        #expect(sqlite3_step(statement) == SQLITE_ROW)
        let version = try #require(sqlite3_column_text(statement, 0).map { String(cString: $0) })
        #expect(version == String(cString: sqlite3_libversion()))
        #expect(version.hasPrefix("3."))
    }

    @Test func transientDestructorMakesSQLiteCopyBoundText() throws {
        var database: OpaquePointer?
        #expect(sqlite3_open(":memory:", &database) == SQLITE_OK)
        defer { sqlite3_close_v2(database) }
        var statement: OpaquePointer?
        #expect(sqlite3_prepare_v2(database, "select ?", -1, &statement, nil) == SQLITE_OK)
        defer { sqlite3_finalize(statement) }
        do {
            var scratch = Array("copied".utf8CString)
            #expect(sqlite3_bind_text(statement, 1, &scratch, -1, csqlite_transient()) == SQLITE_OK)
            scratch.withUnsafeMutableBufferPointer { buffer in
                for index in buffer.indices { buffer[index] = 0 }
            }
        }
        #expect(sqlite3_step(statement) == SQLITE_ROW)
        let text = try #require(sqlite3_column_text(statement, 0).map { String(cString: $0) })
        #expect(text == "copied")
    }
}
