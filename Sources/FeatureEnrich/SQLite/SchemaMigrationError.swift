/// Why a database's schema could not be brought to the version this code knows.
package enum SchemaMigrationError: Error, Equatable, CustomStringConvertible {
    /// The database was written by newer code (`found` > `supported`): opening it could corrupt it.
    case databaseNewerThanCode(path: String, found: Int, supported: Int)
    /// Applying migration `version` failed; nothing of it (or of later ones) was kept.
    case migrationFailed(version: Int, name: String, cause: SQLiteError)

    package var description: String {
        switch self {
        case .databaseNewerThanCode(let path, let found, let supported):
            "database \"\(path)\" has schema version \(found), newer than the \(supported) this build supports;"
                + " upgrade the program or use another file"
        case .migrationFailed(let version, let name, let cause):
            "schema migration \(version) (\(name)) failed: \(cause)"
        }
    }
}
