import ServingGraph

/// Writes one replay output row as a JSON line in the oracle's format: entity columns, the timestamp string as
/// given, then every aggregate column sorted by name; NaN as `"NaN"`, too late as `null`. Strings and numbers go
/// through ``JSONWriter`` (shortest round-tripping doubles such as `14.4`, `2.0`, `1e-05`), so every number
/// parses back to the same `Double`.
struct AggregationRowWriter {
    /// `, "column": ` per aggregate column, pre-encoded.
    private let encodedColumns: [[UInt8]]
    private var buffer: [UInt8] = []

    /// A writer for rows with these aggregate columns (in output order).
    init(columns: [String]) {
        encodedColumns = columns.map { column in
            var bytes: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: " ")]
            JSONWriter.write(.string(column), into: &bytes)
            bytes += [UInt8(ascii: ":"), UInt8(ascii: " ")]
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
        for (index, entity) in entities.enumerated() {
            if index > 0 { Self.append(", ", to: &buffer) }
            JSONWriter.write(.string(entity.name), into: &buffer)
            Self.append(": ", to: &buffer)
            if entity.isNumber {
                buffer.append(contentsOf: entity.value.utf8)
            } else {
                JSONWriter.write(.string(entity.value), into: &buffer)
            }
        }
        Self.append(", ", to: &buffer)
        JSONWriter.write(.string(timestampColumn), into: &buffer)
        Self.append(": ", to: &buffer)
        JSONWriter.write(.string(timestamp), into: &buffer)
        for (encoded, value) in zip(encodedColumns, values) {
            buffer.append(contentsOf: encoded)
            Self.appendNumber(value, to: &buffer)
        }
        buffer.append(UInt8(ascii: "}"))
        return String(decoding: buffer, as: UTF8.self)
    }

    /// `null`, `"NaN"`, `"Infinity"`, `"-Infinity"` or the shortest round-tripping decimal.
    static func appendNumber(_ value: Double?, to bytes: inout [UInt8]) {
        guard let value else { return append("null", to: &bytes) }
        if value.isNaN {
            append("\"NaN\"", to: &bytes)
        } else if value.isInfinite {
            append(value > 0 ? "\"Infinity\"" : "\"-Infinity\"", to: &bytes)
        } else {
            JSONWriter.write(.double(value), into: &bytes)
        }
    }

    private static func append(_ text: StaticString, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
