package import FeatureEnrich
import Foundation

/// The data directory of `serve demo`: generates the fraud data (``FraudDataGenerator``), writes the CSV files
/// and ingests them into the SQLite store `features.db` there, through the example's feature sets.
///
/// A marker file (`.complete`, holding the configuration's fingerprint) is written only after both ingests
/// have committed, so a later start reuses a complete directory made with the same configuration and redoes a
/// half-finished or different one from scratch (store files removed first).
package struct FraudDemoData: Sendable {
    /// The data directory (created when missing).
    package let directory: String
    /// The example folder holding `accounts.json`, `transactions.json` and `serve.json`.
    package let exampleDirectory: String
    /// What to generate.
    package let configuration: FraudDataConfiguration

    /// A data directory `directory` for the example in `exampleDirectory`.
    package init(directory: String, exampleDirectory: String, configuration: FraudDataConfiguration) {
        self.directory = directory
        self.exampleDirectory = exampleDirectory
        self.configuration = configuration
    }

    /// The SQLite store.
    package var storePath: String { directory + "/features.db" }
    /// The marker of a complete ingest.
    package var markerPath: String { directory + "/.complete" }
    /// The service file served.
    package var servicePath: String { exampleDirectory + "/serve.json" }

    /// True when an earlier run finished generating and ingesting with the same configuration.
    package var isComplete: Bool {
        guard let marker = try? String(contentsOfFile: markerPath, encoding: .utf8) else { return false }
        return marker == configuration.fingerprint + "\n" && FileManager.default.fileExists(atPath: storePath)
    }

    /// Reuses a complete directory (returns nil), or generates and ingests afresh (returns the dataset).
    /// `report` gets one line per stage; `progress` is called from the store writer during each ingest.
    package func prepare(
        regenerate: Bool, report: (String) -> Void, progress: (@Sendable (BatchIngestProgress) -> Void)? = nil
    ) throws -> FraudDataset? {
        for file in ["accounts.json", "transactions.json", "serve.json"] {
            guard FileManager.default.fileExists(atPath: exampleDirectory + "/" + file) else {
                throw FraudDemoError.missingExampleFile(path: exampleDirectory + "/" + file)
            }
        }
        if !regenerate && isComplete { return nil }
        try makeDirectory()
        for file in [markerPath, storePath, storePath + "-wal", storePath + "-shm"] {
            try? FileManager.default.removeItem(atPath: file)
        }
        let dataset = FraudDataGenerator(configuration).generate()
        for (name, bytes) in dataset.files { try write(bytes, to: directory + "/" + name) }
        report(
            "generated \(configuration.accounts) accounts, \(dataset.transactionCount) transactions "
                + "(\(dataset.fraudCount) fraudulent) over \(configuration.days) days in \(directory)")
        let accounts = try FeatureSetDefinition(contentsOfFile: exampleDirectory + "/accounts.json")
        let transactions = try FeatureSetDefinition(contentsOfFile: exampleDirectory + "/transactions.json")
        let store = try SQLiteOnlineStore(path: storePath, featureSets: [accounts, transactions])
        defer { store.close() }
        for (set, file) in [(accounts.name, "accounts.csv"), (transactions.name, "transactions.csv")] {
            let summary = try store.ingestCSV(
                path: directory + "/" + file, into: set, skipBadRows: false, progress: progress)
            report("ingested \(summary.rowsIngested) rows (\(summary.keys) keys) into '\(set)'")
        }
        try write(Array((configuration.fingerprint + "\n").utf8), to: markerPath)
        return dataset
    }

    private func makeDirectory() throws(FraudDemoError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: directory, reason: error.localizedDescription)
        }
    }

    private func write(_ bytes: [UInt8], to path: String) throws(FraudDemoError) {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}

/// Why `serve demo` cannot prepare its data.
package enum FraudDemoError: Error, CustomStringConvertible {
    /// The example folder lacks a file the demo needs.
    case missingExampleFile(path: String)
    /// A file or the data directory cannot be written.
    case cannotWrite(path: String, reason: String)

    package var description: String {
        switch self {
        case .missingExampleFile(let path):
            "missing '\(path)' (run from the repository root or pass --example-dir examples/fraud)"
        case .cannotWrite(let path, let reason): "cannot write '\(path)': \(reason)"
        }
    }
}
