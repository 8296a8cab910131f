import FeatureEnrich
import ServingGraph

#if canImport(Glibc)
    import Glibc
#endif

/// `serve training-set VECTOR.json ENTITIES.csv --store PATH --out train.csv [--format csv|jsonl]
/// [--timestamp-column NAME] [--label SET.FEATURE] [--cutoff inclusive|exclusive]`
enum TrainingSetCommand {
    static let help = """
        USAGE: serve training-set <vector.json> <entities.csv> --out <train.csv> [options]

        Point-in-time training set: for each entity row (the vector's entity key columns and a timestamp T)
        the feature vector as it was at T, computed from the store's event log by the same aggregation
        engine the online path runs. Plain features: the latest event with event_ts <= T (and >= T - ttl),
        ties to the later arrival, none gives an empty cell. Output: the entity row's columns unchanged, the
        vector's features in declared order, then the label; rows in input order.

        OPTIONS:
          --store <path.db>         the SQLite store (default ./features.db)
          --out <file>              where to write the training set ('-' = standard output)
          --format csv|jsonl        output format (default csv)
          --timestamp-column <name> the entity rows' timestamp column (default timestamp)
          --label <set.feature>     the label column (overrides the vector's label_feature)
          --cutoff inclusive|exclusive   events stamped exactly T: in the row (event_ts <= T, default) or
                                    not (event_ts < T: what a graph enriching before UpdateAggregates served)
          -h, --help                show this help
        """

    static func main(_ rawArguments: [String]) -> Int32 {
        var arguments = CommandArguments(rawArguments)
        if arguments.showsHelp(help) { return 0 }
        let vectorPath: String
        let entitiesPath: String
        let storePath: String
        let outPath: String
        let format: TrainingSetWriter.Format
        let timestampColumn: String
        let label: String?
        let cutoff: TrainingSetBuilder.Cutoff
        do {
            storePath = try arguments.storeOption()
            let out = try arguments.option("--out")
            format = try TrainingSetWriter.Format(name: try arguments.option("--format") ?? "csv")
            timestampColumn = try arguments.option("--timestamp-column") ?? "timestamp"
            label = try arguments.option("--label")
            let cutoffName = try arguments.option("--cutoff") ?? "inclusive"
            guard let parsed = TrainingSetBuilder.Cutoff(rawValue: cutoffName) else {
                throw CommandLineError.invalidValue(
                    option: "--cutoff", value: cutoffName, expected: "inclusive or exclusive")
            }
            cutoff = parsed
            guard let first = arguments.positional() else { throw CommandLineError.missingArgument("<vector.json>") }
            guard let second = arguments.positional() else { throw CommandLineError.missingArgument("<entities.csv>") }
            guard let out else { throw CommandLineError.missingArgument("--out <file>") }
            try arguments.finish()
            vectorPath = first
            entitiesPath = second
            outPath = out
        } catch {
            return CommandArguments.usageError("training-set", error)
        }
        do {
            try OfflineStoreOpenError.requireReadable(storePath)
            var vector = try FeatureVectorDefinition(contentsOfFile: vectorPath)
            if let label {
                vector = FeatureVectorDefinition(
                    name: vector.name, features: vector.features,
                    labelFeature: try FeatureReference(parsing: label, path: "--label"),
                    entityKeys: vector.entityKeys, imputePolicy: vector.imputePolicy)
            }
            let started = IngestProgressLine.now()
            let builder = try TrainingSetBuilder(
                vector: vector, store: try OfflineStoreReader(path: storePath), cutoff: cutoff)
            let table = try EntityTable(csvPath: entitiesPath, timestampColumn: timestampColumn)
            let showProgress = isatty(2) == 1
            var lastShown = started
            let set = try builder.build(table) { done, total in
                let now = IngestProgressLine.now()
                guard showProgress, now - lastShown >= 0.2 else { return }
                lastShown = now
                let rate = Int(Double(done) / max(1e-9, now - started))
                writeStandardError("\r\u{1B}[K\(done)/\(total) rows, \(rate) rows/s")
            }
            if showProgress { writeStandardError("\r\u{1B}[K") }
            var file = try OutputFile(path: outPath)
            try TrainingSetWriter(format: format).write(set) { try file.write($0) }
            try file.close()
            let seconds = max(1e-9, IngestProgressLine.now() - started)
            printError(
                "wrote \(table.rows.count) rows × \(set.featureColumns.count) features to \(outPath) "
                    + "in \(Double(Int(seconds * 100)) / 100) s (\(Int(Double(table.rows.count) / seconds)) rows/s)")
            // The process exits after this command: the kernel takes the set back at once, where freeing its
            // cells and rows one by one would take a tenth of a second at a million rows.
            _ = Unmanaged.passRetained(KeptUntilExit(set))
            return 0
        } catch {
            printError("serve training-set: \(error)")
            return 1
        }
    }

    private static func writeStandardError(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}

/// The store file named by `--store` cannot be read.
struct OfflineStoreOpenError: Error, CustomStringConvertible {
    let path: String
    let reason: String

    var description: String { "cannot open store '\(path)': \(reason)" }

    /// Throws unless the store file at `path` exists and is readable.
    static func requireReadable(_ path: String) throws(OfflineStoreOpenError) {
        guard access(path, R_OK) == 0 else {
            throw OfflineStoreOpenError(path: path, reason: String(cString: strerror(errno)))
        }
    }
}

/// A file (or standard output for `-`) written with `write(2)`, EINTR retried.
struct OutputFile {
    private let descriptor: Int32
    private let path: String

    /// Creates or truncates `path`.
    init(path: String) throws(OutputFileError) {
        self.path = path
        if path == "-" {
            descriptor = 1
            return
        }
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OutputFileError(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Writes all of `bytes`.
    mutating func write(_ bytes: [UInt8]) throws(OutputFileError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw OutputFileError(path: path, reason: String(cString: strerror(errno))) }
            offset += written
        }
    }

    /// Closes the file (not standard output).
    func close() throws(OutputFileError) {
        guard descriptor != 1 else { return }
        guard Glibc.close(descriptor) == 0 else {
            throw OutputFileError(path: path, reason: String(cString: strerror(errno)))
        }
    }
}

/// Writing an output file failed.
struct OutputFileError: Error, CustomStringConvertible {
    let path: String
    let reason: String

    var description: String { "cannot write '\(path)': \(reason)" }
}

/// A value deliberately kept until the process exits, so that it is never freed piece by piece.
private final class KeptUntilExit<Value> {
    let value: Value

    init(_ value: Value) { self.value = value }
}
