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
    /// Rows checked by the set's validators (0 when it declares none: that path is skipped).
    public var rowsValidated = 0
    /// Validator violations written under `warn` or `drop_feature` (counted in the catalog too).
    public var violations = 0

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

    /// Rows per chunk handed to the writer, and chunks that may wait in the channel.
    static let batchChunkRows = 4_096
    static let batchChannelCapacity = 8

    /// Ingests every row of the events CSV at `path` (with a header) into `featureSet` as ONE transaction:
    /// the calling thread parses and aggregates the rows (continuing the stored windows of each key) while the
    /// writer thread inserts them into `event_log` inside a single transaction (a pipeline over two cores);
    /// then the touched states are upserted and the statistics merged, and the transaction commits. A bad row
    /// (without `skipBadRows`) or any failure rolls the whole file back. Returns after the commit (durable).
    /// Errors name file, line and column (``IngestError``).
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
        let channel = BatchChannel(capacity: Self.batchChannelCapacity)
        let outcome = BlockingOutcome<Void>()
        let name = set.definition.name
        writer.submit(
            { [pendingStates, pendingLogIndex] connection in
                try Self.writeBatch(
                    from: channel, featureSet: name, pendingStates: pendingStates, logIndex: pendingLogIndex,
                    connection: connection)
            },
            completion: { result in
                if case .failure = result { channel.fail() }
                outcome.report(result)
            })
        let produced: Result<(BatchIngestSummary, [String]), any Error>
        do {
            produced = .success(
                try produceBatch(
                    bytes, file: csvPath, position: position, skipBadRows: skipBadRows, channel: channel
                ) { rows in
                    progress?(BatchIngestProgress(rows: rows, estimatedRows: estimatedRows))
                })
        } catch {
            _ = channel.put(.abort(error))
            produced = .failure(error)
        }
        let written = outcome.wait()
        if case .failure(IngestError.rejectedRow(_, _, let violation)) = produced {
            // The batch rolled back; the rejection is counted by a transaction of its own.
            recordRejection(violation, featureSet: name)
            try? waitForPendingWrites()
        }
        if case .failure(let error) = produced, case .closed? = error as? StoreWriterError {
            try written.get()  // the writer stopped first: its error is the cause
        }
        let (summary, touched) = try produced.get()
        try written.get()
        evict(touched, position: position)
        return summary
    }

    /// The calling thread's half: parses, aggregates and encodes rows into chunks for the writer (the feature
    /// set at `position`).
    private func produceBatch(
        _ bytes: [UInt8], file: String, position: Int, skipBadRows: Bool, channel: BatchChannel,
        progress: (Int) -> Void
    ) throws -> (BatchIngestSummary, [String]) {
        let set = registered[position]
        let definition = set.definition
        var reader = CSVReader(bytes: bytes)
        let header: CSVReader.Record
        do {
            guard let record = try reader.nextRecord() else { throw IngestError.missingHeader(file: file) }
            header = record
        } catch let error as CSVError {
            throw IngestError.malformedCSV(file: file, error)
        }
        let layout = try ReplayLayout(
            featureSet: definition, header: header.fields, file: file, defaultTime: StoreWriterLoop.nowMilliseconds())
        let aggregator = set.aggregator
        let statisticsSources = set.statisticsColumns.map(\.source)
        let encoder = LoggedEventEncoder(definition)
        let validator = set.validator
        let receivedAt = layout.defaultTime ?? StoreWriterLoop.nowMilliseconds()
        var violations = ValidationTally()
        // Each key's slot in `states`/`keys`: one hash lookup per row for a key already seen.
        var slots: [String: Int] = [:]
        var states: [EntityState] = []
        var keys: [String] = []
        var statistics = Array(repeating: FeatureStatistics(), count: statisticsSources.count)
        var summary = BatchIngestSummary()
        var output: [Double?] = []
        var chunk = BatchChannel.Rows()
        func send(_ message: BatchChannel.Message) throws {
            // The writer failed: its error is reported through the submission's completion.
            guard channel.put(message) else { throw StoreWriterError.closed }
        }
        while true {
            let record: CSVReader.Record
            do {
                guard let next = try reader.nextRecord() else { break }
                record = next
            } catch {
                throw IngestError.malformedCSV(file: file, error)
            }
            summary.rowsRead += 1
            if summary.rowsRead % Self.progressInterval == 0 { progress(summary.rowsRead) }
            var row: ReplayLayout.Row
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
            if let validator {
                row = try Self.validate(
                    row, validator, receivedAt: receivedAt, tally: &violations, file: file, line: record.line)
                summary.rowsValidated += 1
            }
            let slot: Int
            if let known = slots[row.key] {
                slot = known
            } else {
                slot = states.count
                // Through a read-only connection: the writer's transaction holds only this batch's rows so far.
                states.append(
                    try loadState(StoreShard.Key(featureSet: position, entity: row.key), set)
                        ?? aggregator.makeState())
                keys.append(row.key)
                slots[row.key] = slot
            }
            aggregator.ingest(
                at: row.time, aggregationValues: row.aggregationValues, featureValues: row.featureValues,
                into: &states[slot], output: &output)
            encoder.encode(row, appendingTo: &chunk.eventBytes)
            chunk.eventEnds.append(chunk.eventBytes.count)
            chunk.keys.append(row.key)
            chunk.times.append(row.time)
            for (index, source) in statisticsSources.enumerated() {
                RegisteredFeatureSet.observe(
                    source, in: row.aggregationValues, row.featureValues, into: &statistics[index])
            }
            summary.rowsIngested += 1
            if chunk.count >= Self.batchChunkRows {
                try send(.rows(chunk))
                chunk = BatchChannel.Rows()
            }
        }
        if chunk.count > 0 { try send(.rows(chunk)) }
        // In key order: B-tree inserts then append instead of landing on random pages. In chunks, so the writer
        // upserts while the rest are serialized.
        var serialized: [(key: String, state: [UInt8])] = []
        for slot in keys.indices.sorted(by: { keys[$0] < keys[$1] }) {
            serialized.append((keys[slot], states[slot].serialized()))
            if serialized.count >= Self.batchChunkRows {
                try send(.states(serialized))
                serialized.removeAll(keepingCapacity: true)
            }
        }
        if !serialized.isEmpty { try send(.states(serialized)) }
        try send(
            .finish(
                statistics: zip(set.statisticsColumns, statistics).map { (feature: $0.name, $1) },
                violations: violations))
        if validator?.policy == .warn {
            warningLog.record(violations, featureSet: definition.name, now: receivedAt)
        }
        summary.violations = Int(violations.total)
        progress(summary.rowsRead)
        summary.keys = states.count
        return (summary, keys)
    }

    /// One row through the set's validators: the row (with violating features nulled under `drop_feature`), or
    /// ``IngestError/rejectedRow(file:line:_:)`` under `reject`.
    private static func validate(
        _ row: ReplayLayout.Row, _ validator: FeatureSetValidator, receivedAt: Int64, tally: inout ValidationTally,
        file: String, line: Int
    ) throws(IngestError) -> ReplayLayout.Row {
        var featureValues = row.featureValues
        var aggregationValues = row.aggregationValues
        switch validator.apply(
            time: row.time, featureValues: &featureValues, aggregationValues: &aggregationValues,
            receivedAt: receivedAt, tally: &tally)
        {
        case .reject(let violation):
            throw .rejectedRow(file: file, line: line, violation)
        case .write(let dropped) where dropped.isEmpty:
            return row
        case .write:
            break
        }
        return ReplayLayout.Row(
            key: row.key, entities: row.entities, timestamp: row.timestamp, time: row.time,
            aggregationValues: aggregationValues, featureValues: featureValues)
    }

    /// The writer thread's half (one work item, so one transaction): flushes the states written behind the log
    /// (rows are then current, and none older can overwrite the batch's), then inserts chunks until told to
    /// finish; the states include every event logged up to the last row, so the flush marks move there.
    private static func writeBatch(
        from channel: BatchChannel, featureSet: String, pendingStates: PendingStates, logIndex: PendingLogIndex,
        connection: SQLiteConnection
    ) throws {
        let now = StoreWriterLoop.nowMilliseconds()
        try pendingStates.flush(connection, now: now)
        // The batch's rows get their key rows as they are logged (``StoreStatements/appendEvents``).
        let firstSeq = try StoreStatements.maxSeq(connection) + 1
        var throughSeq: Int64?
        // A larger page cache for this one big transaction: with the default 2 MB most event-log key inserts
        // would read and spill pages.
        try connection.execute("PRAGMA cache_size = -\(batchCacheKibibytes)")
        defer { try? connection.execute("PRAGMA cache_size = -2000") }
        do {
            while true {
                switch channel.take() {
                case .rows(let rows):
                    try StoreStatements.appendEvents(connection, featureSet: featureSet, now: now, rows: rows)
                case .states(let states):
                    let through = try throughSeq ?? StoreStatements.maxSeq(connection)
                    throughSeq = through
                    try StoreStatements.upsertStates(
                        connection, featureSet: featureSet, now: now, throughSeq: through, states: states)
                case .finish(let statistics, let violations):
                    for (feature, value) in statistics {
                        try StoreStatements.mergeStatistics(
                            connection, featureSet: featureSet, feature: feature, value)
                    }
                    try StoreStatements.mergeViolations(connection, featureSet: featureSet, violations)
                    // Nothing is behind the log now: the marks move to the file's last row (the real-time rows
                    // logged before the batch and not keyed yet get their key rows first).
                    try pendingStates.flush(connection, now: now)
                    try logIndex.flush(connection, keyedFrom: firstSeq)
                    return
                case .abort(let error):
                    throw error
                }
            }
        } catch {
            channel.fail()
            throw error
        }
    }
}
