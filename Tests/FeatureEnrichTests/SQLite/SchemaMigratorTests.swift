import CSQLite
import FeatureEnrich
import Testing

struct SchemaMigratorTests {
    static let first = SchemaMigration(version: 1, name: "create a", sql: "CREATE TABLE a (x INTEGER)")
    static let second = SchemaMigration(
        version: 2, name: "create b", sql: "CREATE TABLE b (y TEXT); INSERT INTO a VALUES (42)")
    static let broken = SchemaMigration(version: 2, name: "broken", sql: "CREATE TABLE a (x INTEGER)")

    private func tables(_ connection: SQLiteConnection) throws -> Set<String> {
        Set(
            try connection.query("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")
                .compactMap { $0.first?.textValue })
    }

    @Test func migratesANewDatabaseToTheStoreSchema() throws {
        let directory = try SQLiteTestDirectory()
        let connection = try SQLiteConnection(path: directory.file("store.db"))
        let outcome = try StoreSchema.migrator.migrate(connection, nowMilliseconds: 1_700_000_000_000)
        #expect(outcome == SchemaMigrator.Outcome(fromVersion: 0, toVersion: StoreSchema.migrator.latestVersion))
        #expect(
            try tables(connection).isSuperset(of: [
                "schema_version", "feature_sets", "entity_state", "event_log", "event_log_keys", "log_index_mark",
                "feature_stats", "processed_events", "feature_set_versions", "feature_violations",
                "state_flush_marks", "event_log_keys_recent", "log_key_runs",
            ]))
        #expect(
            try connection.query("SELECT version, name, applied_at_ms FROM schema_version") == [
                [.integer(1), .text("create online and offline store tables"), .integer(1_700_000_000_000)],
                [.integer(2), .text("keep every registered definition of a feature set"), .integer(1_700_000_000_000)],
                [.integer(3), .text("count nulls per feature and validator violations"), .integer(1_700_000_000_000)],
                [.integer(4), .text("store entity states in a rowid table"), .integer(1_700_000_000_000)],
                [.integer(5), .text("log new events as binary records"), .integer(1_700_000_000_000)],
                [.integer(6), .text("write entity states behind the event log"), .integer(1_700_000_000_000)],
                [.integer(7), .text("index the event log behind it"), .integer(1_700_000_000_000)],
                [
                    .integer(8), .text("index the event log in recent runs merged behind"),
                    .integer(1_700_000_000_000),
                ],
            ])
    }

    @Test func reopeningAMigratedDatabaseChangesNothing() throws {
        let directory = try SQLiteTestDirectory()
        do {
            let connection = try SQLiteConnection(path: directory.file("store.db"))
            try StoreSchema.migrator.migrate(connection, nowMilliseconds: 1)
        }
        let connection = try SQLiteConnection(path: directory.file("store.db"))
        let outcome = try StoreSchema.migrator.migrate(connection, nowMilliseconds: 2)
        #expect(outcome.fromVersion == outcome.toVersion)
        #expect(
            try connection.query("SELECT count(*), max(applied_at_ms) FROM schema_version") == [
                [.integer(Int64(StoreSchema.migrations.count)), .integer(1)]
            ])
    }

    @Test func migrationThreeAddsNullCountsToExistingStatisticsRows() throws {
        let directory = try SQLiteTestDirectory()
        let connection = try SQLiteConnection(path: directory.file("store.db"))
        try SchemaMigrator(migrations: Array(StoreSchema.migrations.prefix(2))).migrate(connection, nowMilliseconds: 1)
        try connection.execute(
            "INSERT INTO feature_stats(feature_set, feature, count, mean, m2, min, max) VALUES ('s', 'x', 2, 1, 0, 1, 1)"
        )
        let outcome = try StoreSchema.migrator.migrate(connection, nowMilliseconds: 2)
        #expect(outcome == SchemaMigrator.Outcome(fromVersion: 2, toVersion: StoreSchema.migrator.latestVersion))
        #expect(try connection.query("SELECT count, null_count FROM feature_stats") == [[.integer(2), .integer(0)]])
        #expect(try connection.query("SELECT COUNT(*) FROM feature_violations") == [[.integer(0)]])
    }

    @Test func migrationFourKeepsEveryEntityStateInARowidTable() throws {
        let directory = try SQLiteTestDirectory()
        let connection = try SQLiteConnection(path: directory.file("store.db"))
        try SchemaMigrator(migrations: Array(StoreSchema.migrations.prefix(3))).migrate(connection, nowMilliseconds: 1)
        let insert = try connection.prepare(
            sql: "INSERT INTO entity_state (feature_set, entity_key, state, updated_at_ms) VALUES (?, ?, ?, ?)")
        try insert.execute([.text("transactions"), .text("b"), .blob([2, 2]), .integer(7)])
        try insert.execute([.text("transactions"), .text("a"), .blob([1]), .integer(5)])
        let outcome = try StoreSchema.migrator.migrate(connection, nowMilliseconds: 2)
        #expect(outcome == SchemaMigrator.Outcome(fromVersion: 3, toVersion: StoreSchema.migrator.latestVersion))
        #expect(
            try connection.query("SELECT feature_set, entity_key, state, updated_at_ms FROM entity_state ORDER BY 2")
                == [
                    [.text("transactions"), .text("a"), .blob([1]), .integer(5)],
                    [.text("transactions"), .text("b"), .blob([2, 2]), .integer(7)],
                ])
        // A WITHOUT ROWID table has no rowid column; the migrated table does, in key order.
        #expect(
            try connection.query("SELECT rowid FROM entity_state ORDER BY entity_key") == [
                [.integer(1)], [.integer(2)],
            ])
        #expect(try !tables(connection).contains("entity_state_rowid"))
    }

    @Test func appliesOnlyThePendingMigrationsInOrder() throws {
        let directory = try SQLiteTestDirectory()
        let connection = try SQLiteConnection(path: directory.file("store.db"))
        try SchemaMigrator(migrations: [Self.first]).migrate(connection, nowMilliseconds: 1)
        let outcome = try SchemaMigrator(migrations: [Self.first, Self.second]).migrate(connection, nowMilliseconds: 2)
        #expect(outcome == SchemaMigrator.Outcome(fromVersion: 1, toVersion: 2))
        #expect(try connection.query("SELECT x FROM a") == [[.integer(42)]])
        #expect(try SchemaMigrator.currentVersion(connection) == 2)
    }

    @Test func refusesADatabaseNewerThanTheCode() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let connection = try SQLiteConnection(path: path)
        try SchemaMigrator(migrations: [Self.first, Self.second]).migrate(connection, nowMilliseconds: 1)
        let error = try #require(throws: SchemaMigrationError.self) {
            try SchemaMigrator(migrations: [Self.first]).migrate(connection, nowMilliseconds: 2)
        }
        #expect(error == .databaseNewerThanCode(path: path, found: 2, supported: 1))
        #expect(error.description.contains("schema version 2, newer than the 1 this build supports"))
        #expect(!connection.isInTransaction)
    }

    @Test func aFailingMigrationKeepsNoneOfTheBatch() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        let error = try #require(throws: SchemaMigrationError.self) {
            try SchemaMigrator(migrations: [Self.first, Self.broken]).migrate(connection, nowMilliseconds: 1)
        }
        guard case .migrationFailed(let version, let name, let cause) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(version == 2)
        #expect(name == "broken")
        #expect(cause.message.contains("table a already exists"))
        #expect(try SchemaMigrator.currentVersion(connection) == 0)
        #expect(try !tables(connection).contains("a"))
    }

    @Test func storeTablesEnforceTheirKeys() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try StoreSchema.migrator.migrate(connection, nowMilliseconds: 1)
        let insert = try connection.prepare(
            sql: "INSERT INTO entity_state (feature_set, entity_key, state, updated_at_ms) VALUES (?, ?, ?, ?)")
        try insert.execute([.text("transactions"), .text("card-1"), .blob([1, 2]), .integer(5)])
        let error = try #require(throws: SQLiteError.self) {
            try insert.execute([.text("transactions"), .text("card-1"), .blob([3]), .integer(6)])
        }
        #expect(error.extendedCode == SQLITE_CONSTRAINT | (6 << 8))  // SQLITE_CONSTRAINT_PRIMARYKEY
        let columns = "feature_set, entity_key, event_ts_ms, ingested_at_ms, event"
        let event: [SQLiteValue] = [
            .text("transactions"), .text("card-1"), .integer(10), .integer(11), .text("{\"amount\":3}"),
        ]
        try connection.prepare(sql: "INSERT INTO event_log (\(columns)) VALUES (?, ?, ?, ?, ?)").execute(event)
        #expect(connection.lastInsertRowID == 1)
        let missingEvent = try #require(throws: SQLiteError.self) {
            try connection.execute("INSERT INTO processed_events (event_id) VALUES ('e1')")
        }
        #expect(missingEvent.extendedCode == SQLITE_CONSTRAINT | (5 << 8))  // SQLITE_CONSTRAINT_NOTNULL
    }
}
