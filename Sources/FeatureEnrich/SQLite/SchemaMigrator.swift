/// Brings a database to the newest schema version of an ordered list of migrations.
///
/// The applied versions are rows of `schema_version(version, name, applied_at_ms)`. ``migrate(_:)``
/// runs every pending migration in one BEGIN IMMEDIATE transaction, so two processes opening the
/// same file serialize and a failure leaves the database at its old version. A database whose
/// version is newer than the list is refused (``SchemaMigrationError/databaseNewerThanCode``).
/// Run by the writer connection at open (``StoreWriter``); readers never migrate.
package struct SchemaMigrator: Sendable {
    /// The migrations, versions 1, 2, ... in order.
    package let migrations: [SchemaMigration]

    /// A migrator over `migrations`, which must be numbered 1, 2, ... in order (a programmer error
    /// otherwise, checked here).
    package init(migrations: [SchemaMigration]) {
        for (offset, migration) in migrations.enumerated() {
            precondition(migration.version == offset + 1, "migration \(migration.name) is out of order")
        }
        self.migrations = migrations
    }

    /// The newest version this code knows (0 for an empty list).
    package var latestVersion: Int { migrations.last?.version ?? 0 }

    /// What ``migrate(_:)`` did.
    package struct Outcome: Sendable, Equatable {
        /// Version before migrating (0 for a new database).
        package var fromVersion: Int
        /// Version after migrating.
        package var toVersion: Int

        /// An outcome from `fromVersion` to `toVersion`.
        package init(fromVersion: Int, toVersion: Int) {
            self.fromVersion = fromVersion
            self.toVersion = toVersion
        }
    }

    /// Applies every migration newer than the database's version, in one transaction.
    @discardableResult
    package func migrate(_ connection: SQLiteConnection, nowMilliseconds: Int64) throws -> Outcome {
        var outcome = Outcome(fromVersion: 0, toVersion: 0)
        try connection.inTransaction {
            try connection.execute(Self.createVersionTable)
            let current = try Self.currentVersion(connection)
            outcome = Outcome(fromVersion: current, toVersion: current)
            guard current <= latestVersion else {
                throw SchemaMigrationError.databaseNewerThanCode(
                    path: connection.path, found: current, supported: latestVersion)
            }
            for migration in migrations where migration.version > current {
                do {
                    try connection.execute(migration.sql)
                    try connection.cachedStatement(
                        sql: "INSERT INTO schema_version(version, name, applied_at_ms) VALUES (?, ?, ?)"
                    ).execute([.integer(Int64(migration.version)), .text(migration.name), .integer(nowMilliseconds)])
                } catch let error as SQLiteError {
                    throw SchemaMigrationError.migrationFailed(
                        version: migration.version, name: migration.name, cause: error)
                }
                outcome.toVersion = migration.version
            }
            return outcome.toVersion == current ? .rollback : .commit
        }
        return outcome
    }

    /// The highest applied version, 0 when `schema_version` is empty or missing.
    package static func currentVersion(_ connection: SQLiteConnection) throws(SQLiteError) -> Int {
        let exists = try connection.query(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
        guard !exists.isEmpty else { return 0 }
        let rows = try connection.query("SELECT COALESCE(MAX(version), 0) FROM schema_version")
        return Int(rows.first?.first?.integerValue ?? 0)
    }

    static let createVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at_ms INTEGER NOT NULL
        )
        """
}

/// One step of the schema: its version number, a name for logs, and the SQL that applies it.
package struct SchemaMigration: Sendable {
    /// Position in the ordered list, from 1 with no gaps; recorded in `schema_version`.
    package let version: Int
    /// Short description, e.g. "create online and offline store tables".
    package let name: String
    /// The statements (separated by `;`) that move the schema from `version - 1` to `version`.
    package let sql: String

    /// A migration; `version` counts from 1.
    package init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
