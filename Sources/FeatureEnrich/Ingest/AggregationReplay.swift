import ServingGraph

/// Replays an events CSV through a feature set's aggregations and emits one JSON line per row, in input order,
/// exactly as `shared/oracle/reference.py` does: the engine of `serve ingest --emit-jsonl`.
public enum AggregationReplay {
    /// Reads `csvPath`, aggregates every row in arrival order (each entity key on its own) and calls `emit` with
    /// each row's JSON line (no newline).
    ///
    /// Errors name the file and line (`events.csv:7: column 'amount': unparsable number '12.5x'`). With
    /// `skipBadRows` a row with a bad value is skipped (no line, counted in the summary) instead; CSV syntax
    /// errors and missing columns always throw.
    public static func run(
        featureSet: FeatureSetDefinition, csvPath: String, skipBadRows: Bool, emit: (String) -> Void
    ) throws(IngestError) -> ReplaySummary {
        var reader = CSVReader(bytes: try FileBytes.read(csvPath))
        let file = csvPath
        let header: CSVReader.Record
        do {
            guard let record = try reader.nextRecord() else { throw IngestError.missingHeader(file: file) }
            header = record
        } catch let error as CSVError {
            throw .malformedCSV(file: file, error)
        } catch {
            throw .missingHeader(file: file)
        }
        let layout = try ReplayLayout(featureSet: featureSet, header: header.fields, file: file)
        let aggregator = FeatureSetAggregator(featureSet)
        var writer = AggregationRowWriter(columns: aggregator.outputColumns)
        var states: [String: EntityState] = [:]
        // Captured by the `default:` autoclosure instead of the (larger) aggregator.
        let emptyState = aggregator.makeState()
        var summary = ReplaySummary()
        var output: [Double?] = []
        while true {
            let record: CSVReader.Record
            do {
                guard let next = try reader.nextRecord() else { break }
                record = next
            } catch {
                throw .malformedCSV(file: file, error)
            }
            summary.rowsRead += 1
            let row: ReplayLayout.Row
            do {
                row = try layout.parse(record)
            } catch {
                guard skipBadRows else { throw error }
                summary.rowsSkipped += 1
                if summary.skippedErrors.count < ReplaySummary.maximumRecordedErrors {
                    summary.skippedErrors.append(error)
                }
                FeatureEnrich.logger.warning("skipping bad row", [("error", error.description)])
                continue
            }
            aggregator.ingest(
                at: row.time, aggregationValues: row.aggregationValues, featureValues: row.featureValues,
                into: &states[row.key, default: emptyState], output: &output)
            if output.contains(where: { $0 == nil }) { summary.tooLateRows += 1 }
            emit(
                writer.line(
                    entities: row.entities, timestampColumn: featureSet.timestampKey, timestamp: row.timestamp,
                    values: output))
            summary.rowsEmitted += 1
        }
        summary.keys = states.count
        return summary
    }
}

/// What ``AggregationReplay/run(featureSet:csvPath:skipBadRows:emit:)`` did.
public struct ReplaySummary: Sendable, Equatable {
    /// Data rows read (header excluded).
    public var rowsRead = 0
    /// Lines emitted (one per good row).
    public var rowsEmitted = 0
    /// Bad rows skipped (only with `skipBadRows`).
    public var rowsSkipped = 0
    /// Rows too late for at least one aggregation (emitted with `null` columns).
    public var tooLateRows = 0
    /// Distinct entity keys seen.
    public var keys = 0
    /// The errors of the first skipped rows (at most ``maximumRecordedErrors``).
    public var skippedErrors: [IngestError] = []

    /// How many skipped-row errors are kept in ``skippedErrors``.
    public static let maximumRecordedErrors = 20

    /// An empty summary.
    public init() {}
}
