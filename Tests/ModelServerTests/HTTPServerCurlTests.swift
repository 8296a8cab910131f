import Foundation
import Testing

@testable import ModelServer

/// curl as a real client: connection reuse, `Expect: 100-continue`, chunked uploads.
struct HTTPServerCurlTests {
    /// Runs curl with `arguments`; returns its standard output.
    static func curl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["--silent", "--show-error", "--max-time", "10"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }

    static func temporaryFile(bytes: Int) throws -> String {
        let path = NSTemporaryDirectory() + "http-curl-\(UUID().uuidString).bin"
        try Data((0..<bytes).map { UInt8(ascii: "a") + UInt8($0 % 26) }).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func curlReusesTheConnectionForTwoRequests() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        let output = try Self.curl([
            "-o", "/dev/null", "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\n", "\(base)/a", "\(base)/b",
        ])
        #expect(output == "200 1\n200 0\n")
    }

    @Test func curlUploadsWithExpect100Continue() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let file = try Self.temporaryFile(bytes: 300_000)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let output = try Self.curl([
            "-D", "-", "-o", "/dev/null", "-H", "Expect: 100-continue", "--data-binary", "@\(file)",
            "http://127.0.0.1:\(server.port)/upload",
        ])
        #expect(output.contains("HTTP/1.1 100 Continue"))
        #expect(output.contains("X-Body-Length: 300000"))
    }

    @Test func curlUploadsAChunkedBody() throws {
        let server = try HTTPTestServer()
        defer { server.stop() }
        let file = try Self.temporaryFile(bytes: 100_000)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let body = try Self.curl([
            "-H", "Transfer-Encoding: chunked", "--data-binary", "@\(file)", "http://127.0.0.1:\(server.port)/chunked",
        ])
        #expect(body.utf8.count == 100_000)
        #expect(Array(body.utf8) == Array(try Data(contentsOf: URL(fileURLWithPath: file))))
    }

    @Test func curlGets413ForAnOversizedUpload() throws {
        let server = try HTTPTestServer(configure: { $0.maxBodyBytes = 1000 })
        defer { server.stop() }
        let file = try Self.temporaryFile(bytes: 5000)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let output = try Self.curl([
            "-w", " %{http_code}", "-H", "Expect: 100-continue", "--data-binary", "@\(file)",
            "http://127.0.0.1:\(server.port)/upload",
        ])
        #expect(output == #"{"error":"request body exceeds 1000 bytes"} 413"#)
    }
}
