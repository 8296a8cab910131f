import Glibc
import ServingGraph
import Synchronization

@testable import ModelServer

/// Answers every request with its own body (or `METHOD path` when it has none) and echoes the request
/// line in headers. A request for `/close` answers with `Connection: close`; `/big/<n>` answers n bytes.
final class EchoResponder: HTTPResponder {
    /// The bytes `/big/<n>` answers with (byte i is i % 251), built once per process.
    static let pattern: [UInt8] = [UInt8](unsafeUninitializedCapacity: 8_000_000) { buffer, count in
        for index in 0..<buffer.count { buffer[index] = UInt8(index % 251) }
        count = buffer.count
    }

    func respond(to request: HTTPRequest) -> HTTPResponderResult {
        var headers = HTTPHeaders()
        headers.add(name: "X-Method", value: request.method.name)
        headers.add(name: "X-Path", value: request.path)
        headers.add(name: "X-Query", value: request.query ?? "")
        headers.add(name: "X-Body-Length", value: String(request.body.count))
        if request.path == "/close" { headers.add(name: "Connection", value: "close") }
        if request.path.hasPrefix("/big/"), let size = Int(request.path.dropFirst(5)), size <= Self.pattern.count {
            return .response(HTTPResponse(status: .ok, headers: headers, body: Array(Self.pattern[0..<size])))
        }
        let body = request.body.isEmpty ? Array("\(request.method.name) \(request.target)".utf8) : request.body
        return .response(HTTPResponse(status: .ok, headers: headers, body: body))
    }
}

/// A responder whose requests to `/pending...` complete only when the test calls `completeNext`, from
/// the test's thread; other requests are echoed at once.
final class PendingResponder: HTTPResponder {
    let requests: PendingRequests
    private let echo = EchoResponder()

    init(requests: PendingRequests) {
        self.requests = requests
    }

    func respond(to request: HTTPRequest) -> HTTPResponderResult {
        guard request.path.hasPrefix("/pending") else { return echo.respond(to: request) }
        let pending = HTTPPendingResponse()
        requests.waiting.withLock { $0.append((request, pending)) }
        return .pending(pending)
    }
}

/// Pending requests handed over by `PendingResponder`, shared with the test thread.
final class PendingRequests: Sendable {
    let waiting = Mutex<[(HTTPRequest, HTTPPendingResponse)]>([])

    /// Waits (polling, bounded) until `count` requests are pending.
    func waitFor(count: Int) throws {
        for _ in 0..<500 {
            if waiting.withLock({ $0.count }) >= count { return }
            usleep(10000)
        }
        throw HTTPTestClientError(description: "no pending request arrived")
    }

    /// Completes the oldest pending request with `body`.
    func completeNext(body: String) {
        let next = waiting.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        next?.1.complete(HTTPResponse(status: .ok, body: Array(body.utf8)))
    }
}

/// A started server on `127.0.0.1:0` for one test; `stop()` shuts it down and waits for its loops.
struct HTTPTestServer {
    let server: HTTPServer
    let port: Int

    init(
        loops: Int = 1, listenerMode: HTTPServerConfiguration.ListenerMode = .perLoop,
        configure: (inout HTTPServerConfiguration) -> Void = { _ in },
        responder: @escaping @Sendable () -> any HTTPResponder = { EchoResponder() }
    ) throws {
        Logger.setLevel(.warning)
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, loops: loops)
        configuration.listenerMode = listenerMode
        configure(&configuration)
        server = try HTTPServer(configuration: configuration, logger: Logger(label: "http-test")) { _ in responder() }
        port = try server.start()
    }

    func client() throws -> HTTPTestClient {
        try HTTPTestClient(port: port)
    }

    func stop() {
        server.shutdown()
        server.waitUntilStopped()
    }
}
