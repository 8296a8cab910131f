import Glibc
import Testing

@testable import OpenLoop

struct OpenLoopConfigurationTests {
    @Test func parsesEveryOption() throws {
        let configuration = try OpenLoopConfiguration(arguments: [
            "--url", "http://127.0.0.1:9000/infer", "--rate", "2500", "--duration", "3", "--connections", "8",
            "--method", "post", "--header", "X-Request-Id: 7", "--drain-timeout", "0.5",
        ])
        #expect(configuration.url.port == 9000)
        #expect(configuration.rate == 2500)
        #expect(configuration.duration == 3)
        #expect(configuration.connections == 8)
        #expect(configuration.method == "POST")
        #expect(configuration.headers == [try HTTPHeaderField(parsing: "X-Request-Id: 7")])
        #expect(configuration.drainTimeout == 0.5)
        #expect(configuration.totalRequests == 7500)
    }

    @Test func defaultsToTenSecondsOverThirtyTwoConnections() throws {
        let configuration = try OpenLoopConfiguration(arguments: ["--url", "http://127.0.0.1:1/", "--rate", "10"])
        #expect(configuration.duration == 10)
        #expect(configuration.connections == 32)
        #expect(configuration.method == "GET")
    }

    @Test(arguments: [
        (["--rate", "10"], OpenLoopError.missingOption(name: "--url")),
        (["--url", "http://127.0.0.1:1/"], .missingOption(name: "--rate")),
        (["--url", "http://127.0.0.1:1/", "--rate", "-5"], .invalidNumber(option: "--rate", value: "-5")),
        (["--url", "http://127.0.0.1:1/", "--rate"], .missingValue(option: "--rate")),
        (["--url", "http://127.0.0.1:1/", "--rate", "1", "--bogus"], .unknownOption("--bogus")),
        (["--url", "http://127.0.0.1:1/", "--rate", "1", "--header", "NoColon"], .invalidHeader("NoColon")),
    ])
    func rejectsBadArgumentsNamingTheProblem(arguments: [String], expected: OpenLoopError) {
        #expect(throws: expected) { try OpenLoopConfiguration(arguments: arguments) }
    }

    @Test func buildsAPostRequestWithTheBodyFileAndContentLength() throws {
        let path = "/tmp/openloop-body-\(getpid()).json"
        let body = #"{"inputs":[1,2,3]}"#
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        #expect(fd >= 0)
        _ = body.withCString { write(fd, $0, strlen($0)) }
        close(fd)
        defer { unlink(path) }
        let configuration = try OpenLoopConfiguration(arguments: [
            "--url", "http://localhost:8080/v2/models/m/infer", "--rate", "1", "--method", "POST",
            "--body-file", path, "--header", "Content-Type: application/json",
        ])
        let request = String(decoding: configuration.requestBytes(), as: UTF8.self)
        #expect(
            request
                == "POST /v2/models/m/infer HTTP/1.1\r\nHost: localhost:8080\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
    }

    @Test func reportsAMissingBodyFile() {
        #expect(throws: OpenLoopError.unreadableBodyFile(path: "/nonexistent/body", errno: ENOENT)) {
            try OpenLoopConfiguration(arguments: [
                "--url", "http://127.0.0.1:1/", "--rate", "1", "--body-file", "/nonexistent/body",
            ])
        }
    }
}
