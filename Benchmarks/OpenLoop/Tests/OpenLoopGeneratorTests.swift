import Glibc
import Testing

@testable import OpenLoop

struct OpenLoopGeneratorTests {
    private func configuration(port: UInt16, rate: Double = 400, connections: Int = 2) throws -> OpenLoopConfiguration {
        try OpenLoopConfiguration(arguments: [
            "--url", "http://127.0.0.1:\(port)/v2/health/live", "--rate", "\(rate)", "--duration", "0.25",
            "--connections", "\(connections)", "--drain-timeout", "5",
        ])
    }

    @Test func completesEveryScheduledRequestAgainstAKeepAliveServer() throws {
        let server = try TestHTTPServer(response: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        defer { server.stop() }
        let report = try OpenLoopGenerator(configuration: configuration(port: server.port)).run()
        #expect(report.sent == 100)
        #expect(report.completed == 100)
        #expect(report.errors == 0)
        #expect(report.latency.totalCount == 100)
        #expect(report.latency.minimum > 0)
    }

    @Test func pipelinesRequestsOnABusyConnectionAndMatchesResponsesInOrder() throws {
        let server = try TestHTTPServer(
            response: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
            stallMicroseconds: 150_000)
        defer { server.stop() }
        let report = try OpenLoopGenerator(configuration: configuration(port: server.port, connections: 1)).run()
        #expect(report.sent == 100)
        #expect(report.completed == 100)
        #expect(report.errors == 0)
        #expect(report.reconnects == 0)
    }

    @Test func countsNon2xxResponsesAsErrors() throws {
        let server = try TestHTTPServer(response: "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
        defer { server.stop() }
        let report = try OpenLoopGenerator(configuration: configuration(port: server.port, connections: 3)).run()
        #expect(report.completed == 100)
        #expect(report.non2xx == 100)
        #expect(report.errors == 100)
    }

    @Test func countsRequestsLostToClosedConnectionsAsErrors() throws {
        let server = try TestHTTPServer(response: "", closeImmediately: true)
        defer { server.stop() }
        let report = try OpenLoopGenerator(configuration: configuration(port: server.port, rate: 40)).run()
        #expect(report.sent == 10)
        #expect(report.completed == 0)
        #expect(report.errors == report.sent)
        #expect(report.reconnects > 0)
        #expect(report.lastConnectionError != nil)
    }

    @Test func failsWithConnectFailedWhenNothingListens() throws {
        let (fd, port) = try TestHTTPServer.bindLoopback(listening: false)
        defer { close(fd) }
        #expect(throws: OpenLoopError.connectFailed(host: "127.0.0.1", port: port, errno: ECONNREFUSED)) {
            try OpenLoopGenerator(configuration: configuration(port: port)).run()
        }
    }

    @Test func rendersTheMachineReadableResultLine() throws {
        let server = try TestHTTPServer(response: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        defer { server.stop() }
        let configuration = try configuration(port: server.port)
        let report = try OpenLoopGenerator(configuration: configuration).run()
        let lines = report.render(configuration: configuration).split(separator: "\n")
        let result = try #require(lines.last)
        #expect(result.hasPrefix("RESULT rate="))
        for field in ["p50_us=", "p90_us=", "p99_us=", "p999_us=", "max_us=", "sent=100", "completed=100", "errors=0"] {
            #expect(result.contains(field), "missing \(field) in \(result)")
        }
    }

    @Test(arguments: [(0.0, "0.0"), (12.345, "12.3"), (99.96, "100.0"), (-1.25, "-1.3"), (7, "7.0")])
    func formatsNumbersWithOneDecimal(value: Double, expected: String) {
        #expect(OpenLoopReport.fixed(value, 1) == expected)
    }
}
