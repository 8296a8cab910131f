import Testing

@testable import FeatureEnrich

/// ``OfflineStoreReader`` reads only a store with this build's schema: a reader cannot migrate (read-only), so a
/// file from older or newer code is refused by name instead of failing later on a missing table.
struct OfflineStoreReaderSchemaTests {
    /// A store migrated by a writer, then its recorded schema version changed by `sql`.
    static func store(_ directory: SQLiteTestDirectory, _ sql: String) throws -> String {
        let path = directory.file("store.db")
        try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()]).close()
        try SQLiteConnection(path: path).execute(sql)
        return path
    }

    @Test func refusesAStoreWithAnOlderSchemaNamingBothVersionsAndTheCommandsThatMigrate() throws {
        let directory = try SQLiteTestDirectory()
        let latest = StoreSchema.migrator.latestVersion
        let path = try Self.store(directory, "DELETE FROM schema_version WHERE version = \(latest)")
        #expect(throws: SchemaMigrationError.databaseOlderThanCode(path: path, found: latest - 1, needed: latest)) {
            try OfflineStoreReader(path: path)
        }
        let message = SchemaMigrationError.databaseOlderThanCode(path: path, found: latest - 1, needed: latest)
            .description
        #expect(message.contains("schema version \(latest - 1)") && message.contains("serve ingest"))
    }

    @Test func refusesAStoreWithANewerSchema() throws {
        let directory = try SQLiteTestDirectory()
        let latest = StoreSchema.migrator.latestVersion
        let path = try Self.store(
            directory, "INSERT INTO schema_version(version, name, applied_at_ms) VALUES (\(latest + 1), 'future', 1)")
        #expect(throws: SchemaMigrationError.databaseNewerThanCode(path: path, found: latest + 1, supported: latest)) {
            try OfflineStoreReader(path: path)
        }
    }

    @Test func opensAStoreAWriterMigrated() throws {
        let directory = try SQLiteTestDirectory()
        let path = try Self.store(directory, "SELECT 1")
        #expect(try OfflineStoreReader(path: path).featureSets().map(\.name) == ["transactions"])
    }
}
