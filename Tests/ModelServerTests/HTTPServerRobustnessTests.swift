import Foundation
import Glibc
import ServingGraph
import Synchronization
import Testing

@testable import ModelServer

/// Clients that vanish mid-request or mid-response, and clients that read slowly.
struct HTTPServerRobustnessTests {
    /// Server-side TCP sockets on `port` the server has not closed (listeners excluded): descriptors in
    /// /proc/self/fd whose socket inode is a /proc/net/tcp entry with local port `port`, plus connections
    /// still in the accept queue (ESTABLISHED or CLOSE_WAIT without a descriptor yet). Counting only this
    /// server's sockets keeps the count exact while other tests run in parallel.
    static func openServerSockets(port: Int) throws -> Int {
        // Read to EOF: /proc reports size 0, and a single read returns only the first page of entries.
        guard let handle = FileHandle(forReadingAtPath: "/proc/net/tcp") else {
            throw HTTPTestClientError(description: "cannot open /proc/net/tcp")
        }
        let table = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        try handle.close()
        var inodes = Set<String>()
        var queued = 0
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 9, fields[3] != "0A" else { continue }
            let local = fields[1].split(separator: ":")
            guard local.count == 2, Int(local[1], radix: 16) == port else { continue }
            if fields[9] == "0" {
                if fields[3] == "01" || fields[3] == "08" { queued += 1 }
            } else {
                inodes.insert(String(fields[9]))
            }
        }
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
        return queued
            + descriptors.filter { fd in
                guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")
                else { return false }
                return link.hasPrefix("socket:[") && inodes.contains(String(link.dropFirst(8).dropLast()))
            }.count
    }

    @Test func abortedConnectionsLeakNoDescriptor() throws {
        let pending = PendingRequests()
        let server = try HTTPTestServer(responder: { PendingResponder(requests: pending) })
        defer { server.stop() }
        let requests = [
            "",
            "GET / HTT",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
            "GET /big/4000000 HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /pending HTTP/1.1\r\nHost: x\r\n\r\n",
        ]
        for round in 0..<20 {
            for (index, request) in requests.enumerated() {
                let client = try server.client()
                if !request.isEmpty { try client.send(request) }
                if (round + index) % 2 == 0 { client.resetOnClose() }
            }
        }
        var open = -1
        // Requests pending when their client left hold the connection until they complete (the response
        // is owed); completing them must release it.
        for _ in 0..<1000 {
            while pending.waiting.withLock({ !$0.isEmpty }) { pending.completeNext(body: "late") }
            open = try Self.openServerSockets(port: server.port)
            if open == 0 { break }
            usleep(10000)
        }
        #expect(open == 0)
        let client = try server.client()
        try client.send("GET /alive HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().header("X-Path") == "/alive")
    }

    @Test func sleepsWhileARequestIsOnlyPartlyThere() throws {
        // A long header timeout: on a loaded machine the test's sleeps can be starved past the 10 s default.
        let server = try HTTPTestServer(configure: { $0.headerReadTimeout = .seconds(120) })
        defer { server.stop() }
        let client = try server.client()
        try client.send("GET /slow HTTP/1.1\r\nHost: x\r\n")
        let uploader = try server.client()
        try uploader.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        usleep(50000)
        let before = server.server.counters.loopIterations.load(ordering: .relaxed)
        usleep(300000)
        let after = server.server.counters.loopIterations.load(ordering: .relaxed)
        // Without new bytes, a loop wakes only for timers (at most once a second here); a spinning one
        // would count thousands of wake-ups.
        #expect(after - before < 20)
        try client.send("\r\n")
        let slowResponse = try client.readResponse()
        #expect(slowResponse.header("X-Path") == "/slow", "\(slowResponse.status) \(slowResponse.bodyText)")
        try uploader.send("defghij")
        #expect(try uploader.readResponse().bodyText == "abcdefghij")
    }

    @Test func writesALargeResponseToASlowReaderAcrossPartialWrites() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let client = try server.client()
        let size = 8_000_000
        try client.send("GET /big/\(size) HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n")
        // Not reading yet: the socket buffers fill and the server must wait for EPOLLOUT.
        usleep(100000)
        let response = try client.readResponse()
        #expect(response.body.count == size)
        #expect(response.body[...] == EchoResponder.pattern[0..<size])
        #expect(try client.readResponse().header("X-Path") == "/after")
    }

    @Test func spreadsConnectionsOverTheLoopsListeningOnOnePort() throws {
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, loops: 3)
        configuration.idleTimeout = .seconds(30)
        let server = try HTTPServer(configuration: configuration, logger: Logger(label: "http-test")) { loop in
            LoopNamingResponder(loop: loop)
        }
        let port = try server.start()
        defer {
            server.shutdown()
            server.waitUntilStopped()
        }
        let clients = try (0..<24).map { _ in try HTTPTestClient(port: port) }
        var loops = Set<String>()
        for (index, client) in clients.enumerated() {
            try client.send("GET /c\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.bodyText == "/c\(index)")
            loops.insert(response.header("X-Loop") ?? "?")
        }
        // SO_REUSEPORT hashes connections over the three listeners; all 24 on one would be a 1-in-10^11 event.
        #expect(loops.count > 1)
        #expect(loops.isSubset(of: ["0", "1", "2"]))
    }
}

/// Answers with the request path and the index of the loop that served it.
final class LoopNamingResponder: HTTPResponder {
    let loop: Int

    init(loop: Int) {
        self.loop = loop
    }

    func respond(to request: HTTPRequest) -> HTTPResponderResult {
        .response(HTTPResponse(status: .ok, headers: ["X-Loop": String(loop)], body: Array(request.path.utf8)))
    }
}
