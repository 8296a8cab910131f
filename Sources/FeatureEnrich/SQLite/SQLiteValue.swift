/// One SQLite value in its storage class (<https://sqlite.org/datatype3.html>).
package enum SQLiteValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// The integer, when this is `.integer`.
    package var integerValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The number, when this is `.real` or `.integer`.
    package var realValue: Double? {
        switch self {
        case .real(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    /// The string, when this is `.text`.
    package var textValue: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The bytes, when this is `.blob`.
    package var blobValue: [UInt8]? {
        if case .blob(let value) = self { return value }
        return nil
    }

    package var description: String {
        switch self {
        case .null: "NULL"
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .text(let value): "'\(value)'"
        case .blob(let value): "blob(\(value.count) bytes)"
        }
    }
}
