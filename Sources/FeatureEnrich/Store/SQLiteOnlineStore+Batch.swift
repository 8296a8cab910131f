import ServingGraph
import Synchronization

// MARK: - Batch ingestion of an events CSV

/// What ``SQLiteOnlineStore/ingestCSV(path:into:skipBadRows:progress:)`` did.
public struct BatchIngestSummary: Sendable, Equatable {
    /// Data rows read (header excluded).
    public var rowsRead = 0
    /// Rows ingested (committed).
    public var rowsIngested = 0
    /// Bad rows skipped (only with `skipBadRows`).
    public var rowsSkipped = 0
    /// The errors of the first skipped rows (at most ``ReplaySummary/maximumRecordedErrors``).
    public var skippedErrors: [IngestError] = []
    /// Distinct entity keys updated.
    public var keys = 0

    /// An empty summary.
    public init() {}
}

/// How far a batch ingestion is, for a progress line.
public struct BatchIngestProgress: Sendable {
    /// Data rows processed so far.
    public let rows: Int
    /// Estimated data rows in the file (its line count minus the header).
    public let estimatedRows: Int
}

extension SQLiteOnlineStore {
    /// Rows between two progress callbacks.
    static let progressInterval = 65_536
    /// `PRAGMA cache_size` of the writer connection during a batch, in KiB (the default is 2,000).
    static let batchCacheKibibytes = 131_072

    /// Ingests every row of the events CSV at `path` (with a header) into `featureSet` as ONE transaction: the
    /// rows are parsed, aggregated (continuing the stored windows of each key) and written on the writer
    /// thread, and a bad row (without `skipBadRows`) or any failure rolls the whole file back. Returns after the
    /// commit (durable). Errors name file, line and column (``IngestError``).
    ///
    /// Not meant to run while real-time ingestion updates the same keys: keys it touches are evicted from
    /// memory afterwards and reload what it wrote.
    public func ingestCSV(
        path csvPath: String, into featureSet: String, skipBadRows: Bool,
        progress: (@Sendable (BatchIngestProgress) -> Void)? = nil
    ) throws -> BatchIngestSummary {
        let position = try self.position(of: featureSet)
        let set = registered[position]
        let bytes = try FileBytes.read(csvPath)
        let estimatedRows = max(0, bytes.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 } - 1)
        let outcome = BlockingOutcome<(BatchIngestSummary, [String])>()
        try writer.submitAndWait { connection in
            let result = try Self.ingestRows(
                bytes, file: csvPath, set: set, skipBadRows: skipBadRows, connection: connection
            ) { rows in progress?(BatchIngestProgress(rows: rows, estimatedRows: estimatedRows)) }
            outcome.report(.success(result))
        }
        let (summary, touched) = try outcome.wait().get()
        evict(touched, position: position)
        return summary
    }

    /// The writer-thread body of ``ingestCSV(path:into:skipBadRows:progress:)``: returns the summary and the keys
    /// written.
    private static func ingestRows(
        _ bytes: [UInt8], file: String, set: RegisteredFeatureSet, skipBadRows: Bool, connection: SQLiteConnection,
        progress: (Int) -> Void
    ) throws -> (BatchIngestSummary, [String]) {
        let definition = set.definition
        var reader = CSVReader(bytes: bytes)
        let header: CSVReader.Record
        do {
            guard let record = try reader.nextRecord() else { throw IngestError.missingHeader(file: file) }
            header = record
        } catch let error as CSVError {
            throw IngestError.malformedCSV(file: file, error)
        }
        let layout = try ReplayLayout(featureSet: definition, header: header.fields, file: file)
        let now = StoreWriterLoop.nowMilliseconds()
        let aggregator = set.aggregator
        let statisticsSources = set.statisticsColumns.map(\.source)
        let encoder = BatchEventEncoder(definition)
        // A larger page cache for this one big transaction: the event-log index is written in key order, and
        // with the default 2 MB most inserts would read and spill pages (measured: 90k -> see the commit).
        try connection.execute("PRAGMA cache_size = -\(batchCacheKibibytes)")
        defer { try? connection.execute("PRAGMA cache_size = -2000") }
        var states: [String: EntityState] = [:]
        var statistics = Array(repeating: FeatureStatistics(), count: set.statisticsColumns.count)
        var summary = BatchIngestSummary()
        var output: [Double?] = []
        var json: [UInt8] = []
        while true {
            let record: CSVReader.Record
            do {
                guard let next = try reader.nextRecord() else { break }
                record = next
            } catch {
                throw IngestError.malformedCSV(file: file, error)
            }
            summary.rowsRead += 1
            if summary.rowsRead % progressInterval == 0 { progress(summary.rowsRead) }
            let row: ReplayLayout.Row
            do {
                row = try layout.parse(record)
            } catch {
                guard skipBadRows else { throw error }
                summary.rowsSkipped += 1
                if summary.skippedErrors.count < ReplaySummary.maximumRecordedErrors {
                    summary.skippedErrors.append(error)
                }
                continue
            }
            if states[row.key] == nil {
                states[row.key] = try storedState(row.key, set: set, connection: connection)
            }
            aggregator.ingest(
                at: row.time, aggregationValues: row.aggregationValues, featureValues: row.featureValues,
                into: &states[row.key, default: aggregator.makeState()], output: &output)
            encoder.encode(row, into: &json)
            try StoreStatements.appendEvent(
                connection, featureSet: definition.name, key: row.key, time: row.time, now: now,
                json: String(decoding: json, as: UTF8.self))
            for (index, source) in statisticsSources.enumerated() {
                if let value = RegisteredFeatureSet.value(of: source, in: row.aggregationValues, row.featureValues) {
                    statistics[index].add(value)
                }
            }
            summary.rowsIngested += 1
        }
        // In key order: B-tree inserts then append instead of landing on random pages.
        for (key, state) in states.sorted(by: { $0.key < $1.key }) {
            try StoreStatements.upsertState(
                connection, featureSet: definition.name, key: key, state: state.serialized(), now: now)
        }
        for (column, value) in zip(set.statisticsColumns, statistics) {
            try StoreStatements.mergeStatistics(connection, featureSet: definition.name, feature: column.name, value)
        }
        progress(summary.rowsRead)
        summary.keys = states.count
        return (summary, Array(states.keys))
    }

    /// The stored state of `key` read on the writer's own connection (it sees every earlier commit), or a fresh one.
    private static func storedState(
        _ key: String, set: RegisteredFeatureSet, connection: SQLiteConnection
    ) throws -> EntityState {
        guard let bytes = try StoreStatements.loadState(connection, featureSet: set.definition.name, key: key) else {
            return set.aggregator.makeState()
        }
        return try set.state(from: bytes, key: key)
    }
}
