import ModelServer
import ServingGraph

/// `serve run [graph.json] [--host H] [--port P] [--loops N] [--log-level L] ...`
enum RunCommand {
    static let help = """
        USAGE: serve run [graph.json] [options]

        Serves over HTTP/1.1. With a graph file (MLRun function-spec JSON: a router of models or a flow),
        every request under /v2/models runs through the graph (a flow also takes every other path no
        fixed endpoint answers); models load before the port is bound. GET /metrics: Prometheus text.
        Without a graph: GET /v2/health/live, GET /v2/health/ready and GET /v2 only.

        OPTIONS:
          --host <address>            address to bind (default 127.0.0.1)
          --port <port>               TCP port, 0 for any free port (default 8080)
          --loops <n>                 event loop threads (default: the number of cores)
          --listener <mode>           per-loop (a SO_REUSEPORT socket per loop) or shared (one socket, EPOLLEXCLUSIVE)
          --log-level <level>         trace, debug, info, warning or error (default info)
          --max-connections <n>       open connections before new ones are closed at once (default 10000)
          --max-header-bytes <n>      request line + headers limit, over it 431 (default 16384)
          --max-header-count <n>      header lines limit, over it 431 (default 100)
          --max-body-bytes <n>        body limit after de-chunking, over it 413 (default 67108864)
          --max-buffered-bytes <n>    request bytes held across all connections, over it 503 (default 1 GiB)
          --header-timeout <dur>      time to receive a request's headers, then 408 (default 10s)
          --idle-timeout <dur>        idle keep-alive connections are closed after this (default 60s)
          --shutdown-grace <dur>      on SIGTERM/SIGINT, time to finish in-flight requests (default 10s)
          --load-in-background        bind first and load models after (ready answers 503 until loaded)
          --mlrun-errors              answer model errors as MLRun: 400 text/plain '<Type>: <message>'
          --feature-set <fs.json>     serve a feature set (repeatable): POST /v2/feature-sets/{name}/ingest...
          --feature-vector <v.json>   serve POST /v2/feature-vectors/{name}/offline for a vector (repeatable)
          --store <path.db>           the SQLite online store of the feature sets (default features.db)
          --rebuild                   recompute a changed feature set's state from the store's event log
          --warm-cache <on|off>       preload stored entity states into memory before ready (default on)
          --state-flush-interval <dur> longest time entity states are written behind the event log (default 10s)
          -h, --help                  show this help
        """

    static func main(_ rawArguments: [String]) -> Int32 {
        var arguments = CommandArguments(rawArguments)
        if arguments.showsHelp(help) { return 0 }
        let configuration: ServeConfiguration
        do {
            configuration = try parse(&arguments)
        } catch {
            return CommandArguments.usageError("run", error)
        }
        Logger.setLevel(configuration.logLevel)
        do {
            let application = try ServerApplication(configuration: configuration)
            try application.run()
            return 0
        } catch {
            printError("serve run: \(error)")
            return 1
        }
    }

    static func parse(_ arguments: inout CommandArguments) throws -> ServeConfiguration {
        var configuration = ServeConfiguration()
        if let host = try arguments.option("--host") { configuration.http.host = host }
        if let port = try arguments.intOption("--port", in: 0...65535) { configuration.http.port = port }
        if let loops = try arguments.intOption("--loops", in: 1...256) { configuration.http.loops = loops }
        if let mode = try arguments.option("--listener") {
            guard let parsed = HTTPServerConfiguration.ListenerMode(name: mode) else {
                throw CommandLineError.invalidValue(option: "--listener", value: mode, expected: "per-loop or shared")
            }
            configuration.http.listenerMode = parsed
        }
        if let level = try arguments.option("--log-level") {
            guard let parsed = LogLevel(name: level) else {
                throw CommandLineError.invalidValue(
                    option: "--log-level", value: level, expected: "one of trace, debug, info, warning, error")
            }
            configuration.logLevel = parsed
        }
        if let n = try arguments.intOption("--max-connections", in: 1...1_000_000) {
            configuration.http.maxConnections = n
        }
        if let n = try arguments.intOption("--max-header-bytes", in: 256...(1 << 24)) {
            configuration.http.maxHeaderBytes = n
        }
        if let n = try arguments.intOption("--max-header-count", in: 1...10_000) {
            configuration.http.maxHeaderCount = n
        }
        if let n = try arguments.intOption("--max-buffered-bytes", in: (1 << 16)...(1 << 40)) {
            configuration.http.maxBufferedBytes = n
        }
        if let n = try arguments.intOption("--max-body-bytes", in: 0...(1 << 40)) {
            configuration.http.maxBodyBytes = n
        }
        if let seconds = try arguments.secondsOption("--header-timeout") {
            configuration.http.headerReadTimeout = .milliseconds(Int64(seconds * 1000))
        }
        if let seconds = try arguments.secondsOption("--idle-timeout") {
            configuration.http.idleTimeout = .milliseconds(Int64(seconds * 1000))
        }
        if let seconds = try arguments.secondsOption("--shutdown-grace") {
            configuration.http.shutdownGracePeriod = .milliseconds(Int64(seconds * 1000))
        }
        configuration.loadInBackground = arguments.flag("--load-in-background")
        configuration.mlrunErrors = arguments.flag("--mlrun-errors")
        configuration.featureSetPaths = try arguments.options("--feature-set")
        configuration.featureVectorPaths = try arguments.options("--feature-vector")
        if let store = try arguments.option("--store") { configuration.storePath = store }
        configuration.rebuildStore = arguments.flag("--rebuild")
        if let warm = try arguments.option("--warm-cache") {
            guard warm == "on" || warm == "off" else {
                throw CommandLineError.invalidValue(option: "--warm-cache", value: warm, expected: "on or off")
            }
            configuration.warmCache = warm == "on"
        }
        if let seconds = try arguments.secondsOption("--state-flush-interval") {
            configuration.stateFlushIntervalMilliseconds = Int(seconds * 1000)
        }
        configuration.graphPath = arguments.positional()
        try arguments.finish()
        return configuration
    }
}
