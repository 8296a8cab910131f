import Foundation
import Glibc
import Testing

/// Descriptors in a child `HTTPBench` process, in both listener modes: running out of them (EMFILE) under
/// `prlimit --nofile=48:48`, so the low limit cannot disturb other tests, then SIGTERM ends it cleanly; and
/// none kept for a closed connection. Serialized: each case blocks a test thread while it polls the child.
@Suite(.serialized)
struct HTTPServerDescriptorLimitTests {
    /// The `HTTPBench` executable built next to this test bundle.
    static func benchExecutable() throws -> String {
        let testBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let path = URL(fileURLWithPath: testBinary).deletingLastPathComponent().appendingPathComponent("HTTPBench").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw HTTPTestClientError(description: "HTTPBench not built at \(path): run `swift build --build-tests`")
        }
        return path
    }

    /// A child `HTTPBench` on a free port with `loops` loops in `listener` mode (under `prlimit --nofile=N:N`
    /// when `descriptorLimit` is given), its stdout, and the port its first line names (nil when it printed
    /// none: it could not start, and has exited or is exiting).
    static func launchBench(
        listener: String, loops: Int = 2, descriptorLimit: Int? = nil
    ) throws -> (Process, Pipe, Int?) {
        let process = Process()
        let arguments = ["0", String(loops), "error", listener]
        if let descriptorLimit {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
            process.arguments = ["--nofile=\(descriptorLimit):\(descriptorLimit)", try benchExecutable()] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: try benchExecutable())
            process.arguments = arguments
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        return (process, output, line.split(separator: ":").last?.split(separator: " ").first.flatMap { Int($0) })
    }

    /// ``launchBench(listener:loops:descriptorLimit:)`` with 2 loops, throwing when it printed no port.
    static func startBench(listener: String, descriptorLimit: Int? = nil) throws -> (Process, Pipe, Int) {
        let (process, output, port) = try launchBench(listener: listener, descriptorLimit: descriptorLimit)
        guard let port else {
            killIfRunning(process)
            throw HTTPTestClientError(description: "HTTPBench printed no port")
        }
        return (process, output, port)
    }

    /// Kills `process` if it still runs.
    static func killIfRunning(_ process: Process) {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    @Test(arguments: ["per-loop", "shared"])
    func dropsConnectionsBeyondTheDescriptorLimitAndKeepsServing(listener: String) throws {
        let (process, _, port) = try Self.startBench(listener: listener, descriptorLimit: 48)
        defer { Self.killIfRunning(process) }

        var clients: [HTTPTestClient] = []
        for _ in 0..<80 { clients.append(try HTTPTestClient(port: port, receiveTimeoutSeconds: 2)) }
        var served = 0
        var dropped = 0
        for client in clients {
            do {
                try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = try client.readResponse()
                served += 1
            } catch {
                dropped += 1
            }
        }
        #expect(served > 0)
        #expect(dropped > 0)
        #expect(served + dropped == 80)
        clients.removeAll()

        // Descriptors are free again: the server accepts and answers as before.
        var answered = false
        for _ in 0..<100 where !answered {
            let client = try HTTPTestClient(port: port)
            try? client.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
            answered = (try? client.readResponse().status) == 200
            if !answered { Thread.sleep(forTimeInterval: 0.02) }
        }
        #expect(answered)
        #expect(process.isRunning)

        // SIGTERM: a graceful shutdown and a clean exit (the server unblocks the signal itself).
        process.terminate()
        for _ in 0..<500 where process.isRunning { Thread.sleep(forTimeInterval: 0.02) }
        #expect(!process.isRunning)
        if !process.isRunning {
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 0)
        }
    }

    @Test(arguments: ["per-loop", "shared"])
    func keepsNoDescriptorOfAClosedConnection(listener: String) throws {
        let (process, output, port) = try Self.startBench(listener: listener)
        defer { Self.killIfRunning(process) }
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
        let counts = summary.split(separator: ":").last?.split(whereSeparator: \.isWhitespace) ?? []
        let accepted = counts.compactMap { Int($0) }
        #expect(accepted.count == 2)
        #expect(accepted.reduce(0, +) == 30)
    }

    @Test func startsEveryLoopOrNoneWhenDescriptorsLeaveRoomForOnlyOneLoop() throws {
        // The lowest limit under which one loop starts and answers: the process's own descriptors plus the
        // loop's listener, waker, epoll instance and spare, plus one for the connection.
        var oneLoopLimit: Int?
        for limit in 4...64 where oneLoopLimit == nil {
            let (process, _, port) = try Self.launchBench(listener: "per-loop", loops: 1, descriptorLimit: limit)
            defer { Self.killIfRunning(process) }
            guard let port, let client = try? HTTPTestClient(port: port, receiveTimeoutSeconds: 1) else { continue }
            try? client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            if (try? client.readResponse().status) == 200 { oneLoopLimit = limit }
        }
        let limit = try #require(oneLoopLimit)

        // The same limit has room for two listeners and two wakers but one epoll instance: two loops must not
        // start (before, the first loop served while the second died, and connections to its listener were reset).
        let (failed, _, noPort) = try Self.launchBench(listener: "per-loop", loops: 2, descriptorLimit: limit)
        defer { Self.killIfRunning(failed) }
        #expect(noPort == nil)
        failed.waitUntilExit()
        #expect(failed.terminationReason == .exit)
        #expect(failed.terminationStatus == 1)

        // One more descriptor is room for both loops' own descriptors: both start.
        let (started, _, port) = try Self.launchBench(listener: "per-loop", loops: 2, descriptorLimit: limit + 1)
        defer { Self.killIfRunning(started) }
        #expect(port != nil)
    }
}
