// Serves a small fixed JSON body on every path, for load generators (wrk) against the bare HTTP layer:
// `HTTPBench [port] [loops] [log-level] [per-loop|shared]`. Prints the bound port; SIGINT/SIGTERM shut it
// down gracefully, then it prints how many connections each loop accepted.
import Glibc
import ModelServer
import ServingGraph

/// Answers every request with the same 200 JSON body, the size of a small inference response.
final class FixedResponder: HTTPResponder {
    let body = Array(
        #"{"model_name":"m","id":"1","outputs":[{"name":"out","shape":[1],"datatype":"FP32","data":[0.5]}]}"#.utf8)

    func respond(to request: HTTPRequest) -> HTTPResponderResult {
        .response(.json(.ok, body))
    }
}

let arguments = CommandLine.arguments
let port = arguments.count > 1 ? Int(arguments[1]) ?? 8080 : 8080
let loops = arguments.count > 2 ? Int(arguments[2]) ?? 1 : 1
Logger.setLevel(arguments.count > 3 ? LogLevel(name: arguments[3]) ?? .warning : .warning)
var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: port, loops: loops)
if arguments.count > 4 {
    guard let mode = HTTPServerConfiguration.ListenerMode(name: arguments[4]) else {
        print("HTTPBench: listener mode '\(arguments[4])' is neither per-loop nor shared")
        exit(2)
    }
    configuration.listenerMode = mode
}
let server = try HTTPServer(
    configuration: configuration,
    logger: Logger(label: "http-bench")
) { _ in FixedResponder() }
server.installSignalHandlers()
let bound: Int
do {
    bound = try server.start()
} catch {
    // A clean exit with the reason, not a trap: the descriptor-limit tests start it where it cannot start.
    let message = "HTTPBench: cannot start: \(error)\n"
    _ = message.withCString { write(2, $0, strlen($0)) }
    exit(1)
}
print("listening on 127.0.0.1:\(bound) with \(loops) loop(s), listener \(configuration.listenerMode.name)")
fflush(nil)  // all streams: the test harness reads the port from a pipe
server.waitUntilStopped()
print("accepted per loop: \(server.acceptedConnectionsPerLoop.map(String.init).joined(separator: " "))")
