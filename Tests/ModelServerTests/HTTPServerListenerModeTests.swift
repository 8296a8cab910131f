import Dispatch
import Glibc
import ServingGraph
import Synchronization
import Testing

@testable import ModelServer

/// `.shared` listener mode over real sockets: one listening socket, every loop accepting from it with
/// `EPOLLEXCLUSIVE`; and the `per-loop`/`shared` names the command line takes.
struct HTTPServerListenerModeTests {
    @Test func sharedListenerHandsNewConnectionsToAnIdleLoopWhileAnotherIsBusy() throws {
        let gate = LoopGate()
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, loops: 2)
        configuration.listenerMode = .shared
        let server = try HTTPServer(configuration: configuration, logger: Logger(label: "http-test")) { loop in
            BlockingResponder(loop: loop, gate: gate)
        }
        let port = try server.start()
        defer {
            gate.open()
            server.shutdown()
            server.waitUntilStopped()
        }
        let blocked = try HTTPTestClient(port: port)
        try blocked.send("GET /block HTTP/1.1\r\nHost: x\r\n\r\n")
        let busyLoop = try gate.waitUntilEntered()
        // The busy loop is stuck in its responder: only the other loop can accept and answer these.
        let clients = try (0..<6).map { _ in try HTTPTestClient(port: port) }
        for (index, client) in clients.enumerated() {
            try client.send("GET /c\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.bodyText == "/c\(index)")
            #expect(response.header("X-Loop") == String(1 - busyLoop))
        }
        gate.open()
        let released = try blocked.readResponse()
        #expect(released.bodyText == "/block")
        #expect(released.header("X-Loop") == String(busyLoop))
        let accepted = server.acceptedConnectionsPerLoop
        #expect(accepted[busyLoop] == 1)
        #expect(accepted[1 - busyLoop] == 6)
    }

    @Test func sharedListenerAnswersManyConcurrentConnectionsAcrossLoops() throws {
        let server = try HTTPTestServer(loops: 3, listenerMode: .shared)
        defer { server.stop() }
        let port = server.port
        let bodies = Mutex<[String]>([])
        let failures = Mutex<[String]>([])
        // Dispatch threads, not tasks: blocking socket calls must not hold the cooperative pool.
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for round in 0..<4 {
                do {
                    let client = try HTTPTestClient(port: port)
                    try client.send("GET /w\(worker)r\(round) HTTP/1.1\r\nHost: x\r\n\r\n")
                    let body = try client.readResponse().bodyText
                    bodies.withLock { $0.append(body) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let answered = bodies.withLock { $0 }
        #expect(answered.count == 32)
        #expect(Set(answered).count == 32)
        #expect(server.server.acceptedConnectionsPerLoop.reduce(0, +) == 32)
    }

    @Test func sharedListenerIsClosedOnlyByTheLastLoopToReleaseIt() throws {
        let fd = try HTTPListener.open(host: "127.0.0.1", port: 0, backlog: 4, reusePort: false)
        let port = try HTTPListener.boundPort(fd)
        let socket = HTTPListenerSocket(fd: fd, holders: 3, isShared: true)
        #expect(socket.release() == false)
        #expect(socket.release() == false)
        #expect(!HTTPTestClient.isRefused(port: port))
        #expect(socket.release() == true)
        #expect(HTTPTestClient.isRefused(port: port))
    }

    @Test func listenerModesAreNamedAsOnTheCommandLine() {
        #expect(HTTPServerConfiguration.ListenerMode(name: "per-loop") == .perLoop)
        #expect(HTTPServerConfiguration.ListenerMode(name: "shared") == .shared)
        #expect(HTTPServerConfiguration.ListenerMode(name: "perLoop") == nil)
        #expect(HTTPServerConfiguration.ListenerMode.allCases.map(\.name) == ["per-loop", "shared"])
    }

    @Test func serveRunTakesTheListenerFlagAndRejectsAnUnknownMode() throws {
        let help = try ServeBinary.run(["run", "--help"])
        #expect(help.stdout.contains("--listener <mode>"))
        let wrong = try ServeBinary.run(["run", "--listener", "fastest"])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("--listener"))
    }
}

/// Holds the loop that answers `/block` inside its responder until the test opens the gate.
final class LoopGate: Sendable {
    private let entered = Mutex<Int?>(nil)
    private let release = DispatchSemaphore(value: 0)

    /// Called on the blocked loop's thread: records the loop and waits (bounded) for `open`.
    func enter(loop: Int) {
        entered.withLock { $0 = loop }
        _ = release.wait(timeout: .now() + 10)
    }

    /// The index of the loop that entered, waiting (bounded) for one to.
    func waitUntilEntered() throws -> Int {
        for _ in 0..<500 {
            if let loop = entered.withLock({ $0 }) { return loop }
            usleep(10_000)
        }
        throw HTTPTestClientError(description: "no loop entered the gate")
    }

    /// Lets the blocked loop go on (more calls are harmless).
    func open() {
        release.signal()
    }
}

/// Names its loop in `X-Loop` and echoes the path; `/block` first holds the loop at the gate.
final class BlockingResponder: HTTPResponder {
    let loop: Int
    let gate: LoopGate

    init(loop: Int, gate: LoopGate) {
        self.loop = loop
        self.gate = gate
    }

    func respond(to request: HTTPRequest) -> HTTPResponderResult {
        if request.path == "/block" { gate.enter(loop: loop) }
        return .response(HTTPResponse(status: .ok, headers: ["X-Loop": String(loop)], body: Array(request.path.utf8)))
    }
}
