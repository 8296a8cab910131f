// Serves a small fixed JSON body on every path, for load generators (wrk) against the bare HTTP layer:
// `HTTPBench [port] [loops] [log-level]`. Prints the bound port; SIGINT/SIGTERM shut it down gracefully.
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
let server = try HTTPServer(
    configuration: HTTPServerConfiguration(host: "127.0.0.1", port: port, loops: loops),
    logger: Logger(label: "http-bench")
) { _ in FixedResponder() }
server.installSignalHandlers()
let bound = try server.start()
print("listening on 127.0.0.1:\(bound) with \(loops) loop(s)")
fflush(nil)  // all streams: the test harness reads the port from a pipe
server.waitUntilStopped()
