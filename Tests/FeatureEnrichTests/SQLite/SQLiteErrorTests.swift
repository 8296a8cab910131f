import CSQLite
import FeatureEnrich
import Testing

struct SQLiteErrorTests {
    @Test func syntaxErrorCarriesCodeMessageAndSQL() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        let error = try #require(throws: SQLiteError.self) {
            _ = try connection.prepare(sql: "SELEC 1")
        }
        #expect(error.code == SQLITE_ERROR)
        #expect(error.message.contains("syntax error"))
        #expect(error.sql == "SELEC 1")
        #expect(error.description.hasPrefix("SQLite error 1 ("))
        #expect(error.description.hasSuffix("in \"SELEC 1\""))
    }

    @Test func uniqueViolationCarriesExtendedCodeAndNeverTheBoundValue() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE users (email TEXT UNIQUE)")
        let insert = try connection.prepare(sql: "INSERT INTO users (email) VALUES (?)")
        let secret = "alice.secret@example.com"
        try insert.execute([.text(secret)])
        let error = try #require(throws: SQLiteError.self) {
            try insert.execute([.text(secret)])
        }
        #expect(error.code == SQLITE_CONSTRAINT)
        #expect(error.extendedCode == SQLITE_CONSTRAINT | (8 << 8))  // SQLITE_CONSTRAINT_UNIQUE
        #expect(error.message.contains("UNIQUE constraint failed: users.email"))
        #expect(error.sql == "INSERT INTO users (email) VALUES (?)")
        #expect(error.description.contains("SQLite error 19/2067"))
        #expect(!error.description.contains(secret))
        #expect(!String(reflecting: error).contains(secret))
    }

    @Test(arguments: ["SELECT 1; SELECT 2", "", "  -- only a comment"])
    func preparingAnythingButExactlyOneStatementIsRefused(sql: String) throws {
        let connection = try SQLiteConnection(path: ":memory:")
        let error = try #require(throws: SQLiteError.self) {
            _ = try connection.prepare(sql: sql)
        }
        #expect(error.code == SQLITE_MISUSE)
        #expect(error.sql == sql)
    }

    @Test func trailingSemicolonAndWhitespaceStillMakeOneStatement() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        #expect(try connection.query("SELECT 1; \n ") == [[.integer(1)]])
    }

    @Test func executeReportsTheFailingSQL() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        let error = try #require(throws: SQLiteError.self) {
            try connection.execute("SELECT * FROM missing_table")
        }
        #expect(error.code == SQLITE_ERROR)
        #expect(error.message.contains("no such table: missing_table"))
        #expect(error.sql == "SELECT * FROM missing_table")
    }

    @Test func openingMissingFileReadOnlyFailsNamingThePath() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("absent.db")
        let error = try #require(throws: SQLiteError.self) {
            _ = try SQLiteConnection(path: path, configuration: .readOnly)
        }
        #expect(error.code == SQLITE_CANTOPEN)
        #expect(error.sql == nil)
        #expect(error.description.contains(path))
    }

    @Test func descriptionQuotesAtMostAnExcerptOfLongSQL() {
        let sql = "SELECT " + String(repeating: "x, ", count: 500) + "1"
        let error = SQLiteError.statementFailed(extendedCode: SQLITE_ERROR, message: "boom", sql: sql)
        #expect(error.description.count < SQLiteError.maxQuotedSQLLength + 60)
        #expect(error.description.contains("...\""))
        #expect(error.sql == sql)
    }
}
