import ServingGraph

/// Serialises a ``TrainingSet`` as CSV (RFC 4180, header row; null is an empty field; numbers as JSON writes
/// them, so a double keeps its `.0`) or JSON Lines (one object per row), in chunks of about
/// ``chunkBytes`` handed to a sink: a file, standard output or an HTTP body.
public struct TrainingSetWriter: Sendable {
    /// The output format.
    public enum Format: String, Sendable {
        /// Comma-separated values with a header row.
        case csv
        /// One JSON object per line.
        case jsonl

        /// The format named `name` (`csv` or `jsonl`).
        public init(name: String) throws(TrainingSetError) {
            guard let format = Format(rawValue: name) else { throw .unknownFormat(name) }
            self = format
        }
    }

    /// The format written.
    public let format: Format
    /// Bytes gathered before each call of the sink.
    public let chunkBytes: Int

    /// A writer of `format`, flushing every `chunkBytes` (default 64 KiB).
    public init(format: Format, chunkBytes: Int = 1 << 16) {
        self.format = format
        self.chunkBytes = chunkBytes
    }

    /// Writes `set` to `sink` in order, in chunks (the last may be short; none is empty).
    public func write(_ set: TrainingSet, to sink: ([UInt8]) throws -> Void) rethrows {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(chunkBytes + 4096)
        switch format {
        case .csv:
            appendCSVRecord(set.columns, to: &buffer)
            for index in set.table.rows.indices {
                appendCSVRecord(set.table.rows[index].fields, values: set.featureValues(ofRow: index), to: &buffer)
                if buffer.count >= chunkBytes {
                    try sink(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        case .jsonl:
            for index in set.table.rows.indices {
                buffer.append(contentsOf: JSONWriter.string(.object(set.object(ofRow: index))).utf8)
                buffer.append(UInt8(ascii: "\n"))
                if buffer.count >= chunkBytes {
                    try sink(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        if !buffer.isEmpty { try sink(buffer) }
    }

    /// The CSV text of one value: empty for null, the string itself, else its JSON form.
    static func csvText(_ value: Value) -> String {
        switch value {
        case .null: ""
        case .string(let text): text
        default: JSONWriter.string(value)
        }
    }

    private func appendCSVRecord(_ fields: [String], to buffer: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            appendCSVField(field, to: &buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// One data row: the entity fields, then each value as ``csvText(_:)`` gives it, written straight into
    /// `buffer` (numbers and booleans never need quotes, so they skip the intermediate string).
    private func appendCSVRecord(_ fields: [String], values: ArraySlice<Value>, to buffer: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            appendCSVField(field, to: &buffer)
        }
        for (index, value) in zip(fields.count..., values) {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            switch value {
            case .null: break
            case .string(let text): appendCSVField(text, to: &buffer)
            case .double, .int, .bool: JSONWriter.write(value, into: &buffer)
            case .array, .object: appendCSVField(Self.csvText(value), to: &buffer)
            }
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    private func appendCSVField(_ field: String, to buffer: inout [UInt8]) {
        let needsQuotes = field.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else {
            buffer.append(contentsOf: field.utf8)
            return
        }
        buffer.append(0x22)
        for byte in field.utf8 {
            if byte == 0x22 { buffer.append(0x22) }
            buffer.append(byte)
        }
        buffer.append(0x22)
    }
}
