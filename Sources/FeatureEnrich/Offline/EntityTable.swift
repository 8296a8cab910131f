public import ServingGraph

/// The entity rows of a training set: the caller's columns unchanged, plus each row's point-in-time
/// timestamp T (epoch milliseconds) read from the timestamp column.
///
/// Read from an entities CSV (`serve training-set`) or from the JSON rows of
/// `POST /v2/feature-vectors/{vec}/offline`; errors name the source (file), line and column.
public struct EntityTable: Sendable {
    /// One entity row.
    public struct Row: Sendable {
        /// The row's fields, one per ``EntityTable/columns`` entry, as given.
        public let fields: [String]
        /// The 1-based line of the row (CSV) or its 1-based position (JSON rows).
        public let line: Int
        /// The row's timestamp T, epoch milliseconds.
        public let time: Int64

        /// A row from its parts.
        public init(fields: [String], line: Int, time: Int64) {
            self.fields = fields
            self.line = line
            self.time = time
        }
    }

    /// Where the rows came from (a file path or `request`), named in errors.
    public let source: String
    /// Column names in input order.
    public let columns: [String]
    /// Rows in input order.
    public let rows: [Row]

    /// A table from its parts.
    public init(source: String, columns: [String], rows: [Row]) {
        self.source = source
        self.columns = columns
        self.rows = rows
    }

    /// Reads the CSV file at `path`; `timestampColumn` holds ISO 8601 timestamps or epoch seconds.
    public init(csvPath path: String, timestampColumn: String = "timestamp") throws(IngestError) {
        try self.init(csvBytes: try FileBytes.read(path), source: path, timestampColumn: timestampColumn)
    }

    /// Parses CSV `bytes` (with a header row); `source` names the file in errors.
    public init(csvBytes bytes: [UInt8], source: String, timestampColumn: String = "timestamp") throws(IngestError) {
        var reader = CSVReader(bytes: bytes)
        let header: CSVReader.Record
        do {
            guard let first = try reader.nextRecord() else { throw IngestError.missingHeader(file: source) }
            header = first
        } catch let error as CSVError {
            throw .malformedCSV(file: source, error)
        } catch let error as IngestError {
            throw error
        } catch {
            throw .unreadableFile(path: source, reason: "\(error)")
        }
        guard let timeIndex = header.fields.firstIndex(of: timestampColumn) else {
            throw .missingColumn(file: source, column: timestampColumn)
        }
        var rows: [Row] = []
        while true {
            let record: CSVReader.Record?
            do {
                record = try reader.nextRecord()
            } catch {
                throw .malformedCSV(file: source, error)
            }
            guard let record else { break }
            guard record.fields.count == header.fields.count else {
                throw .tooFewFields(
                    file: source, line: record.line, expected: header.fields.count, got: record.fields.count)
            }
            let time: Int64
            do {
                time = try TimestampParser.epochMilliseconds(record.fields[timeIndex])
            } catch {
                throw .badValue(file: source, line: record.line, column: timestampColumn, error)
            }
            rows.append(Row(fields: record.fields, line: record.line, time: time))
        }
        self.init(source: source, columns: header.fields, rows: rows)
    }

    /// Rows given as JSON objects (the HTTP body's `entity_rows`): the columns are the first row's keys in
    /// order; strings are kept, numbers and booleans written as JSON, null as an empty field. A row's position
    /// (from 1) stands for its line in errors.
    public init(jsonRows: [Value], source: String = "request", timestampColumn: String = "timestamp")
        throws(IngestError)
    {
        var columns: [String] = []
        if case .object(let first)? = jsonRows.first { columns = first.keys }
        guard columns.contains(timestampColumn) else { throw .missingColumn(file: source, column: timestampColumn) }
        var rows: [Row] = []
        rows.reserveCapacity(jsonRows.count)
        for (index, value) in jsonRows.enumerated() {
            guard case .object(let object) = value else {
                throw .tooFewFields(file: source, line: index + 1, expected: columns.count, got: 0)
            }
            let fields = columns.map { column -> String in
                switch object[column] {
                case nil, .null?: ""
                case .string(let text)?: text
                case let other?: JSONWriter.string(other)
                }
            }
            let timeField = object[timestampColumn]
            let time: Int64
            do {
                if case .int(let seconds)? = timeField {
                    time = seconds * 1000
                } else {
                    time = try TimestampParser.epochMilliseconds(fields[columns.firstIndex(of: timestampColumn) ?? 0])
                }
            } catch {
                throw .badValue(file: source, line: index + 1, column: timestampColumn, error)
            }
            rows.append(Row(fields: fields, line: index + 1, time: time))
        }
        self.init(source: source, columns: columns, rows: rows)
    }
}
