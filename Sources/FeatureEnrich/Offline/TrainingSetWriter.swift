import ServingGraph
import Synchronization

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

    /// Writes `set` to `sink` in order, in chunks of about ``chunkBytes`` (the last may be short; none is empty).
    /// Numbers are written straight into byte buffers (``JSONTokenWriter``), never through a `String`. A large set
    /// is formatted two blocks of ``rowsPerBlock`` rows at a time, the second on another thread; the bytes and
    /// their order are the same as one thread would write.
    public func write(_ set: TrainingSet, to sink: ([UInt8]) throws -> Void) rethrows {
        var output = JSONTokenWriter(capacity: chunkBytes + 4096)
        if format == .csv { appendCSVRecord(set.columns, to: &output) }
        let rowCount = set.table.rows.count
        var next = 0
        while next < rowCount {
            let first = next..<min(next + Self.rowsPerBlock, rowCount)
            let second = first.upperBound..<min(first.upperBound + Self.rowsPerBlock, rowCount)
            next = second.upperBound
            let other = second.isEmpty ? nil : FormattedBlock()
            let thread = other.map { block in
                ScanThread { [self] in
                    var bytes = JSONTokenWriter(capacity: chunkBytes + 4096)
                    var chunks: [[UInt8]] = []
                    appendRows(second, of: set, to: &bytes) { chunks.append($0) }
                    if bytes.count > 0 { chunks.append(bytes.withBytes { Array($0) }) }
                    block.chunks.withLock { $0 = chunks }
                }
            }
            try appendRows(first, of: set, to: &output, flushingTo: sink)
            // The body cannot throw, so join only waits.
            _ = thread?.join()
            if let other {
                if output.count > 0 { try output.withBytes { try sink(Array($0)) } }
                output.removeAll()
                for chunk in other.chunks.withLock({ $0 }) { try sink(chunk) }
            }
        }
        if output.count > 0 { try output.withBytes { try sink(Array($0)) } }
    }

    /// Rows formatted per block: enough to amortise starting a thread, few enough to bound the memory held.
    public static let rowsPerBlock = 16_384

    /// Appends the rows `range` of `set` to `output`, handing `sink` a chunk whenever ``chunkBytes`` are gathered.
    private func appendRows(
        _ range: Range<Int>, of set: TrainingSet, to output: inout JSONTokenWriter,
        flushingTo sink: ([UInt8]) throws -> Void
    ) rethrows {
        for index in range {
            appendRow(index, of: set, to: &output)
            if output.count >= chunkBytes {
                try output.withBytes { try sink(Array($0)) }
                output.removeAll()
            }
        }
    }

    private func appendRow(_ index: Int, of set: TrainingSet, to output: inout JSONTokenWriter) {
        switch format {
        case .csv:
            appendCSVRecord(set.table.rows[index].fields, values: set.featureValues(ofRow: index), to: &output)
        case .jsonl:
            output.value(.object(set.object(ofRow: index)))
            output.raw(UInt8(ascii: "\n"))
        }
    }

    /// The CSV text of one value: empty for null, the string itself, else its JSON form.
    static func csvText(_ value: Value) -> String {
        switch value {
        case .null: ""
        case .string(let text): text
        default: JSONWriter.string(value)
        }
    }

    private func appendCSVRecord(_ fields: [String], to output: inout JSONTokenWriter) {
        for (index, field) in fields.enumerated() {
            if index > 0 { output.raw(UInt8(ascii: ",")) }
            appendCSVField(field, to: &output)
        }
        output.raw(UInt8(ascii: "\n"))
    }

    /// One data row: the entity fields, then each value as ``csvText(_:)`` gives it, written straight into
    /// `output` (numbers and booleans never need quotes, so they skip the intermediate string).
    private func appendCSVRecord(_ fields: [String], values: ArraySlice<Value>, to output: inout JSONTokenWriter) {
        for (index, field) in fields.enumerated() {
            if index > 0 { output.raw(UInt8(ascii: ",")) }
            appendCSVField(field, to: &output)
        }
        for (index, value) in zip(fields.count..., values) {
            if index > 0 { output.raw(UInt8(ascii: ",")) }
            switch value {
            case .null: break
            case .string(let text): appendCSVField(text, to: &output)
            case .double(let number): output.double(number)
            case .int(let integer): output.integer(integer)
            case .bool(let flag): output.raw(flag ? "true" : "false")
            case .array, .object: appendCSVField(Self.csvText(value), to: &output)
            }
        }
        output.raw(UInt8(ascii: "\n"))
    }

    private func appendCSVField(_ field: String, to output: inout JSONTokenWriter) {
        var field = field
        field.withUTF8 { bytes in
            guard bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
                output.raw(bytes)
                return
            }
            output.raw(0x22)
            for byte in bytes {
                if byte == 0x22 { output.raw(0x22) }
                output.raw(byte)
            }
            output.raw(0x22)
        }
    }
}

/// The chunks of one block of rows formatted on another thread.
private final class FormattedBlock: Sendable {
    let chunks = Mutex<[[UInt8]]>([])
}
