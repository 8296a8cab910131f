import FeatureEnrich
import ServingGraph

#if canImport(Glibc)
    import Glibc
#endif

/// `serve ingest featureset.json events.csv [--store path.db] [--emit-jsonl] [--skip-bad-rows] [--rebuild]`
enum IngestCommand {
    static let help = """
        USAGE: serve ingest <featureset.json> <events.csv> [options]

        Batch ingestion: aggregates every row of an events CSV (with a header; timestamps ISO 8601 or epoch
        seconds) through the feature set and stores entity states, the event log and feature statistics in
        SQLite, in one transaction: a failure leaves the store unchanged. Exits 0 only after the commit.
        Feature validators apply with the set's validation_policy: under reject a failing row names file, line
        and field and nothing is written (docs/VALIDATION.md).

        OPTIONS:
          --store <path.db>     the SQLite store (default ./features.db; none with --emit-jsonl alone)
          --emit-jsonl          write one JSON line per event to stdout: entity columns, the timestamp as
                                given and every aggregation column as of that event (the oracle's format)
          --skip-bad-rows       skip rows with a bad value (counted) instead of failing
          --rebuild             if the stored definition differs, recompute its state from the event log
          -h, --help            show this help
        """

    static func main(_ rawArguments: [String]) -> Int32 {
        var arguments = CommandArguments(rawArguments)
        if arguments.showsHelp(help) { return 0 }
        let featureSetPath: String
        let eventsPath: String
        let storePath: String?
        let emitJSONL: Bool
        let skipBadRows: Bool
        let rebuild: Bool
        do {
            let explicitStore = try arguments.option("--store")
            emitJSONL = arguments.flag("--emit-jsonl")
            skipBadRows = arguments.flag("--skip-bad-rows")
            rebuild = arguments.flag("--rebuild")
            guard let first = arguments.positional() else {
                throw CommandLineError.missingArgument("<featureset.json>")
            }
            guard let second = arguments.positional() else { throw CommandLineError.missingArgument("<events.csv>") }
            try arguments.finish()
            featureSetPath = first
            eventsPath = second
            storePath = explicitStore ?? (emitJSONL ? nil : "features.db")
        } catch {
            return CommandArguments.usageError("ingest", error)
        }
        do {
            let definition = try FeatureSetDefinition(contentsOfFile: featureSetPath)
            if emitJSONL {
                var output = StandardOutput()
                let summary = try AggregationReplay.run(
                    featureSet: definition, csvPath: eventsPath, skipBadRows: skipBadRows
                ) { line in output.writeLine(line) }
                output.flush()
                if storePath == nil { reportSkipped(summary.rowsSkipped, summary.skippedErrors) }
            }
            if let storePath {
                try store(
                    definition, eventsPath: eventsPath, storePath: storePath, skipBadRows: skipBadRows,
                    rebuild: rebuild)
            }
            return 0
        } catch {
            printError("serve ingest: \(error)")
            return 1
        }
    }

    private static func store(
        _ definition: FeatureSetDefinition, eventsPath: String, storePath: String, skipBadRows: Bool, rebuild: Bool
    ) throws {
        let started = IngestProgressLine.now()
        let store = try SQLiteOnlineStore(path: storePath, featureSets: [definition], rebuild: rebuild)
        let progressLine = isatty(2) == 1 ? IngestProgressLine(started: started) : nil
        var progress: (@Sendable (BatchIngestProgress) -> Void)?
        if let progressLine {
            progress = { progressLine.show($0) }
        }
        let summary = try store.ingestCSV(
            path: eventsPath, into: definition.name, skipBadRows: skipBadRows, progress: progress)
        store.close()
        progressLine?.finish()
        let seconds = max(1e-9, IngestProgressLine.now() - started)
        let rate = Int(Double(summary.rowsIngested) / seconds)
        printError(
            "ingested \(summary.rowsIngested) rows (\(summary.keys) keys) into \(storePath) "
                + "in \(Double(Int(seconds * 100)) / 100) s (\(rate) rows/s)")
        reportSkipped(summary.rowsSkipped, summary.skippedErrors)
        if summary.violations > 0 {
            printError(
                "\(summary.violations) validator violations written under policy "
                    + "\(definition.validationPolicy.rawValue) (counts: serve catalog --store \(storePath))")
        }
    }

    private static func reportSkipped(_ count: Int, _ errors: [IngestError]) {
        guard count > 0 else { return }
        printError("skipped \(count) bad rows")
        for error in errors { printError("  \(error)") }
    }
}

/// Buffered writes to standard output (file descriptor 1), flushed at 64 KiB and at the end.
private struct StandardOutput {
    private var buffer: [UInt8] = []

    mutating func writeLine(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer[offset...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { break }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
