/// Writes one replay output row as a JSON line in the oracle's format: entity columns, the timestamp string as
/// given, then every aggregate column sorted by name; NaN as `"NaN"`, too late as `null`. Numbers use Swift's
/// shortest round-tripping form (`14.4`, `2.0`, `1e-05`), which parses back to the same `Double`.
struct AggregationRowWriter {
    /// Column names pre-encoded as `"name": ` (with the separator before them).
    private let encodedColumns: [[UInt8]]
    private var buffer: [UInt8] = []

    /// A writer for rows with these aggregate columns (in output order).
    init(columns: [String]) {
        encodedColumns = columns.map { column in
            var bytes = Array(", ".utf8)
            Self.appendString(column, to: &bytes)
            bytes += Array(": ".utf8)
            return bytes
        }
        buffer.reserveCapacity(1024)
    }

    /// The JSON line (no trailing newline) for one row.
    mutating func line(
        entities: [(name: String, value: String, isNumber: Bool)], timestampColumn: String, timestamp: String,
        values: [Double?]
    ) -> String {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(UInt8(ascii: "{"))
        var first = true
        for entity in entities {
            if !first { buffer += Array(", ".utf8) }
            first = false
            Self.appendString(entity.name, to: &buffer)
            buffer += Array(": ".utf8)
            if entity.isNumber {
                buffer += Array(entity.value.utf8)
            } else {
                Self.appendString(entity.value, to: &buffer)
            }
        }
        buffer += Array(", ".utf8)
        Self.appendString(timestampColumn, to: &buffer)
        buffer += Array(": ".utf8)
        Self.appendString(timestamp, to: &buffer)
        for (encoded, value) in zip(encodedColumns, values) {
            buffer += encoded
            Self.appendNumber(value, to: &buffer)
        }
        buffer.append(UInt8(ascii: "}"))
        return String(decoding: buffer, as: UTF8.self)
    }

    /// `null`, `"NaN"`, `"Infinity"`, `"-Infinity"` or the shortest round-tripping decimal.
    static func appendNumber(_ value: Double?, to bytes: inout [UInt8]) {
        guard let value else {
            bytes += Array("null".utf8)
            return
        }
        if value.isNaN {
            bytes += Array("\"NaN\"".utf8)
        } else if value.isInfinite {
            bytes += Array((value > 0 ? "\"Infinity\"" : "\"-Infinity\"").utf8)
        } else {
            bytes += Array(value.description.utf8)
        }
    }

    /// A JSON string literal (RFC 8259 §7): quote, backslash and control characters escaped.
    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
