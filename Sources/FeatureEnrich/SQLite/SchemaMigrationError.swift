/// Why a database's schema could not be brought to the version this code knows.
package enum SchemaMigrationError: Error, Equatable, CustomStringConvertible {
    /// The database was written by newer code (`found` > `supported`): opening it could corrupt it.
    case databaseNewerThanCode(path: String, found: Int, supported: Int)
    /// A reader opened a database whose schema is older than the one this code reads (`found` < `needed`): only a
    /// writer (`serve run`, `serve ingest`) migrates it.
    case databaseOlderThanCode(path: String, found: Int, needed: Int)
    /// Applying migration `version` failed; nothing of it (or of later ones) was kept.
    case migrationFailed(version: Int, name: String, cause: SQLiteError)

    package var description: String {
        switch self {
        case .databaseNewerThanCode(let path, let found, let supported):
            "database \"\(path)\" has schema version \(found), newer than the \(supported) this build supports;"
                + " upgrade the program or use another file"
        case .databaseOlderThanCode(let path, let found, let needed):
            "database \"\(path)\" has schema version \(found), older than the \(needed) this build reads;"
                + " open it once with `serve run` or `serve ingest`, which migrate it"
        case .migrationFailed(let version, let name, let cause):
            "schema migration \(version) (\(name)) failed: \(cause)"
        }
    }
}
