import FeatureEnrich

/// Reads a store's SQLite file with a read-only connection of our own SQLite layer (no sqlite3 CLI needed).
enum StoreFile {
    /// Every row of `sql` on the database at `path`.
    static func rows(_ path: String, _ sql: String) throws -> [[SQLiteValue]] {
        try SQLiteConnection(path: path, configuration: .readOnly).query(sql)
    }

    /// The single integer of `sql` (-1 when there is none).
    static func integer(_ path: String, _ sql: String) throws -> Int64 {
        try rows(path, sql).first?.first?.integerValue ?? -1
    }
}
