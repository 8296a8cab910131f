import FeatureEnrich
import Testing

struct PreparedStatementTests {
    static let storedValues: [SQLiteValue] = [
        .null,
        .integer(0), .integer(Int64.min), .integer(Int64.max),
        .real(-0.5), .real(1e300), .real(Double.leastNonzeroMagnitude),
        .text(""), .text("plain"), .text("héllo wörld 🌍 日本語"), .text("nul\u{0}inside"),
        .blob([]), .blob([0]), .blob([1, 0, 2, 0, 255]),
    ]

    @Test(arguments: storedValues)
    func roundTripsValueInItsStorageClass(value: SQLiteValue) throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE t (v)")
        try connection.prepare(sql: "INSERT INTO t (v) VALUES (?)").execute([value])
        let rows = try connection.query("SELECT v, typeof(v) FROM t")
        #expect(rows.count == 1)
        #expect(rows.first?.first == value)
        let expectedType: String =
            switch value {
            case .null: "null"
            case .integer: "integer"
            case .real: "real"
            case .text: "text"
            case .blob: "blob"
            }
        #expect(rows.first?.last == .text(expectedType))
    }

    @Test func borrowedTextAndBytesAreStoredAsTextAndBlobIncludingEmptyOnes() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE t (s TEXT, b BLOB)")
        let insert = try connection.prepare(sql: "INSERT INTO t VALUES (?, ?)")
        for (text, bytes) in [("{\"a\":1} é", [UInt8]([0, 9, 255])), ("", [])] {
            let utf8 = Array(text.utf8)
            try utf8.withUnsafeBytes { utf8 in
                try bytes.withUnsafeBytes { bytes in
                    try insert.bind(borrowedUTF8: utf8, at: 1)
                    try insert.bind(borrowedBytes: bytes, at: 2)
                    while try insert.step() {}
                    insert.reset()
                }
            }
        }
        #expect(
            try connection.query("SELECT s, b, typeof(s), typeof(b) FROM t ORDER BY rowid") == [
                [.text("{\"a\":1} é"), .blob([0, 9, 255]), .text("text"), .text("blob")],
                [.text(""), .blob([]), .text("text"), .text("blob")],
            ])
    }

    @Test func typedBindersMatchTypedColumnReaders() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE t (i INTEGER, d REAL, s TEXT, b BLOB, n)")
        let insert = try connection.prepare(sql: "INSERT INTO t VALUES (?, ?, ?, ?, ?)")
        try insert.bind(Int64(-42), at: 1)
        try insert.bind(2.25, at: 2)
        try insert.bind("ünï\u{0}cödé", at: 3)
        try insert.bind(bytes: [0, 0, 7], at: 4)
        try insert.bindNull(at: 5)
        #expect(try insert.step() == false)

        let select = try connection.prepare(sql: "SELECT i, d, s, b, n FROM t")
        #expect(try select.step())
        #expect(select.int64(at: 0) == -42)
        #expect(select.double(at: 1) == 2.25)
        #expect(select.text(at: 2) == "ünï\u{0}cödé")
        #expect(select.blob(at: 3) == [0, 0, 7])
        #expect(select.isNull(at: 4))
        #expect(!select.isNull(at: 0))
        #expect(try select.step() == false)
    }

    @Test func reportsColumnCountNamesAndParameterCount() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        let statement = try connection.prepare(sql: "SELECT 1 AS one, ? AS two, ?3 AS three")
        #expect(statement.columnCount == 3)
        #expect((0..<3).map { statement.columnName(at: $0) } == ["one", "two", "three"])
        #expect(statement.parameterCount == 3)
    }

    @Test func emptyBlobAndEmptyTextAreNotNull() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        let rows = try connection.query("SELECT ? IS NULL, length(?), ? IS NULL", [.blob([]), .blob([]), .text("")])
        #expect(rows == [[.integer(0), .integer(0), .integer(0)]])
    }

    @Test func resetKeepsBindingsAndClearBindingsSetsThemToNull() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        let statement = try connection.prepare(sql: "SELECT ?")
        try statement.bind(Int64(7), at: 1)
        #expect(try statement.step())
        #expect(statement.value(at: 0) == .integer(7))
        statement.reset()
        #expect(try statement.step())
        #expect(statement.value(at: 0) == .integer(7))
        statement.reset()
        statement.clearBindings()
        #expect(try statement.step())
        #expect(statement.value(at: 0) == .null)
    }

    @Test func executeRunsTheSameStatementManyTimes() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE t (v INTEGER)")
        let insert = try connection.prepare(sql: "INSERT INTO t VALUES (?)")
        for value in 1...5 {
            try insert.execute([.integer(Int64(value))])
        }
        #expect(try connection.query("SELECT sum(v), count(*) FROM t") == [[.integer(15), .integer(5)]])
    }

    @Test func rowReturnsEveryColumnOfTheCurrentRow() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        let statement = try connection.prepare(sql: "SELECT 1, 'a', NULL, x'00ff', 1.5")
        #expect(try statement.step())
        #expect(statement.row() == [.integer(1), .text("a"), .null, .blob([0, 255]), .real(1.5)])
    }
}
