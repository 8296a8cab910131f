import Glibc
import ServingGraph
import Testing

@testable import ModelServer

/// Graceful shutdown in-process: in-flight requests are answered, idle connections closed, new ones refused.
struct HTTPServerShutdownTests {
    @Test(arguments: HTTPServerConfiguration.ListenerMode.allCases)
    func answersTheInFlightPendingRequestAndRefusesNewConnections(mode: HTTPServerConfiguration.ListenerMode)
        throws
    {
        let pending = PendingRequests()
        let server = try HTTPTestServer(
            loops: 2, listenerMode: mode, responder: { PendingResponder(requests: pending) })
        let client = try server.client()
        try client.send("GET /pending HTTP/1.1\r\nHost: x\r\n\r\n")
        try pending.waitFor(count: 1)
        server.server.shutdown()
        #expect(HTTPTestClient.isRefused(port: server.port))
        pending.completeNext(body: "finished")
        let response = try client.readResponse()
        #expect(response.bodyText == "finished")
        #expect(response.header("Connection") == "close")
        #expect(try client.readUntilClosed().isEmpty)
        server.server.waitUntilStopped()
    }

    @Test(arguments: HTTPServerConfiguration.ListenerMode.allCases)
    func closesIdleConnectionsAndStops(mode: HTTPServerConfiguration.ListenerMode) throws {
        let server = try HTTPTestServer(loops: 2, listenerMode: mode)
        let client = try server.client()
        try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        server.stop()
        #expect(try client.readUntilClosed().isEmpty)
    }

    @Test func stopsWithinTheGracePeriodWhenAPendingRequestNeverCompletes() throws {
        let pending = PendingRequests()
        let server = try HTTPTestServer(
            configure: { $0.shutdownGracePeriod = .milliseconds(200) },
            responder: { PendingResponder(requests: pending) })
        let client = try server.client()
        try client.send("GET /pending HTTP/1.1\r\nHost: x\r\n\r\n")
        try pending.waitFor(count: 1)
        server.stop()
        #expect(try client.readUntilClosed().isEmpty)
    }

    @Test func refusesToStartTwice() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        #expect(throws: HTTPServerError.alreadyStarted) { try server.server.start() }
    }

    @Test(arguments: HTTPServerConfiguration.ListenerMode.allCases, HTTPServerConfiguration.ListenerMode.allCases)
    func refusesToStartOnAPortAnotherServerListensOn(
        first firstMode: HTTPServerConfiguration.ListenerMode, second secondMode: HTTPServerConfiguration.ListenerMode
    ) throws {
        let first = try HTTPTestServer(listenerMode: firstMode)
        defer { first.stop() }
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: first.port, loops: 2)
        configuration.listenerMode = secondMode
        let second = try HTTPServer(configuration: configuration, logger: Logger(label: "http-test")) { _ in
            EchoResponder()
        }
        #expect {
            try second.start()
        } throws: { error in
            guard case .listenFailed(_, let port, let cause)? = error as? HTTPServerError else { return false }
            return port == first.port && cause.code == EADDRINUSE
        }
    }
}
