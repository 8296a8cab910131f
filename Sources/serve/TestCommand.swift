import Foundation
import ModelServer
import ServingGraph

/// `serve test graph.json --path P [--body JSON] [--method M] [--header 'Name: value']...`
enum TestCommand {
    static let help = """
        USAGE: serve test <graph.json> --path <path> [--body <json> | --body-file <file>] [options]

        Sends one request to the graph in-process (no socket) through the same dispatch `serve run`
        uses, so the answer is the one the HTTP server gives: prints the response body and exits 0 for a
        status below 400; otherwise prints the status and body to stderr and exits 1. Models load first;
        a service file's feature sets, vectors and enrichment steps are served from --store as by
        'serve run' (the request's writes are committed to it before the answer is printed).

        OPTIONS:
          --path <path>             request path, e.g. /v2/models/fraud/infer (default /)
          --body <json>             request body (JSON text)
          --body-file <file>        read the request body from a file ('-' for standard input)
          --method <method>         GET, POST, PUT... (default POST with a body, GET without)
          --header <'Name: value'>  a request header (repeatable)
          --store <path.db>         the online store of the feature sets (default features.db)
          --feature-set <fs.json>   also serve this feature set (repeatable), as 'serve run'
          --log-level <level>       trace, debug, info, warning or error (default warning)
          -h, --help                show this help
        """

    /// What the command line asks for.
    struct Request {
        var graphPath: String
        var path = "/"
        var body: String?
        var method: String?
        var headers: [(name: String, value: String)] = []
        var logLevel = LogLevel.warning
        var storePath = "features.db"
        var featureSetPaths: [String] = []
    }

    static func main(_ rawArguments: [String]) -> Int32 {
        var arguments = CommandArguments(rawArguments)
        if arguments.showsHelp(help) { return 0 }
        let request: Request
        do {
            request = try parse(&arguments)
        } catch {
            return CommandArguments.usageError("test", error)
        }
        Logger.setLevel(request.logLevel)
        do {
            var configuration = ServeConfiguration()
            configuration.graphPath = request.graphPath
            configuration.storePath = request.storePath
            configuration.featureSetPaths = request.featureSetPaths
            let server = try InProcessServer(configuration: configuration)
            let response = try server.send(
                method: request.method, path: request.path, body: request.body, headers: request.headers)
            guard response.status < 400 else {
                printError("serve test: \(response.status) \(response.text)")
                return 1
            }
            print(response.text)
            return 0
        } catch {
            printError("serve test: \(error)")
            return 1
        }
    }

    static func parse(_ arguments: inout CommandArguments) throws -> Request {
        let path = try arguments.option("--path") ?? "/"
        guard path.hasPrefix("/") else {
            throw CommandLineError.invalidValue(option: "--path", value: path, expected: "a path starting with /")
        }
        var body = try arguments.option("--body")
        if let file = try arguments.option("--body-file") {
            guard body == nil else {
                throw CommandLineError.invalidValue(option: "--body-file", value: file, expected: "used without --body")
            }
            body = try readBody(file)
        }
        let method = try arguments.option("--method")
        var headers: [(name: String, value: String)] = []
        for header in try arguments.options("--header") {
            guard let colon = header.firstIndex(of: ":"), colon != header.startIndex else {
                throw CommandLineError.invalidValue(option: "--header", value: header, expected: "'Name: value'")
            }
            let value = header[header.index(after: colon)...].drop { $0 == " " }
            headers.append((String(header[..<colon]), String(value)))
        }
        var logLevel = LogLevel.warning
        if let level = try arguments.option("--log-level") {
            guard let parsed = LogLevel(name: level) else {
                throw CommandLineError.invalidValue(
                    option: "--log-level", value: level, expected: "one of trace, debug, info, warning, error")
            }
            logLevel = parsed
        }
        let storePath = try arguments.storeOption()
        let featureSetPaths = try arguments.options("--feature-set")
        guard let graphPath = arguments.positional() else { throw CommandLineError.missingArgument("<graph.json>") }
        try arguments.finish()
        return Request(
            graphPath: graphPath, path: path, body: body, method: method, headers: headers, logLevel: logLevel,
            storePath: storePath, featureSetPaths: featureSetPaths)
    }

    private static func readBody(_ file: String) throws -> String {
        if file == "-" {
            return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CommandLineError.invalidValue(option: "--body-file", value: file, expected: "a readable file")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
