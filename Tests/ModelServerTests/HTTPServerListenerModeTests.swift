import Dispatch
import Foundation
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

    @Test func sharedListenerAnswersManyConcurrentConnectionsAcrossLoops() async throws {
        let server = try HTTPTestServer(loops: 3, listenerMode: .shared)
        defer { server.stop() }
        let port = server.port
        let bodies = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<8 {
                group.addTask {
                    try (0..<4).map { round in
                        let client = try HTTPTestClient(port: port)
                        try client.send("GET /w\(worker)r\(round) HTTP/1.1\r\nHost: x\r\n\r\n")
                        return try client.readResponse().bodyText
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(bodies.count == 32)
        #expect(Set(bodies).count == 32)
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

    @Test(arguments: ["per-loop", "shared"])
    func keepsNoDescriptorOfAClosedConnection(listener: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try HTTPServerDescriptorLimitTests.benchExecutable())
        process.arguments = ["0", "2", "error", listener]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(line.split(separator: ":").last?.split(separator: " ").first.flatMap { Int($0) })
        let descriptors = "/proc/\(process.processIdentifier)/fd"
        func openDescriptors() throws -> Int { try FileManager.default.contentsOfDirectory(atPath: descriptors).count }
        /// Opens `count` connections, gets an answer on each, closes them all and returns how many descriptors
        /// the server had open while they were.
        func serveAndClose(_ count: Int) throws -> Int {
            let clients = try (0..<count).map { _ in try HTTPTestClient(port: port) }
            for client in clients {
                try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try client.readResponse().status == 200)
            }
            return try openDescriptors()
        }
        /// Waits (bounded) until the count settles after connections closed.
        func settledDescriptors(target: Int?) throws -> Int {
            var previous = -1
            var current = try openDescriptors()
            var steady = 0
            for _ in 0..<250 where steady < 5 && current != target {
                Thread.sleep(forTimeInterval: 0.02)
                previous = current
                current = try openDescriptors()
                steady = current == previous ? steady + 1 : 0
            }
            return current
        }

        // A first round brings up every loop's own descriptors (epoll, waker, spare); then the baseline.
        _ = try serveAndClose(10)
        let baseline = try settledDescriptors(target: nil)
        #expect(try serveAndClose(20) == baseline + 20)
        #expect(try settledDescriptors(target: baseline) == baseline)

        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let summary = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let accepted = summary.split(separator: ":").last?.split(whereSeparator: \.isWhitespace).compactMap { Int($0) } ?? []
        #expect(accepted.count == 2)
        #expect(accepted.reduce(0, +) == 30)
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
