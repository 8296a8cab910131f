import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// Stores whose `event_log` mixes JSON rows (written before schema migration 5) and binary records build the
/// same training sets as all-binary ones, and an existing store migrates and keeps its JSON rows readable.
struct LoggedEventDecoderTests {
    /// Rewrites the logged events with `seq % modulus == remainder` as the JSON text the log held before
    /// migration 5 (the event time as RFC 3339 text, as a client may send it).
    static func rewriteAsJSON(_ path: String, modulus: Int64, remainder: Int64) throws -> Int {
        let connection = try SQLiteConnection(path: path)
        let rows = try connection.query(
            "SELECT seq, event FROM event_log WHERE seq % ? = ?", [.integer(modulus), .integer(remainder)])
        let update = try connection.prepare(sql: "UPDATE event_log SET event = ? WHERE seq = ?")
        for row in rows {
            let object = try #require(row.count == 2 ? FeatureEventDecoder.loggedObject(row[1]) : nil)
            try update.execute([.text(JSONWriter.string(object)), row[0]])
        }
        return rows.count
    }

    static func formats(_ path: String) throws -> [[SQLiteValue]] {
        try SQLiteConnection(path: path).query(
            "SELECT typeof(event), COUNT(*) FROM event_log GROUP BY 1 ORDER BY 1")
    }

    static func csv(_ path: String, _ table: EntityTable, scanMinimumKeys: Int) throws -> String {
        TrainingSetScanTests.csv(
            try TrainingSetScanTests.build(
                path, table, cutoff: .inclusive, scanMinimumKeys: scanMinimumKeys, scanThreads: 2))
    }

    @Test(arguments: [0, Int.max])
    func aLogMixingJSONRowsAndBinaryRecordsBuildsTheSameTrainingSet(scanMinimumKeys: Int) throws {
        let directory = try SQLiteTestDirectory()
        let (path, table) = try TrainingSetScanTests.fixture(directory)
        let binary = try Self.csv(path, table, scanMinimumKeys: scanMinimumKeys)
        let rewritten = try Self.rewriteAsJSON(path, modulus: 3, remainder: 1)
        let formats = try Self.formats(path)
        #expect(formats.map(\.first) == [.text("blob"), .text("text")])
        #expect(formats.last?.last == .integer(Int64(rewritten)))
        #expect(try Self.csv(path, table, scanMinimumKeys: scanMinimumKeys) == binary)
    }

    @Test func aStoreWrittenBeforeMigrationFiveMigratesAndKeepsItsJSONRowsReadable() throws {
        let directory = try SQLiteTestDirectory()
        let (path, table) = try TrainingSetScanTests.fixture(directory)
        let migrated = directory.file("old.db")
        try FileManager.default.copyItem(atPath: path, toPath: migrated)
        // What schema 4 left behind: every event as JSON text, no version 5.
        _ = try Self.rewriteAsJSON(migrated, modulus: 1, remainder: 0)
        try SQLiteConnection(path: migrated).execute("DELETE FROM schema_version WHERE version = 5")
        #expect(try Self.formats(migrated).map(\.first) == [.text("text")])
        #expect(try Self.csv(migrated, table, scanMinimumKeys: 0) == Self.csv(path, table, scanMinimumKeys: 0))

        var later: [Value] = []
        for index in 0..<12 {
            let time: Int64 = TrainingSetBuilderTests.base + Int64(400 + index) * TrainingSetBuilderTests.minute
            let note: String? = index % 2 == 0 ? "late \(index)" : nil
            later.append(TrainingSetBuilderTests.event("k\(index % 4)", time, Double(index) * 1.25, note: note))
        }
        for file in [path, migrated] {
            let store = try SQLiteOnlineStore(
                path: file, featureSets: [try FeatureSetDefinition(jsonText: TrainingSetBuilderTests.featureSetJSON)])
            _ = try store.ingestAndWait(later, into: "tx")
            store.close()
        }
        #expect(
            try SQLiteConnection(path: migrated).query("SELECT MAX(version) FROM schema_version") == [
                [.integer(Int64(StoreSchema.migrator.latestVersion))]
            ])
        #expect(try Self.formats(migrated).map { $0.first } == [.text("blob"), .text("text")])
        #expect(try Self.formats(migrated).first?.last == .integer(Int64(later.count)))
        let shift: Int64 = 300 * TrainingSetBuilderTests.minute
        let rows: [(key: String, time: Int64)] = table.rows.map { row in (row.fields[0], row.time + shift) }
        let laterTable = TrainingSetBuilderTests.table(rows)
        for scanMinimumKeys in [0, Int.max] {
            let expected = try Self.csv(path, laterTable, scanMinimumKeys: scanMinimumKeys)
            #expect(try Self.csv(migrated, laterTable, scanMinimumKeys: scanMinimumKeys) == expected)
        }
    }

    @Test func rebuildFromALogMixingJSONRowsAndBinaryRecordsEqualsAFreshStore() throws {
        let directory = try SQLiteTestDirectory()
        let events = SQLiteOnlineStoreDurabilityTests.events(count: 600, keys: 16, seed: 5)
        let path = directory.file("store.db")
        do {
            let store = try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()])
            _ = try store.ingestAndWait(events, into: "transactions")
            store.close()
        }
        #expect(try Self.rewriteAsJSON(path, modulus: 2, remainder: 0) == 300)
        let rebuilt = try SQLiteOnlineStore(
            path: path, featureSets: [StoreFixture.changedTransactions()], rebuild: true)
        let fresh = try SQLiteOnlineStore(
            path: directory.file("fresh.db"), featureSets: [StoreFixture.changedTransactions()])
        _ = try fresh.ingestAndWait(events, into: "transactions")
        let time = StoreFixture.base + 3_000
        let keys = SQLiteOnlineStoreDurabilityTests.keys
        let rows = try StoreFixture.rows(rebuilt, keys: keys, at: time)
        #expect(rows == (try StoreFixture.rows(fresh, keys: keys, at: time)))
        #expect(rows["k0"]?["amount_count_2h"] != nil)
    }
}
