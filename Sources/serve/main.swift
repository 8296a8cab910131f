import ModelServer

#if canImport(Glibc)
    import Glibc
#endif

/// `serve` — a model server with online feature enrichment. One file per subcommand.
let usage = """
    serve — Swift model serving with online feature enrichment (\(ServerInfo.version))

    USAGE: serve <command> [options]

    COMMANDS:
      demo [--port 8080]   the fraud-detection service: generate, ingest and serve examples/fraud
      run [graph.json]     serve a graph (or only health and metadata endpoints) over HTTP
      ingest <fs.json> <events.csv>   batch-ingest an events CSV into a feature store (SQLite)
      training-set <vector.json> <entities.csv> --out <file>   point-in-time training set from the store
      features <feature-set> --as-of <time> [--keys k1,k2]   entities as they were at a time (time travel)
      catalog [--store PATH] [--json]   the store's feature sets: versions, counts, times, statistics
      stats <feature-set> [--from T] [--to T]   feature statistics from the store's event log
      predict <graph.json> <entities.csv> --vector <v.json> --out <file>   batch prediction over offline vectors
      test <graph.json>    send one request to a graph in-process and print the answer
      plot <graph.json>    print a graph as Mermaid or Graphviz DOT
      help [command]       show help for a command

    Run 'serve <command> --help' for the options of a command.
    """

var arguments = Array(CommandLine.arguments.dropFirst())
let command = arguments.isEmpty ? "help" : arguments.removeFirst()

/// Every subcommand: its entry point and its help text (`serve <name> --help` and `serve help <name>`).
let commands: [String: (main: ([String]) -> Int32, help: String)] = [
    "demo": (DemoCommand.main, DemoCommand.help),
    "run": (RunCommand.main, RunCommand.help),
    "ingest": (IngestCommand.main, IngestCommand.help),
    "training-set": (TrainingSetCommand.main, TrainingSetCommand.help),
    "features": (FeaturesCommand.main, FeaturesCommand.help),
    "catalog": (CatalogCommand.main, CatalogCommand.help),
    "stats": (StatsCommand.main, StatsCommand.help),
    "predict": (PredictCommand.main, PredictCommand.help),
    "test": (TestCommand.main, TestCommand.help),
    "plot": (PlotCommand.main, PlotCommand.help),
]

let status: Int32
switch command {
case "help", "--help", "-h":
    print(arguments.first.flatMap { commands[$0]?.help } ?? usage)
    status = 0
case "--version", "version":
    print(ServerInfo.version)
    status = 0
default:
    if let subcommand = commands[command] {
        status = subcommand.main(arguments)
    } else {
        printError("serve: \(CommandLineError.unknownCommand(command))\n\n\(usage)")
        status = 2
    }
}
exit(status)
