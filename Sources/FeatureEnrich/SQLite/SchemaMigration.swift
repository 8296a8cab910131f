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
