import FeatureEnrich
import ModelServer
import ServingGraph

#if canImport(Glibc)
    import Glibc
#endif

/// `serve demo [--port 8080] [--data-dir DIR] [--example-dir examples/fraud] [--regenerate] ...`
enum DemoCommand {
    static let help = """
        USAGE: serve demo [options]

        The fraud-detection service in one command: generates synthetic accounts and card transactions
        (deterministic), ingests them into a SQLite store in the data directory, then serves the example's
        graph (update aggregates -> enrich with the fraud vector -> XGBoost, with an error handler) and
        prints three curl commands to try. A later start reuses complete data made with the same options.

        OPTIONS:
          --port <port>          TCP port, 0 for any free port (default 8080)
          --host <address>       address to bind (default 127.0.0.1)
          --data-dir <dir>       where the CSV files and features.db go (default .serve-demo)
          --example-dir <dir>    the example's feature sets, vector, graph and model (default examples/fraud)
          --regenerate           generate and ingest again even when complete data is there
          --prepare-only         generate and ingest (or find complete data), then exit without serving
          --accounts <n>         accounts to generate (default 2000)
          --days <n>             days of transactions (default 7)
          --seed <n>             the generator's seed (default 42)
          --loops <n>            event loop threads (default: the number of cores)
          --log-level <level>    trace, debug, info, warning or error (default info)
          -h, --help             show this help
        """

    static func main(_ rawArguments: [String]) -> Int32 {
        var arguments = CommandArguments(rawArguments)
        if arguments.showsHelp(help) { return 0 }
        var serve = ServeConfiguration()
        var data = FraudDataConfiguration()
        let dataDirectory: String
        let exampleDirectory: String
        let regenerate: Bool
        let prepareOnly: Bool
        do {
            if let host = try arguments.option("--host") { serve.http.host = host }
            serve.http.port = try arguments.intOption("--port", in: 0...65535) ?? 8080
            if let loops = try arguments.intOption("--loops", in: 1...256) { serve.http.loops = loops }
            if let level = try arguments.option("--log-level") {
                guard let parsed = LogLevel(name: level) else {
                    throw CommandLineError.invalidValue(
                        option: "--log-level", value: level, expected: "one of trace, debug, info, warning, error")
                }
                serve.logLevel = parsed
            }
            if let accounts = try arguments.intOption("--accounts", in: 1...10_000_000) { data.accounts = accounts }
            if let days = try arguments.intOption("--days", in: 1...366) { data.days = days }
            if let seed = try arguments.intOption("--seed", in: 0...Int.max) { data.seed = UInt64(seed) }
            dataDirectory = try arguments.option("--data-dir") ?? ".serve-demo"
            exampleDirectory = try arguments.option("--example-dir") ?? "examples/fraud"
            regenerate = arguments.flag("--regenerate")
            prepareOnly = arguments.flag("--prepare-only")
            try arguments.finish()
        } catch {
            return CommandArguments.usageError("demo", error)
        }
        Logger.setLevel(serve.logLevel)
        let demo = FraudDemoData(directory: dataDirectory, exampleDirectory: exampleDirectory, configuration: data)
        do {
            let started = IngestProgressLine.now()
            let progressLine = isatty(2) == 1 ? IngestProgressLine(started: started) : nil
            var progress: (@Sendable (BatchIngestProgress) -> Void)?
            if let progressLine {
                progress = { progressLine.show($0) }
            }
            let dataset = try demo.prepare(
                regenerate: regenerate,
                report: { line in
                    progressLine?.finish()
                    printError(line)
                },
                progress: progress)
            progressLine?.finish()
            if dataset == nil {
                printError("reusing the data in \(dataDirectory) (--regenerate to make it again)")
            } else {
                let seconds = Double(Int((IngestProgressLine.now() - started) * 100)) / 100
                printError("data ready in \(seconds) s")
            }
            if prepareOnly { return 0 }
            serve.graphPath = demo.servicePath
            serve.storePath = demo.storePath
            let application = try ServerApplication(configuration: serve)
            try application.run { port in
                printCommands(FraudDemoRequests(configuration: data, host: serve.http.host, port: port))
            }
            return 0
        } catch {
            printError("serve demo: \(error)")
            return 1
        }
    }

    private static func printCommands(_ requests: FraudDemoRequests) {
        var text = "\nThe fraud-detection service is up. Try:\n"
        for (title, command) in requests.commands { text += "\n# \(title)\n\(command)\n" }
        print(text)
        fflush(nil)
    }
}
