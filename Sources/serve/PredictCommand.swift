import FeatureEnrich
import ModelServer
import ServingGraph

#if canImport(Glibc)
    import Glibc
#endif

/// `serve predict GRAPH.json ENTITIES.csv --vector V.json --store PATH --out predictions.csv [--model M]
/// [--batch N] [--timestamp-column NAME]`: batch serving over point-in-time vectors, no HTTP.
enum PredictCommand {
    static let help = """
        USAGE: serve predict <graph.json> <entities.csv> --vector <vector.json> --out <predictions.csv> [options]

        Batch prediction: builds each entity row's feature vector as of its timestamp (as serve training-set
        does), runs the rows through the graph's model in batches ({"inputs": [[...], ...]} infer requests,
        no HTTP) and writes the entity columns followed by a 'prediction' column, in input order.

        OPTIONS:
          --store <path.db>         the SQLite store (default ./features.db)
          --vector <vector.json>    the feature vector whose columns are the model's inputs (required)
          --model <name>            the model to call (default: the graph's only model)
          --batch <n>               rows per infer request (default 1024)
          --timestamp-column <name> the entity rows' timestamp column (default timestamp)
          -h, --help                show this help
        """

    static func main(_ rawArguments: [String]) -> Int32 {
        var arguments = CommandArguments(rawArguments)
        if arguments.showsHelp(help) { return 0 }
        let graphPath: String
        let entitiesPath: String
        let storePath: String
        let vectorPath: String
        let outPath: String
        let model: String?
        let batch: Int
        let timestampColumn: String
        do {
            storePath = try arguments.storeOption()
            let vector = try arguments.option("--vector")
            let out = try arguments.option("--out")
            model = try arguments.option("--model")
            batch = try arguments.intOption("--batch", in: 1...1_000_000) ?? 1024
            timestampColumn = try arguments.option("--timestamp-column") ?? "timestamp"
            guard let first = arguments.positional() else { throw CommandLineError.missingArgument("<graph.json>") }
            guard let second = arguments.positional() else { throw CommandLineError.missingArgument("<entities.csv>") }
            guard let vector else { throw CommandLineError.missingArgument("--vector <vector.json>") }
            guard let out else { throw CommandLineError.missingArgument("--out <file>") }
            try arguments.finish()
            (graphPath, entitiesPath, vectorPath, outPath) = (first, second, vector, out)
        } catch {
            return CommandArguments.usageError("predict", error)
        }
        do {
            try OfflineStoreOpenError.requireReadable(storePath)
            let predictor = try OfflinePredictor(graphPath: graphPath, model: model)
            let builder = try TrainingSetBuilder(
                vector: try FeatureVectorDefinition(contentsOfFile: vectorPath),
                store: try OfflineStoreReader(path: storePath))
            let table = try EntityTable(csvPath: entitiesPath, timestampColumn: timestampColumn)
            let set = try builder.build(table)
            let showProgress = isatty(2) == 1
            var predictions: [Value] = []
            predictions.reserveCapacity(table.rows.count)
            var start = 0
            while start < table.rows.count {
                let end = min(start + batch, table.rows.count)
                predictions += try predictor.predict((start..<end).map { Array(set.featureValues(ofRow: $0)) })
                start = end
                if showProgress { printProgress("\r\u{1B}[K\(end)/\(table.rows.count) rows predicted") }
            }
            if showProgress { printProgress("\r\u{1B}[K") }
            let output = TrainingSet(table: table, featureColumns: ["prediction"], values: predictions)
            var file = try OutputFile(path: outPath)
            try TrainingSetWriter(format: .csv).write(output) { try file.write($0) }
            try file.close()
            printError("predicted \(table.rows.count) rows with model '\(predictor.model)' into \(outPath)")
            return 0
        } catch {
            printError("serve predict: \(error)")
            return 1
        }
    }

    private static func printProgress(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
